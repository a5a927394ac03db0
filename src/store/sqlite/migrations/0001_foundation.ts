/** Schema version 1: settings, users, pipeline, taxonomies, leads and their timeline. */
export default `
  CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  CREATE TABLE users (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    email      TEXT NOT NULL UNIQUE COLLATE NOCASE,
    role       TEXT NOT NULL CHECK (role IN ('admin','manager','rep','marketing')),
    manager_id INTEGER REFERENCES users(id),
    active     INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
  );
  CREATE TABLE stages (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    position    INTEGER NOT NULL,
    probability INTEGER NOT NULL CHECK (probability BETWEEN 0 AND 100),
    outcome     TEXT NOT NULL CHECK (outcome IN ('open','won','lost'))
  );
  CREATE TABLE sources (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE
  );
  CREATE TABLE tags (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE
  );
  CREATE TABLE leads (
    id             INTEGER PRIMARY KEY,
    type           TEXT NOT NULL CHECK (type IN ('lead','customer')),
    kind           TEXT NOT NULL CHECK (kind IN ('person','company')),
    name           TEXT NOT NULL,
    business_name  TEXT,
    source_id      INTEGER REFERENCES sources(id),
    stage_id       INTEGER NOT NULL REFERENCES stages(id),
    score          INTEGER NOT NULL DEFAULT 0 CHECK (score BETWEEN 0 AND 100),
    value_minor    INTEGER CHECK (value_minor >= 0),
    currency       TEXT NOT NULL,
    expected_close TEXT,
    birthday       TEXT,
    address        TEXT,
    custom         TEXT NOT NULL DEFAULT '{}',
    status         TEXT NOT NULL CHECK (status IN ('active','junk','archived')),
    lost_reason    TEXT,
    order_id       TEXT,
    converted_at   TEXT,
    converted_by   INTEGER REFERENCES users(id),
    created_by     INTEGER REFERENCES users(id),
    merged_into    INTEGER REFERENCES leads(id),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    deleted_at     TEXT
  );
  CREATE INDEX leads_stage ON leads(stage_id);
  CREATE INDEX leads_source ON leads(source_id);
  CREATE INDEX leads_type ON leads(type);
  CREATE INDEX leads_created ON leads(created_at);
  CREATE TABLE lead_emails (
    lead_id    INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    email      TEXT NOT NULL,
    email_norm TEXT NOT NULL,
    PRIMARY KEY (lead_id, position)
  ) WITHOUT ROWID;
  CREATE INDEX lead_emails_norm ON lead_emails(email_norm);
  CREATE TABLE lead_phones (
    lead_id  INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    phone    TEXT NOT NULL,
    PRIMARY KEY (lead_id, position)
  ) WITHOUT ROWID;
  CREATE INDEX lead_phones_phone ON lead_phones(phone);
  CREATE TABLE lead_assignees (
    lead_id INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id),
    PRIMARY KEY (lead_id, user_id)
  ) WITHOUT ROWID;
  CREATE INDEX lead_assignees_user ON lead_assignees(user_id, lead_id);
  CREATE TABLE lead_tags (
    lead_id INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
    tag_id  INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    PRIMARY KEY (lead_id, tag_id)
  ) WITHOUT ROWID;
  CREATE INDEX lead_tags_tag ON lead_tags(tag_id, lead_id);
  CREATE TABLE activities (
    id      INTEGER PRIMARY KEY,
    lead_id INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
    type    TEXT NOT NULL,
    at      TEXT NOT NULL,
    user_id INTEGER REFERENCES users(id),
    body    TEXT,
    data    TEXT NOT NULL DEFAULT '{}'
  );
  CREATE INDEX activities_lead ON activities(lead_id, at);
  `;
