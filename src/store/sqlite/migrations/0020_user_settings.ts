/**
 * Personal settings (issue 17): a user's own time zone, date order and default board filter,
 * kept in the store so that they follow the user to every machine. One row a user and key; a
 * user's rows go with the user.
 */
export default /* sql */ `
  CREATE TABLE user_settings (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    key     TEXT NOT NULL,
    value   TEXT NOT NULL,
    PRIMARY KEY (user_id, key)
  ) WITHOUT ROWID;
`;
