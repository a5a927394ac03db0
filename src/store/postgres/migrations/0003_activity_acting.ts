/**
 * Schema version 3 of the PostgreSQL store: activities_acting (migration 0002) fires only when
 * crm.acting_user names a user. Unchanged in effect: without it crm_actor() is the login's own
 * user and the trigger changes nothing; but each call cost two SECURITY DEFINER helpers (lookups
 * in users), about 90 µs a row, most of an import's server time (1,830 ms of 2,480 ms for 20,000
 * activities under EXPLAIN ANALYZE). The WHEN clause is the test crm_actor() starts with.
 */
export default `
  DROP TRIGGER activities_acting ON activities;
  CREATE TRIGGER activities_acting BEFORE INSERT ON activities FOR EACH ROW
    WHEN (coalesce(current_setting('crm.acting_user', true), '') ~ '^[0-9]{1,18}$')
    EXECUTE FUNCTION crm_activity_acting();
`;
