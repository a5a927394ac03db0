/**
 * Orders, invoices and payments (SPEC O1), the product catalogue their lines may come from, and
 * contact persons of company leads (L10), issue 19. An invoice is a billed order: billing gives
 * it its number from invoice_counters (one row per counter scope: the year, or 'all'), in the
 * same transaction, so a rolled-back bill takes no number and numbers are never reused.
 * Line items are JSON as on proposal revisions; amounts are integer minor units.
 */
export default `
  CREATE TABLE products (
    id               INTEGER PRIMARY KEY,
    name             TEXT NOT NULL UNIQUE COLLATE NOCASE,
    unit_price_minor INTEGER NOT NULL CHECK (unit_price_minor >= 0),
    currency         TEXT NOT NULL,
    tax_pct          TEXT NOT NULL DEFAULT '0',
    tax_inclusive    INTEGER NOT NULL DEFAULT 0,
    active           INTEGER NOT NULL DEFAULT 1,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
  );
  CREATE TABLE orders (
    id             INTEGER PRIMARY KEY,
    lead_id        INTEGER NOT NULL REFERENCES leads(id),
    proposal_id    INTEGER REFERENCES proposals(id) ON DELETE SET NULL,
    title          TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('draft','billed','partially-paid','paid','rejected','cancelled')),
    currency       TEXT NOT NULL,
    items          TEXT NOT NULL DEFAULT '[]',
    subtotal_minor INTEGER NOT NULL DEFAULT 0,
    discount_minor INTEGER NOT NULL DEFAULT 0,
    tax_minor      INTEGER NOT NULL DEFAULT 0,
    total_minor    INTEGER NOT NULL DEFAULT 0,
    paid_minor     INTEGER NOT NULL DEFAULT 0,
    invoice_number TEXT UNIQUE,
    billed_at      TEXT,
    due_on         TEXT,
    created_by     INTEGER REFERENCES users(id),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    closed_at      TEXT
  );
  CREATE INDEX orders_lead ON orders (lead_id);
  CREATE INDEX orders_status ON orders (status);
  CREATE INDEX orders_due ON orders (due_on) WHERE invoice_number IS NOT NULL;
  CREATE TABLE order_payments (
    id           INTEGER PRIMARY KEY,
    order_id     INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    paid_on      TEXT NOT NULL,
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    method       TEXT NOT NULL,
    note         TEXT,
    created_by   INTEGER REFERENCES users(id),
    created_at   TEXT NOT NULL
  );
  CREATE INDEX order_payments_order ON order_payments (order_id);
  CREATE TABLE invoice_counters (
    scope TEXT PRIMARY KEY,
    last  INTEGER NOT NULL
  );
  CREATE TABLE contact_persons (
    id             INTEGER PRIMARY KEY,
    lead_id        INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
    name           TEXT NOT NULL,
    email          TEXT,
    phone          TEXT,
    role           TEXT,
    commission_pct TEXT,
    portal         INTEGER NOT NULL DEFAULT 0,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
  );
  CREATE INDEX contact_persons_lead ON contact_persons (lead_id);
  `;
