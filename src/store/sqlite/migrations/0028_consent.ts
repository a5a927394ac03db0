/**
 * Consent per channel (issue 20): an append-only history of a lead's consent to be contacted by
 * email, SMS, WhatsApp or phone: granted or withdrawn, where it came from (a form's checkbox, an
 * import column, a STOP reply, an unsubscribe link, by hand, an agent) and when, and by whom when
 * a user gave it. The latest entry of a channel is its state (no entry: unknown). opt_outs stays
 * the quick answer to "may we send?": the store writes both in one step (withdrawn ⇔ a row in
 * opt_outs), so they never disagree. The opt-outs a lead had before become entries from source
 * 'migrated'.
 *
 * campaign_recipients.status gains 'no-consent': a lead skipped because privacy.require-consent is
 * on and its consent for the channel is not granted (the table is rebuilt: SQLite cannot change a
 * CHECK in place).
 *
 * imports.suppressed: rows of an import whose email or phone is on the suppression list
 * (refused to the reject file, or imported and flagged, as privacy.suppressed says).
 */
export default /* sql */ `
  CREATE TABLE consent_events (
    id      INTEGER PRIMARY KEY,
    lead_id INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
    channel TEXT NOT NULL CHECK (channel IN ('email','sms','whatsapp','call')),
    state   TEXT NOT NULL CHECK (state IN ('granted','withdrawn')),
    source  TEXT NOT NULL,
    at      TEXT NOT NULL,
    user_id INTEGER REFERENCES users(id),
    note    TEXT
  );
  CREATE INDEX consent_events_lead ON consent_events(lead_id, channel, id);
  INSERT INTO consent_events (lead_id, channel, state, source, at)
    SELECT o.ref_id, o.channel, 'withdrawn', 'migrated', o.at FROM opt_outs o
     WHERE o.kind = 'lead' AND o.channel IN ('email','sms','whatsapp','call') AND o.ref_id IN (SELECT id FROM leads)
     ORDER BY o.at, o.ref_id, o.channel;
  ALTER TABLE imports ADD COLUMN suppressed INTEGER NOT NULL DEFAULT 0;

  CREATE TABLE campaign_recipients_new (
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    lead_id     INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('queued','opted-out','bounced','no-address','no-consent')),
    address     TEXT,
    outbox_key  TEXT,
    at          TEXT NOT NULL,
    PRIMARY KEY (campaign_id, lead_id)
  ) WITHOUT ROWID;
  INSERT INTO campaign_recipients_new (campaign_id, lead_id, seq, status, address, outbox_key, at)
    SELECT campaign_id, lead_id, seq, status, address, outbox_key, at FROM campaign_recipients;
  DROP TABLE campaign_recipients;
  ALTER TABLE campaign_recipients_new RENAME TO campaign_recipients;
`;
