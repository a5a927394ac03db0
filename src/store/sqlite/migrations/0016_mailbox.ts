/**
 * Mailbox parsing (C5, issue 8). The mailbox's settings (the password is a secret setting, not
 * here), where the last poll got to in the folder (UIDVALIDITY and the last UID seen), every
 * message handled (lead or skipped) keyed by UIDVALIDITY + UID and by Message-ID, and the polls.
 * Messages are keyed by scope (mailbox column: user@host:port/folder), so pointing the mailbox
 * elsewhere starts afresh; Message-IDs are looked up across scopes (message_key index).
 * A message's row is written in the transaction of its lead; `done` turns 1 once the message
 * was marked seen or moved on the server, so a poll killed in between finishes the job next time.
 */
export default `
  CREATE TABLE mailboxes (
    name          TEXT PRIMARY KEY,
    host          TEXT NOT NULL,
    port          INTEGER NOT NULL,
    tls           INTEGER NOT NULL,
    user          TEXT NOT NULL,
    folder        TEXT NOT NULL,
    every_minutes INTEGER NOT NULL,
    move_to       TEXT,
    source_id     INTEGER REFERENCES sources(id) ON DELETE SET NULL,
    actor_id      INTEGER NOT NULL REFERENCES users(id),
    uid_validity  INTEGER,
    last_uid      INTEGER NOT NULL DEFAULT 0,
    updated_at    TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE mailbox_messages (
    mailbox      TEXT NOT NULL,
    uid_validity INTEGER NOT NULL,
    uid          INTEGER NOT NULL,
    message_key  TEXT NOT NULL,
    lead_id      INTEGER,
    outcome      TEXT NOT NULL,
    reason       TEXT,
    at           TEXT NOT NULL,
    done         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (mailbox, uid_validity, uid)
  ) WITHOUT ROWID;
  CREATE INDEX mailbox_messages_key ON mailbox_messages (message_key);
  CREATE INDEX mailbox_messages_pending ON mailbox_messages (mailbox, done) WHERE done = 0;
  CREATE TABLE mailbox_polls (
    id           INTEGER PRIMARY KEY,
    mailbox      TEXT NOT NULL,
    started_at   TEXT NOT NULL,
    ok           INTEGER NOT NULL,
    fetched      INTEGER NOT NULL DEFAULT 0,
    created      INTEGER NOT NULL DEFAULT 0,
    reengaged    INTEGER NOT NULL DEFAULT 0,
    existing     INTEGER NOT NULL DEFAULT 0,
    junk         INTEGER NOT NULL DEFAULT 0,
    skipped      INTEGER NOT NULL DEFAULT 0,
    rejected     INTEGER NOT NULL DEFAULT 0,
    seen         INTEGER NOT NULL DEFAULT 0,
    uid_validity INTEGER,
    last_uid     INTEGER,
    error        TEXT
  );
  CREATE INDEX mailbox_polls_mailbox ON mailbox_polls (mailbox, id);
  `;
