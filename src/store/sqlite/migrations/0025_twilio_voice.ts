/**
 * Calls through Twilio (issue 23, SPEC K2): the outcome `failed` (a dialled call Twilio could not
 * place), so the call log is rebuilt with the wider CHECK; and twilio_calls, one row a CallSid,
 * which a status callback finds and which links to the call log entry it made (idempotent on
 * CallSid: logged_at stays set even when the entry is deleted).
 */
export default /* sql */ `
  CREATE TABLE calls_new (
    id                INTEGER PRIMARY KEY,
    lead_id           INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
    user_id           INTEGER NOT NULL REFERENCES users(id),
    direction         TEXT NOT NULL CHECK (direction IN ('in','out')),
    outcome           TEXT NOT NULL CHECK (outcome IN ('connected','rnr','call-back','busy','voicemail','wrong-number','failed')),
    number            TEXT,
    start_at          TEXT NOT NULL,
    end_at            TEXT NOT NULL,
    duration_seconds  INTEGER NOT NULL CHECK (duration_seconds >= 0),
    recording_url     TEXT,
    note              TEXT,
    follow_up_id      INTEGER REFERENCES follow_ups(id) ON DELETE SET NULL,
    created_at        TEXT NOT NULL
  );
  INSERT INTO calls_new SELECT id, lead_id, user_id, direction, outcome, number, start_at, end_at, duration_seconds, recording_url, note, follow_up_id, created_at FROM calls;
  DROP TABLE calls;
  ALTER TABLE calls_new RENAME TO calls;
  CREATE INDEX calls_lead ON calls(lead_id, start_at);
  CREATE INDEX calls_user ON calls(user_id, start_at);
  CREATE INDEX calls_start ON calls(start_at);

  CREATE TABLE twilio_calls (
    sid           TEXT PRIMARY KEY,
    direction     TEXT NOT NULL CHECK (direction IN ('in','out')),
    lead_id       INTEGER REFERENCES leads(id) ON DELETE CASCADE,
    user_id       INTEGER REFERENCES users(id),
    number        TEXT NOT NULL,
    leg_to        TEXT,
    status        TEXT NOT NULL,
    leg_sid       TEXT,
    leg_status    TEXT,
    leg_seconds   INTEGER,
    recording_url TEXT,
    call_id       INTEGER REFERENCES calls(id) ON DELETE SET NULL,
    logged_at     TEXT,
    wrapped_at    TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
  );
  CREATE INDEX twilio_calls_user ON twilio_calls(user_id, created_at);
  CREATE INDEX twilio_calls_call ON twilio_calls(call_id);
  CREATE INDEX twilio_calls_lead ON twilio_calls(lead_id);
`;
