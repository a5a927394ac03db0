/**
 * What the dashboard and reports need without scanning timelines (SPEC D1, R1). What each of
 * these derived fields means is declared in src/domain/derived.ts (DERIVED_FIELDS; which entries
 * are attempts: src/domain/activity.ts); the triggers below are SQLite's fast path for it, checked
 * by test/store/contract/derived.test.ts. The attempted_at triggers are gone since 0019.
 * - leads.attempted_at: when the lead was first attempted (a call, a note, a stage move, a
 *   completed follow-up, a booked demo…); NULL means "not attempted". Kept by triggers on calls and
 *   activities, so every way in (CLI, import, daemon) maintains it.
 * - leads.furthest_stage_id: the furthest open stage the lead had reached before its current
 *   one (NULL: only the current stage), kept by a trigger on stage changes. Win rate by
 *   stage reads it instead of every stage move on every timeline.
 */
const NOT_AN_ATTEMPT = "'created', 'assigned', 'updated', 'reengaged', 'follow-up', 'follow-up-cancelled', 'appointment-cancelled', 'merged', 'deleted', 'restored'";

/** Adds (+) or removes (-) one lead's contribution to its lead_stats row. */
function upsert(row: 'NEW' | 'OLD', sign: '+' | '-', when = '1'): string {
  return `INSERT INTO lead_stats (stage_id, source_id, type, status, currency, furthest_stage_id, count, valued, value_minor, not_attempted, converted, cycle_days)
      SELECT ${row}.stage_id, coalesce(${row}.source_id, 0), ${row}.type, ${row}.status, ${row}.currency, coalesce(${row}.furthest_stage_id, 0),
             ${sign}1, ${sign}(${row}.value_minor IS NOT NULL), ${sign}coalesce(${row}.value_minor, 0), ${sign}(${row}.attempted_at IS NULL),
             ${sign}(${row}.converted_at IS NOT NULL), ${sign}coalesce(julianday(${row}.converted_at) - julianday(${row}.created_at), 0)
       WHERE ${when}
      ON CONFLICT DO UPDATE SET count = count + excluded.count, valued = valued + excluded.valued,
        value_minor = value_minor + excluded.value_minor, not_attempted = not_attempted + excluded.not_attempted,
        converted = converted + excluded.converted, cycle_days = cycle_days + excluded.cycle_days;`;
}

export default `
  ALTER TABLE leads ADD COLUMN attempted_at TEXT;
  ALTER TABLE leads ADD COLUMN furthest_stage_id INTEGER REFERENCES stages(id) ON DELETE SET NULL;

  UPDATE leads SET attempted_at = (
    SELECT min(at) FROM (
      SELECT a.at FROM activities a WHERE a.lead_id = leads.id AND a.type NOT IN (${NOT_AN_ATTEMPT})
      UNION ALL SELECT c.start_at FROM calls c WHERE c.lead_id = leads.id));

  UPDATE leads SET furthest_stage_id = (
    SELECT s.id FROM activities a JOIN stages s ON s.name = json_extract(a.data, '$.from') COLLATE NOCASE
     WHERE a.lead_id = leads.id AND a.type IN ('stage', 'lost') AND s.outcome = 'open'
     ORDER BY s.position DESC LIMIT 1)
  WHERE EXISTS (SELECT 1 FROM activities a WHERE a.lead_id = leads.id AND a.type IN ('stage', 'lost'));

  CREATE TRIGGER activities_attempted AFTER INSERT ON activities
  WHEN NEW.type NOT IN (${NOT_AN_ATTEMPT})
  BEGIN
    UPDATE leads SET attempted_at = NEW.at WHERE id = NEW.lead_id AND attempted_at IS NULL;
  END;

  CREATE TRIGGER calls_attempted AFTER INSERT ON calls
  BEGIN
    UPDATE leads SET attempted_at = NEW.start_at WHERE id = NEW.lead_id AND attempted_at IS NULL;
  END;

  CREATE TRIGGER leads_furthest_stage AFTER UPDATE OF stage_id ON leads
  WHEN NEW.stage_id IS NOT OLD.stage_id
  BEGIN
    UPDATE leads SET furthest_stage_id = (
      SELECT s.id FROM stages s
       WHERE s.outcome = 'open' AND s.id IN (coalesce(OLD.furthest_stage_id, OLD.stage_id), NEW.stage_id)
       ORDER BY s.position DESC LIMIT 1)
    WHERE id = NEW.id;
  END;
  CREATE INDEX leads_converted_by ON leads(converted_by, converted_at) WHERE converted_by IS NOT NULL;
  -- The few deleted leads, so counts of follow-ups and demos skip theirs without reading every lead row.
  CREATE INDEX leads_deleted ON leads(id) WHERE deleted_at IS NOT NULL;
  CREATE INDEX leads_birthday ON leads(substr(birthday, -5)) WHERE birthday IS NOT NULL AND deleted_at IS NULL;
  CREATE INDEX follow_ups_status_end_lead ON follow_ups(status, end_at, lead_id);
  -- Index-only counts and day ranges for the dashboard and the hourly report.
  CREATE INDEX leads_created_live ON leads(created_at) WHERE deleted_at IS NULL;
  CREATE INDEX leads_converted_at ON leads(converted_at) WHERE converted_at IS NOT NULL;
  CREATE INDEX follow_ups_completed ON follow_ups(completed_at) WHERE status = 'completed';
  CREATE INDEX appointments_completed ON appointments(completed_at) WHERE status = 'completed';

  CREATE TABLE lead_stats (
    stage_id          INTEGER NOT NULL,
    source_id         INTEGER NOT NULL,
    type              TEXT NOT NULL,
    status            TEXT NOT NULL,
    currency          TEXT NOT NULL,
    furthest_stage_id INTEGER NOT NULL,
    count             INTEGER NOT NULL,
    valued            INTEGER NOT NULL,
    value_minor       INTEGER NOT NULL,
    not_attempted     INTEGER NOT NULL,
    converted         INTEGER NOT NULL,
    cycle_days        REAL NOT NULL,
    PRIMARY KEY (stage_id, source_id, type, status, currency, furthest_stage_id)
  ) WITHOUT ROWID;

  INSERT INTO lead_stats
    SELECT stage_id, coalesce(source_id, 0), type, status, currency, coalesce(furthest_stage_id, 0),
           count(*), count(value_minor), coalesce(sum(value_minor), 0), count(*) FILTER (WHERE attempted_at IS NULL),
           count(converted_at), coalesce(sum(julianday(converted_at) - julianday(created_at)), 0)
      FROM leads WHERE deleted_at IS NULL
     GROUP BY 1, 2, 3, 4, 5, 6;

  CREATE TRIGGER lead_stats_insert AFTER INSERT ON leads WHEN NEW.deleted_at IS NULL
  BEGIN
    ${upsert('NEW', '+')}
  END;

  CREATE TRIGGER lead_stats_delete AFTER DELETE ON leads WHEN OLD.deleted_at IS NULL
  BEGIN
    ${upsert('OLD', '-')}
  END;

  CREATE TRIGGER lead_stats_update
  AFTER UPDATE OF stage_id, source_id, type, status, currency, furthest_stage_id, value_minor, attempted_at, converted_at, created_at, deleted_at ON leads
  BEGIN
    ${upsert('OLD', '-', 'OLD.deleted_at IS NULL')}
    ${upsert('NEW', '+', 'NEW.deleted_at IS NULL')}
  END;
`;
