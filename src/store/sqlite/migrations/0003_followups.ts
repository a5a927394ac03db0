/** Follow-ups (with reminders, logs, recurring series, advance rules), appointments and the call log. */
export default `
  CREATE TABLE follow_up_series (
    id          INTEGER PRIMARY KEY,
    lead_id     INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
    every_days  INTEGER NOT NULL CHECK (every_days > 0),
    until       TEXT,
    time_zone   TEXT NOT NULL,
    template    TEXT NOT NULL,
    active      INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL
  );
  CREATE TABLE follow_up_rules (
    id                INTEGER PRIMARY KEY,
    name              TEXT NOT NULL UNIQUE COLLATE NOCASE,
    where_text        TEXT NOT NULL,
    conditions        TEXT NOT NULL,
    title             TEXT NOT NULL,
    type              TEXT NOT NULL CHECK (type IN ('call','sms','meeting','email')),
    priority          TEXT NOT NULL CHECK (priority IN ('low','medium','high','urgent')),
    assign            TEXT NOT NULL,
    due_in_minutes    INTEGER NOT NULL DEFAULT 0,
    duration_minutes  INTEGER NOT NULL DEFAULT 30,
    created_by        INTEGER REFERENCES users(id),
    created_at        TEXT NOT NULL
  );
  CREATE TABLE follow_ups (
    id            INTEGER PRIMARY KEY,
    lead_id       INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
    title         TEXT NOT NULL,
    type          TEXT NOT NULL CHECK (type IN ('call','sms','meeting','email')),
    priority      TEXT NOT NULL CHECK (priority IN ('low','medium','high','urgent')),
    status        TEXT NOT NULL CHECK (status IN ('scheduled','open','completed','cancelled')),
    category      TEXT,
    description   TEXT,
    start_at      TEXT NOT NULL,
    end_at        TEXT NOT NULL CHECK (end_at >= start_at),
    notify_before TEXT NOT NULL DEFAULT '[]',
    channels      TEXT NOT NULL DEFAULT '[]',
    series_id     INTEGER REFERENCES follow_up_series(id) ON DELETE SET NULL,
    occurrence    INTEGER,
    rule_id       INTEGER REFERENCES follow_up_rules(id) ON DELETE SET NULL,
    created_by    INTEGER REFERENCES users(id),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    completed_at  TEXT,
    cancelled_at  TEXT
  );
  CREATE INDEX follow_ups_lead ON follow_ups(lead_id, start_at);
  CREATE INDEX follow_ups_status_end ON follow_ups(status, end_at);
  CREATE INDEX follow_ups_start ON follow_ups(start_at);
  -- Idempotence of F3 and F4: one follow-up per occurrence of a series, one per rule and lead.
  CREATE UNIQUE INDEX follow_ups_occurrence ON follow_ups(series_id, occurrence) WHERE series_id IS NOT NULL;
  CREATE UNIQUE INDEX follow_ups_rule_lead ON follow_ups(rule_id, lead_id) WHERE rule_id IS NOT NULL;
  CREATE TABLE follow_up_assignees (
    follow_up_id INTEGER NOT NULL REFERENCES follow_ups(id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL REFERENCES users(id),
    PRIMARY KEY (follow_up_id, user_id)
  ) WITHOUT ROWID;
  CREATE INDEX follow_up_assignees_user ON follow_up_assignees(user_id, follow_up_id);
  -- What the daemon reads: one row per notify-before and channel; sent_at NULL until delivered.
  CREATE TABLE follow_up_reminders (
    id              INTEGER PRIMARY KEY,
    follow_up_id    INTEGER NOT NULL REFERENCES follow_ups(id) ON DELETE CASCADE,
    minutes_before  INTEGER NOT NULL CHECK (minutes_before >= 0),
    channel         TEXT NOT NULL CHECK (channel IN ('email','sms','whatsapp','inbox')),
    due_at          TEXT NOT NULL,
    sent_at         TEXT,
    UNIQUE (follow_up_id, minutes_before, channel)
  );
  CREATE INDEX follow_up_reminders_due ON follow_up_reminders(due_at) WHERE sent_at IS NULL;
  CREATE TABLE follow_up_logs (
    id            INTEGER PRIMARY KEY,
    follow_up_id  INTEGER NOT NULL REFERENCES follow_ups(id) ON DELETE CASCADE,
    type          TEXT NOT NULL,
    at            TEXT NOT NULL,
    subject       TEXT,
    description   TEXT,
    user_id       INTEGER REFERENCES users(id)
  );
  CREATE INDEX follow_up_logs_fu ON follow_up_logs(follow_up_id, at);
  CREATE TABLE appointments (
    id                INTEGER PRIMARY KEY,
    lead_id           INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
    kind              TEXT NOT NULL CHECK (kind IN ('demo','meeting')),
    status            TEXT NOT NULL CHECK (status IN ('scheduled','confirmed','completed','cancelled','no-show')),
    start_at          TEXT NOT NULL,
    end_at            TEXT NOT NULL,
    duration_minutes  INTEGER NOT NULL CHECK (duration_minutes > 0),
    location          TEXT,
    outcome           TEXT,
    created_by        INTEGER REFERENCES users(id),
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    confirmed_at      TEXT,
    completed_at      TEXT,
    cancelled_at      TEXT
  );
  CREATE INDEX appointments_lead ON appointments(lead_id, start_at);
  CREATE INDEX appointments_start ON appointments(start_at);
  CREATE TABLE appointment_participants (
    appointment_id INTEGER NOT NULL REFERENCES appointments(id) ON DELETE CASCADE,
    email          TEXT NOT NULL COLLATE NOCASE,
    user_id        INTEGER REFERENCES users(id),
    PRIMARY KEY (appointment_id, email)
  ) WITHOUT ROWID;
  CREATE INDEX appointment_participants_user ON appointment_participants(user_id);
  CREATE TABLE calls (
    id                INTEGER PRIMARY KEY,
    lead_id           INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
    user_id           INTEGER NOT NULL REFERENCES users(id),
    direction         TEXT NOT NULL CHECK (direction IN ('in','out')),
    outcome           TEXT NOT NULL CHECK (outcome IN ('connected','rnr','call-back','busy','voicemail','wrong-number')),
    number            TEXT,
    start_at          TEXT NOT NULL,
    end_at            TEXT NOT NULL,
    duration_seconds  INTEGER NOT NULL CHECK (duration_seconds >= 0),
    recording_url     TEXT,
    note              TEXT,
    follow_up_id      INTEGER REFERENCES follow_ups(id) ON DELETE SET NULL,
    created_at        TEXT NOT NULL
  );
  CREATE INDEX calls_lead ON calls(lead_id, start_at);
  CREATE INDEX calls_user ON calls(user_id, start_at);
  CREATE INDEX calls_start ON calls(start_at);
  `;
