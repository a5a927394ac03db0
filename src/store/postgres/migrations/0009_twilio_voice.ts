/**
 * Calls through Twilio (issue 23), as SQLite's 0025: the outcome `failed` in the call log's CHECK,
 * and twilio_calls, one row a CallSid. Row-level security as 0002 asks of a table hanging off a
 * lead and its caller, like calls: seen by whoever sees the lead, by the user it rang, and by
 * everyone who sees all (admins, the daemon that receives the callbacks).
 */
export default /* sql */ `
  ALTER TABLE calls DROP CONSTRAINT IF EXISTS calls_outcome_check;
  ALTER TABLE calls ADD CONSTRAINT calls_outcome_check CHECK (outcome IN ('connected','rnr','call-back','busy','voicemail','wrong-number','failed'));

  CREATE TABLE twilio_calls (
    sid           text COLLATE "C" PRIMARY KEY,
    direction     text NOT NULL CHECK (direction IN ('in','out')),
    lead_id       bigint REFERENCES leads(id) ON DELETE CASCADE,
    user_id       bigint REFERENCES users(id),
    number        text NOT NULL,
    leg_to        text,
    status        text NOT NULL,
    leg_sid       text,
    leg_status    text,
    leg_seconds   bigint,
    recording_url text,
    call_id       bigint REFERENCES calls(id) ON DELETE SET NULL,
    logged_at     text,
    wrapped_at    text,
    created_at    text NOT NULL,
    updated_at    text NOT NULL
  );
  CREATE INDEX twilio_calls_user ON twilio_calls(user_id, created_at);
  CREATE INDEX twilio_calls_call ON twilio_calls(call_id);
  CREATE INDEX twilio_calls_lead ON twilio_calls(lead_id);
  ALTER TABLE twilio_calls ENABLE ROW LEVEL SECURITY;
  ALTER TABLE twilio_calls FORCE ROW LEVEL SECURITY;
  CREATE POLICY crm_lead ON twilio_calls
    USING ((SELECT crm_sees_all()) OR lead_id IN (SELECT v FROM crm_visible_leads() v) OR user_id = (SELECT crm_actor()))
    WITH CHECK ((SELECT crm_sees_all()) OR lead_id IN (SELECT v FROM crm_visible_leads() v) OR user_id = (SELECT crm_actor()));
`;
