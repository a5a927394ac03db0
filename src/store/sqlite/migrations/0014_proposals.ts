/**
 * Proposals and quotations (P1, P2): templates (subject, body, cc/bcc) with their attachment
 * files stored in the store (a template keeps working when the file on disk moves), proposals
 * with every revision kept (items, totals in minor units, validity), and a history of status
 * changes. Their emails are pre-rendered outbox messages (0011: content with cc and bcc).
 */
export default `
  CREATE TABLE proposal_templates (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
    subject    TEXT NOT NULL,
    body       TEXT NOT NULL,
    cc         TEXT NOT NULL DEFAULT '[]',
    bcc        TEXT NOT NULL DEFAULT '[]',
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL
  );
  CREATE TABLE proposal_template_files (
    id           INTEGER PRIMARY KEY,
    template_id  INTEGER NOT NULL REFERENCES proposal_templates(id) ON DELETE CASCADE,
    filename     TEXT NOT NULL,
    content_type TEXT NOT NULL,
    content      BLOB NOT NULL
  );
  CREATE INDEX proposal_template_files_template ON proposal_template_files (template_id);
  CREATE TABLE proposals (
    id            INTEGER PRIMARY KEY,
    lead_id       INTEGER NOT NULL REFERENCES leads(id),
    template_id   INTEGER REFERENCES proposal_templates(id) ON DELETE SET NULL,
    template_name TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('draft','pending-approval','sent','viewed','accepted','rejected','expired')),
    revision      INTEGER NOT NULL DEFAULT 1,
    created_by    INTEGER REFERENCES users(id),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    sent_at       TEXT,
    decided_at    TEXT
  );
  CREATE INDEX proposals_lead ON proposals (lead_id);
  CREATE INDEX proposals_status ON proposals (status);
  CREATE TABLE proposal_revisions (
    proposal_id    INTEGER NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    revision       INTEGER NOT NULL,
    subject        TEXT NOT NULL,
    body           TEXT NOT NULL,
    cc             TEXT NOT NULL DEFAULT '[]',
    bcc            TEXT NOT NULL DEFAULT '[]',
    currency       TEXT NOT NULL,
    items          TEXT NOT NULL DEFAULT '[]',
    subtotal_minor INTEGER NOT NULL DEFAULT 0,
    discount_minor INTEGER NOT NULL DEFAULT 0,
    tax_minor      INTEGER NOT NULL DEFAULT 0,
    total_minor    INTEGER NOT NULL DEFAULT 0,
    valid_until    TEXT,
    created_by     INTEGER REFERENCES users(id),
    created_at     TEXT NOT NULL,
    sent_at        TEXT,
    approved_by    INTEGER REFERENCES users(id),
    approved_at    TEXT,
    PRIMARY KEY (proposal_id, revision)
  ) WITHOUT ROWID;
  CREATE TABLE proposal_events (
    id          INTEGER PRIMARY KEY,
    proposal_id INTEGER NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    revision    INTEGER NOT NULL,
    event       TEXT NOT NULL,
    status      TEXT NOT NULL,
    at          TEXT NOT NULL,
    user_id     INTEGER REFERENCES users(id),
    note        TEXT
  );
  CREATE INDEX proposal_events_proposal ON proposal_events (proposal_id);
  `;
