/**
 * HTTP intake (issue 8, C4): web forms the daemon accepts submissions for (only a SHA-256 of
 * each form's token is kept), the log of every submission and webhook (accepted, spam or refused
 * and why), and the Twilio message ids already received (Twilio retries: one message, one entry).
 */
export default `
  CREATE TABLE intake_forms (
    id               INTEGER PRIMARY KEY,
    name             TEXT NOT NULL UNIQUE COLLATE NOCASE,
    token_hash       TEXT NOT NULL,
    fields           TEXT NOT NULL DEFAULT '{}',
    source_id        INTEGER REFERENCES sources(id) ON DELETE SET NULL,
    tags             TEXT NOT NULL DEFAULT '[]',
    honeypot         TEXT,
    rate_count       INTEGER NOT NULL,
    rate_seconds     INTEGER NOT NULL,
    redirect         TEXT,
    origin           TEXT,
    actor_id         INTEGER NOT NULL REFERENCES users(id),
    created_at       TEXT NOT NULL,
    token_rotated_at TEXT
  );
  CREATE TABLE intake_log (
    id       INTEGER PRIMARY KEY,
    at       TEXT NOT NULL,
    channel  TEXT NOT NULL,
    ref      TEXT,
    remote   TEXT,
    status   INTEGER NOT NULL,
    result   TEXT NOT NULL,
    reason   TEXT,
    lead_id  INTEGER,
    outcome  TEXT
  );
  CREATE INDEX intake_log_ref ON intake_log (channel, ref, id);
  CREATE TABLE intake_messages (
    sid     TEXT PRIMARY KEY,
    lead_id INTEGER,
    at      TEXT NOT NULL
  ) WITHOUT ROWID;
  `;
