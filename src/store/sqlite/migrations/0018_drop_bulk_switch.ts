/**
 * The bulk switch of 0008 (lead_stats_bulk) is no longer used: a bulk import now drops the
 * lead_stats_insert trigger inside each batch's transaction and re-creates it before the commit
 * (src/store/sqlite/imports.ts). The trigger goes back to its 0006 form and the switch table goes.
 * lead_stats means what leadStatsOf in src/domain/derived.ts computes.
 */
export default /* sql */ `
  DROP TRIGGER lead_stats_insert;
  CREATE TRIGGER lead_stats_insert AFTER INSERT ON leads WHEN NEW.deleted_at IS NULL
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
  DROP TABLE lead_stats_bulk;
`;
