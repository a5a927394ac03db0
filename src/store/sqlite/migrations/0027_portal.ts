/**
 * The customer portal (issue 19, W1): magic links and sessions of a company's contacts. Only the
 * SHA-256 of a link's or a session's token is kept, so a copy of the store signs nobody in. A
 * link is used once (used_at, set by one guarded update) and expires; a session expires and can
 * be revoked. person_id names the contact person (null: the lead's own email); a removed person
 * takes their links and sessions along.
 */
export default `
  CREATE TABLE portal_links (
    id          INTEGER PRIMARY KEY,
    token_hash  TEXT NOT NULL UNIQUE,
    lead_id     INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
    person_id   INTEGER REFERENCES contact_persons(id) ON DELETE CASCADE,
    email       TEXT NOT NULL,
    created_by  INTEGER REFERENCES users(id),
    remote      TEXT,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT
  );
  CREATE INDEX portal_links_lead ON portal_links (lead_id);
  CREATE TABLE portal_sessions (
    id           INTEGER PRIMARY KEY,
    token_hash   TEXT NOT NULL UNIQUE,
    lead_id      INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
    person_id    INTEGER REFERENCES contact_persons(id) ON DELETE CASCADE,
    email        TEXT NOT NULL,
    link_id      INTEGER REFERENCES portal_links(id) ON DELETE SET NULL,
    remote       TEXT,
    user_agent   TEXT,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    ended_at     TEXT,
    end_reason   TEXT
  );
  CREATE INDEX portal_sessions_lead ON portal_sessions (lead_id);
`;
