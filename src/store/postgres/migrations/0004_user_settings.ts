/**
 * Personal settings (issue 17), as SQLite's 0020: one row a user and key. Row-level security as
 * 0002 asks of every table: a user reads and writes only their own rows (crm_actor()); admins,
 * the daemon (crm_sees_all covers its role) and the definer all of them.
 */
export default /* sql */ `
  CREATE TABLE user_settings (
    user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    key     text NOT NULL,
    value   text NOT NULL,
    PRIMARY KEY (user_id, key)
  );
  ALTER TABLE user_settings ENABLE ROW LEVEL SECURITY;
  ALTER TABLE user_settings FORCE ROW LEVEL SECURITY;
  CREATE POLICY crm_own ON user_settings
    USING (user_id = (SELECT crm_actor()) OR (SELECT crm_actor_is_admin()) OR pg_has_role(session_user, crm_role('daemon'), 'MEMBER'))
    WITH CHECK (user_id = (SELECT crm_actor()) OR (SELECT crm_actor_is_admin()));
`;
