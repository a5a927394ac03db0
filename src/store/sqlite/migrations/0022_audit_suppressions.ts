/**
 * The audit log (issue 20): who viewed, exported or erased a contact, backups, restores, role
 * changes and AI agents' calls. Append only: triggers refuse an UPDATE or a DELETE. lead_id has
 * no foreign key: an entry outlives the lead it names (an erased contact's entries stay, with
 * nothing in them that identifies the person).
 *
 * The suppression list: SHA-256 hashes of the emails and phones of erased people, so that a
 * form, an inquiry or an add from them again is caught without the store keeping the address.
 */
export default /* sql */ `
  CREATE TABLE audit_log (
    id      INTEGER PRIMARY KEY,
    at      TEXT NOT NULL,
    user_id INTEGER REFERENCES users(id),
    action  TEXT NOT NULL,
    lead_id INTEGER,
    detail  TEXT NOT NULL DEFAULT '{}'
  );
  CREATE INDEX audit_log_at ON audit_log(at);
  CREATE INDEX audit_log_lead ON audit_log(lead_id, at);
  CREATE INDEX audit_log_user ON audit_log(user_id, at);
  CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
  CREATE TABLE suppressions (
    hash TEXT PRIMARY KEY,
    at   TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
`;
