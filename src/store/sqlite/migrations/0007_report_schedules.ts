/**
 * Scheduled reports (R2) and what the later notification rules (N4) need: stored report
 * schedules with the slot each last ran for, an attachments column on the outbox (a report
 * mailed as CSV/JSON/text; JSON [{filename, contentType, content}], NULL for plain messages),
 * and marks that make a time-based rule fire once per follow-up, appointment or day.
 */
export default `
  ALTER TABLE outbox ADD COLUMN attachments TEXT;
  CREATE TABLE report_schedules (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE COLLATE NOCASE,
    report       TEXT NOT NULL,
    options      TEXT NOT NULL DEFAULT '{}',
    cron         TEXT NOT NULL,
    time_zone    TEXT,
    recipients   TEXT NOT NULL,
    format       TEXT NOT NULL CHECK (format IN ('csv','json','table')),
    created_by   INTEGER NOT NULL REFERENCES users(id),
    created_at   TEXT NOT NULL,
    last_slot_at TEXT,
    last_run_at  TEXT,
    last_error   TEXT
  );
  CREATE TABLE rule_fired (
    rule TEXT NOT NULL,
    ref  TEXT NOT NULL,
    at   TEXT NOT NULL,
    PRIMARY KEY (rule, ref)
  ) WITHOUT ROWID;
  `;
