/**
 * Leads that arrive by themselves (issue 8). The marketplace's settings (the site key is a
 * secret setting, not here), its runs, the inquiry ids already seen (so overlapping windows
 * import nothing twice) and round-robin pointers that stay fair across runs and restarts.
 */
export default `
  CREATE TABLE marketplaces (
    site          TEXT PRIMARY KEY,
    site_id       TEXT NOT NULL,
    source_id     INTEGER REFERENCES sources(id) ON DELETE SET NULL,
    assignee_ids  TEXT NOT NULL,
    every_minutes INTEGER NOT NULL,
    base_url      TEXT NOT NULL,
    actor_id      INTEGER NOT NULL REFERENCES users(id),
    updated_at    TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE marketplace_runs (
    id               INTEGER PRIMARY KEY,
    site             TEXT NOT NULL,
    started_at       TEXT NOT NULL,
    since            TEXT NOT NULL,
    ok               INTEGER NOT NULL,
    fetched          INTEGER NOT NULL DEFAULT 0,
    created          INTEGER NOT NULL DEFAULT 0,
    reengaged        INTEGER NOT NULL DEFAULT 0,
    existing         INTEGER NOT NULL DEFAULT 0,
    rejected         INTEGER NOT NULL DEFAULT 0,
    seen             INTEGER NOT NULL DEFAULT 0,
    error            TEXT
  );
  CREATE INDEX marketplace_runs_site ON marketplace_runs (site, id);
  CREATE TABLE marketplace_seen (
    site    TEXT NOT NULL,
    inq_id  TEXT NOT NULL,
    lead_id INTEGER,
    outcome TEXT NOT NULL,
    at      TEXT NOT NULL,
    PRIMARY KEY (site, inq_id)
  ) WITHOUT ROWID;
  CREATE TABLE round_robin (
    name TEXT PRIMARY KEY,
    next INTEGER NOT NULL
  ) WITHOUT ROWID;
  `;
