/**
 * Segments (L9): saved lead filters in the --where language, re-parsed on every use.
 * Campaigns (M1): drafts (name, channel, audience, subject, body with template tags).
 */
export default `
  CREATE TABLE segments (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
    where_text TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL
  );
  CREATE TABLE campaigns (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    type       TEXT NOT NULL CHECK (type IN ('email','sms','whatsapp')),
    audience   TEXT NOT NULL,
    tag        TEXT,
    subject    TEXT,
    body       TEXT NOT NULL,
    status     TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','sent')),
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    sent_at    TEXT
  );
  `;
