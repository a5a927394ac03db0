/**
 * Campaign sending (M1): the campaign's send state, one row per resolved recipient (queued with
 * its outbox key, or skipped with the reason), and the secret that signs unsubscribe links.
 *
 * campaigns is rebuilt (SQLite cannot widen a CHECK): statuses draft, sending, scheduled, sent,
 * cancelled; send_at (first message), rate (messages per second, null: unthrottled), queued_at
 * (every recipient resolved and queued; null while a send is under way or was interrupted).
 */
export default /* sql */ `
  CREATE TABLE campaigns_new (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    type       TEXT NOT NULL CHECK (type IN ('email','sms','whatsapp')),
    audience   TEXT NOT NULL,
    tag        TEXT,
    subject    TEXT,
    body       TEXT NOT NULL,
    status     TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','sending','scheduled','sent','cancelled')),
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    sent_at    TEXT,
    send_at    TEXT,
    rate       REAL,
    queued_at  TEXT,
    sent_by    INTEGER REFERENCES users(id),
    cancelled_at TEXT
  );
  INSERT INTO campaigns_new (id, name, type, audience, tag, subject, body, status, created_by, created_at, sent_at)
    SELECT id, name, type, audience, tag, subject, body, status, created_by, created_at, sent_at FROM campaigns;
  DROP TABLE campaigns;
  ALTER TABLE campaigns_new RENAME TO campaigns;

  CREATE TABLE campaign_recipients (
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    lead_id     INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('queued','opted-out','bounced','no-address')),
    address     TEXT,
    outbox_key  TEXT,
    at          TEXT NOT NULL,
    PRIMARY KEY (campaign_id, lead_id)
  ) WITHOUT ROWID;

  CREATE TABLE campaign_secrets (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    secret TEXT NOT NULL
  );
  INSERT INTO campaign_secrets (id, secret) VALUES (1, lower(hex(randomblob(32))));
`;
