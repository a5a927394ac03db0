/**
 * Notifications for the daemon and the board (src/store/postgres/events.ts): what SQLite leaves to
 * polling, PostgreSQL tells as it commits (a NOTIFY is delivered at commit, never for a rollback).
 *
 * - `crm_outbox`: once per statement that queues messages, and for each row that becomes due-able
 *   (pending or failed, with a status or due time that changed: retried, given back, recovered).
 *   A claim (→ sending) or a delivery (→ sent) does not notify, so the daemon's own work never
 *   wakes it. A message failed with a later retry notifies too: the daemon finds nothing due yet
 *   and sleeps again (its slow safety poll picks retries up when their time comes).
 * - `crm_change`: once per statement that writes one of the main tables (what the board shows).
 *   Per statement, not per row: an import of a million leads notifies once. A statement that
 *   changed no row notifies too; the board then redraws for nothing, which is harmless.
 *
 * Written to apply to whatever tables exist (a table missing is skipped) and to be re-applied
 * safely: the schema may already have created some of these triggers.
 */
export default `
CREATE OR REPLACE FUNCTION crm_notify_outbox() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM pg_notify('crm_outbox', '');
  RETURN NULL;
END
$fn$;

CREATE OR REPLACE FUNCTION crm_notify_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM pg_notify('crm_change', '');
  RETURN NULL;
END
$fn$;

DO $do$
DECLARE
  t text;
BEGIN
  IF to_regclass('outbox') IS NOT NULL THEN
    DROP TRIGGER IF EXISTS crm_outbox_queued ON outbox;
    DROP TRIGGER IF EXISTS crm_outbox_due ON outbox;
    CREATE TRIGGER crm_outbox_queued AFTER INSERT ON outbox
      FOR EACH STATEMENT EXECUTE FUNCTION crm_notify_outbox();
    CREATE TRIGGER crm_outbox_due AFTER UPDATE ON outbox
      FOR EACH ROW WHEN (NEW.status IN ('pending', 'failed')
        AND (OLD.status IS DISTINCT FROM NEW.status OR OLD.next_attempt_at IS DISTINCT FROM NEW.next_attempt_at))
      EXECUTE FUNCTION crm_notify_outbox();
  END IF;
  FOREACH t IN ARRAY ARRAY['leads', 'lead_assignees', 'lead_tags', 'lead_emails', 'lead_phones', 'lead_scores',
      'activities', 'follow_ups', 'follow_up_assignees', 'appointments', 'appointment_participants', 'calls',
      'proposals', 'stages', 'sources', 'tags', 'users'] LOOP
    IF to_regclass(t) IS NOT NULL THEN
      EXECUTE format('DROP TRIGGER IF EXISTS crm_change ON %I', t);
      EXECUTE format('CREATE TRIGGER crm_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I
        FOR EACH STATEMENT EXECUTE FUNCTION crm_notify_change()', t);
    END IF;
  END LOOP;
END
$do$;
`;
