/**
 * Bulk import speed (issue 3):
 * - lead_stats_bulk: a one-row switch. While its row exists, the per-lead lead_stats upsert
 *   of 0006 is skipped; the import sets it, inserts a batch of leads, adds the batch's counts
 *   to lead_stats with one grouped statement and removes it again, all in the batch's
 *   transaction, so no other connection ever sees it set and a killed import leaves it unset.
 */
export default `
  CREATE TABLE lead_stats_bulk (
    id INTEGER PRIMARY KEY CHECK (id = 1)
  );

  DROP TRIGGER lead_stats_insert;
  CREATE TRIGGER lead_stats_insert AFTER INSERT ON leads
  WHEN NEW.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM lead_stats_bulk)
  BEGIN
    INSERT INTO lead_stats (stage_id, source_id, type, status, currency, furthest_stage_id, count, valued, value_minor, not_attempted, converted, cycle_days)
      SELECT NEW.stage_id, coalesce(NEW.source_id, 0), NEW.type, NEW.status, NEW.currency, coalesce(NEW.furthest_stage_id, 0),
             1, (NEW.value_minor IS NOT NULL), coalesce(NEW.value_minor, 0), (NEW.attempted_at IS NULL),
             (NEW.converted_at IS NOT NULL), coalesce(julianday(NEW.converted_at) - julianday(NEW.created_at), 0)
       WHERE 1
      ON CONFLICT DO UPDATE SET count = count + excluded.count, valued = valued + excluded.valued,
        value_minor = value_minor + excluded.value_minor, not_attempted = not_attempted + excluded.not_attempted,
        converted = converted + excluded.converted, cycle_days = cycle_days + excluded.cycle_days;
  END;
`;
