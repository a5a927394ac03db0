/**
 * Rules back in the domain (src/domain/derived.ts declares every derived field):
 * - leads.attempted_at is no longer kept by the triggers activities_attempted (0006, 0015) and
 *   calls_attempted: the store applies isContactAttempt (src/domain/activity.ts) when it records
 *   a timeline entry or a call (src/store/sqlite/misc.ts, calls.ts, imports.ts). Stored values
 *   already follow that list (0015's), so nothing is recomputed.
 * - outbox.failure: the kind of a failure (OUTBOX_FAILURES in src/domain/notify.ts), set by
 *   whoever records it; campaigns find bounces and cancelled or opted-out recipients by it
 *   instead of matching error texts. Existing failures are classified once from their texts,
 *   with the prefixes of failureKindOfText (written out here: a shipped migration never changes).
 * - outbox_bounced: the few bounced addresses a campaign skips, without reading the outbox.
 */
export default /* sql */ `
  DROP TRIGGER activities_attempted;
  DROP TRIGGER calls_attempted;

  ALTER TABLE outbox ADD COLUMN failure TEXT CHECK (failure IN ('bounce','cancelled','opted-out','error'));
  UPDATE outbox SET failure = CASE
      WHEN substr(last_error, 1, 13) = 'SMTP error: 5' THEN 'bounce'
      WHEN substr(last_error, 1, 10) = 'cancelled:' THEN 'cancelled'
      WHEN substr(last_error, 1, 27) = 'the recipient opted out of ' THEN 'opted-out'
      ELSE 'error' END
   WHERE status IN ('failed','dead') AND last_error IS NOT NULL;
  CREATE INDEX outbox_bounced ON outbox(address) WHERE failure = 'bounce' AND status = 'dead' AND channel = 'email';
`;
