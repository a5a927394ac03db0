/**
 * Routing, scoring and the welcome message (issue 8; SPEC L7, L8, C6).
 * - routing_rules: evaluated in `position` order; each sends a lead to one user or a group.
 * - routing_groups: round-robin groups (the pointer is in round_robin, name routing:<group>).
 * - scoring_rules: conditions and points; lead_scores keeps, per lead, the manual base and the
 *   rule points last applied (leads.score = clamp(base + points, 0, 100)). A lead without a row
 *   has base = its stored score (legacy, imported and rule-less leads keep their score).
 * - welcome_rules: per source and/or intake channel, a template per message channel and an
 *   optional attachment, copied into the store when configured (the daemon need not see the file).
 * Their automatic timeline entries (routed, scored, welcome) are not a rep's attempt: see 0015.
 */

export default /* sql */ `
  CREATE TABLE routing_rules (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    position    INTEGER NOT NULL,
    conditions  TEXT NOT NULL,
    user_id     INTEGER REFERENCES users(id),
    group_name  TEXT COLLATE NOCASE,
    created_by  INTEGER REFERENCES users(id),
    created_at  TEXT NOT NULL,
    CHECK ((user_id IS NULL) <> (group_name IS NULL))
  );
  CREATE TABLE routing_groups (
    name        TEXT PRIMARY KEY COLLATE NOCASE,
    user_ids    TEXT NOT NULL,
    created_at  TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE scoring_rules (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    conditions  TEXT NOT NULL,
    points      INTEGER NOT NULL,
    days        INTEGER NOT NULL,
    created_by  INTEGER REFERENCES users(id),
    created_at  TEXT NOT NULL
  );
  CREATE TABLE lead_scores (
    lead_id INTEGER PRIMARY KEY REFERENCES leads(id) ON DELETE CASCADE,
    base    INTEGER NOT NULL,
    points  INTEGER NOT NULL,
    at      TEXT NOT NULL
  );
  CREATE TABLE welcome_rules (
    id           INTEGER PRIMARY KEY,
    source       TEXT NOT NULL COLLATE NOCASE,
    via          TEXT NOT NULL,
    channel      TEXT NOT NULL CHECK (channel IN ('email','sms','whatsapp')),
    template     TEXT NOT NULL,
    attach_name  TEXT,
    attach_type  TEXT,
    attach_size  INTEGER,
    attach_data  BLOB,
    created_by   INTEGER REFERENCES users(id),
    created_at   TEXT NOT NULL,
    UNIQUE (source, via, channel)
  );
`;
