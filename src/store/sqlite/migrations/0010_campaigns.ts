/** Segments (L9): saved lead filters in the --where language, re-parsed on every use. */
export default `
  CREATE TABLE segments (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
    where_text TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL
  );
  `;
