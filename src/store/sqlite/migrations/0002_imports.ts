/**
 * Schema version 2: bulk CSV imports (SPEC I1). One row per import run, identified by the
 * SHA-256 of the file's bytes; `last_line` and the counts are written in the same
 * transaction as each batch of leads, so a killed import resumes where it stopped.
 */
export default `
  CREATE TABLE imports (
    id            INTEGER PRIMARY KEY,
    file          TEXT NOT NULL,
    content_hash  TEXT NOT NULL,
    bytes         INTEGER NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('running','done','stopped')),
    options       TEXT NOT NULL DEFAULT '{}',
    user_id       INTEGER REFERENCES users(id),
    started_at    TEXT NOT NULL,
    finished_at   TEXT,
    last_line     INTEGER NOT NULL DEFAULT 0,
    rows          INTEGER NOT NULL DEFAULT 0,
    imported      INTEGER NOT NULL DEFAULT 0,
    junk          INTEGER NOT NULL DEFAULT 0,
    reengaged     INTEGER NOT NULL DEFAULT 0,
    updated       INTEGER NOT NULL DEFAULT 0,
    merged        INTEGER NOT NULL DEFAULT 0,
    skipped       INTEGER NOT NULL DEFAULT 0,
    rejected      INTEGER NOT NULL DEFAULT 0,
    rejects_file  TEXT,
    rejects_bytes INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX imports_hash ON imports(content_hash, id);
  `;
