/**
 * Notifications (N2–N4): the outbox of messages to deliver, the terminal inbox, opt-outs per
 * channel, users' phone numbers for SMS/WhatsApp, the daemon's job runs and the marks that
 * make a time-based rule fire once per lead.
 */
export default `
  CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    key             TEXT NOT NULL UNIQUE,
    rule            TEXT NOT NULL,
    channel         TEXT NOT NULL CHECK (channel IN ('email','sms','whatsapp','inbox','webhook')),
    recipient_kind  TEXT NOT NULL CHECK (recipient_kind IN ('user','lead','webhook')),
    recipient_id    INTEGER,
    address         TEXT,
    lead_id         INTEGER REFERENCES leads(id) ON DELETE SET NULL,
    vars            TEXT NOT NULL DEFAULT '{}',
    status          TEXT NOT NULL CHECK (status IN ('pending','sending','sent','failed','dead')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error      TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    sent_at         TEXT
  );
  CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE status IN ('pending','failed','sending');
  CREATE INDEX outbox_status ON outbox(status, updated_at);
  CREATE TABLE inbox (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    outbox_id  INTEGER UNIQUE REFERENCES outbox(id) ON DELETE SET NULL,
    rule       TEXT NOT NULL,
    lead_id    INTEGER REFERENCES leads(id) ON DELETE SET NULL,
    subject    TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    read_at    TEXT
  );
  CREATE INDEX inbox_user ON inbox(user_id, read_at, id);
  CREATE TABLE opt_outs (
    kind    TEXT NOT NULL CHECK (kind IN ('user','lead')),
    ref_id  INTEGER NOT NULL,
    channel TEXT NOT NULL,
    at      TEXT NOT NULL,
    PRIMARY KEY (kind, ref_id, channel)
  ) WITHOUT ROWID;
  CREATE TABLE user_phones (
    user_id INTEGER PRIMARY KEY REFERENCES users(id),
    phone   TEXT NOT NULL
  );
  CREATE TABLE daemon_jobs (
    name        TEXT PRIMARY KEY,
    last_run_at TEXT,
    last_status TEXT,
    last_error  TEXT,
    runs        INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE rule_marks (
    rule    TEXT NOT NULL,
    lead_id INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
    at      TEXT NOT NULL,
    PRIMARY KEY (rule, lead_id)
  ) WITHOUT ROWID;
  `;
