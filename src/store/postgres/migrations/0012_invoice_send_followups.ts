/**
 * Sending invoices and following up overdue ones (issue 19, O1 → F4), as SQLite's migration 26:
 * orders.sent_at and send_count; follow_ups.order_id, and one rule follow-up per lead and invoice
 * (or per lead, when about no invoice). The row-level policies of both tables are by lead and stay as they are.
 */
export default `
  ALTER TABLE orders ADD COLUMN sent_at text;
  ALTER TABLE orders ADD COLUMN send_count bigint NOT NULL DEFAULT 0;
  ALTER TABLE follow_ups ADD COLUMN order_id bigint REFERENCES orders(id) ON DELETE CASCADE;
  DROP INDEX follow_ups_rule_lead;
  CREATE UNIQUE INDEX follow_ups_rule_lead ON follow_ups(rule_id, lead_id) WHERE rule_id IS NOT NULL AND order_id IS NULL;
  CREATE UNIQUE INDEX follow_ups_rule_order ON follow_ups(rule_id, lead_id, order_id) WHERE rule_id IS NOT NULL AND order_id IS NOT NULL;
  CREATE INDEX follow_ups_order ON follow_ups(order_id) WHERE order_id IS NOT NULL;
`;
