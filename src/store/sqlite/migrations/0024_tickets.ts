/**
 * Support tickets (issue 19, W2): a ticket on a lead or customer, its SLA due times (set from its
 * priority when opened or re-prioritised, so that a breach is a plain comparison), and its
 * messages. A message's Message-ID is unique: an inbound reply that quotes it (In-Reply-To,
 * References) finds the ticket. contact_id names a contact person once they exist (no key yet).
 */
export default /* sql */ `
  CREATE TABLE tickets (
    id                  INTEGER PRIMARY KEY,
    lead_id             INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
    contact_id          INTEGER,
    subject             TEXT NOT NULL,
    status              TEXT NOT NULL CHECK (status IN ('new','open','pending-customer','resolved','closed')),
    priority            TEXT NOT NULL CHECK (priority IN ('low','normal','high','urgent')),
    category            TEXT,
    assignee_id         INTEGER REFERENCES users(id),
    created_by          INTEGER REFERENCES users(id),
    channel             TEXT NOT NULL CHECK (channel IN ('cli','portal','email')),
    email               TEXT,
    first_response_due  TEXT NOT NULL,
    resolution_due      TEXT NOT NULL,
    first_response_at   TEXT,
    resolved_at         TEXT,
    closed_at           TEXT,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
  );
  CREATE INDEX tickets_lead ON tickets(lead_id);
  CREATE INDEX tickets_assignee ON tickets(assignee_id, status);
  CREATE INDEX tickets_status ON tickets(status, resolution_due);

  CREATE TABLE ticket_messages (
    id            INTEGER PRIMARY KEY,
    ticket_id     INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    direction     TEXT NOT NULL CHECK (direction IN ('in','out')),
    user_id       INTEGER REFERENCES users(id),
    contact_id    INTEGER,
    from_address  TEXT,
    to_address    TEXT,
    subject       TEXT,
    body          TEXT NOT NULL,
    message_id    TEXT UNIQUE,
    in_reply_to   TEXT,
    outbox_key    TEXT,
    at            TEXT NOT NULL
  );
  CREATE INDEX ticket_messages_ticket ON ticket_messages(ticket_id, at);
`;
