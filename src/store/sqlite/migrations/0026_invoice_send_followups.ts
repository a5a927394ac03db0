/**
 * Sending invoices and following up overdue ones (issue 19, O1 → F4): an invoice remembers when it
 * was last sent and how often (each send is its own outbox message, keyed by that count); a
 * follow-up made by a rule may be about one invoice (order_id), and a rule makes one follow-up
 * per lead and invoice, so the unique (rule, lead) pair holds for follow-ups about no invoice, and (rule, lead, invoice)
 * for those about one (two partial indexes on plain columns, the same on both backends).
 */
export default /* sql */ `
  ALTER TABLE orders ADD COLUMN sent_at TEXT;
  ALTER TABLE orders ADD COLUMN send_count INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE follow_ups ADD COLUMN order_id INTEGER REFERENCES orders(id) ON DELETE CASCADE;
  DROP INDEX follow_ups_rule_lead;
  CREATE UNIQUE INDEX follow_ups_rule_lead ON follow_ups(rule_id, lead_id) WHERE rule_id IS NOT NULL AND order_id IS NULL;
  CREATE UNIQUE INDEX follow_ups_rule_order ON follow_ups(rule_id, lead_id, order_id) WHERE rule_id IS NOT NULL AND order_id IS NOT NULL;
  CREATE INDEX follow_ups_order ON follow_ups(order_id) WHERE order_id IS NOT NULL;
`;
