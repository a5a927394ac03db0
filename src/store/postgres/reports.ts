/**
 * Reports on PostgreSQL: the port of src/store/sqlite/reports.ts, with the same figures.
 * Differences: camelCase result names are quoted (PostgreSQL folds bare names to lower case);
 * day spans and local hours are computed on the ISO text columns cast to timestamptz (SQLite:
 * julianday, strftime; crm_days_between is the schema's julianday difference, the one
 * lead_stats sums); text keys sort COLLATE "C" (SQLite sorts expressions BINARY); NULLs
 * sort first where SQLite puts them; birthdays match on right(birthday, 5).
 */
import type { Store } from '../types.js';
import type { PgSql } from './sql.js';
import { NOCASE_ORDER } from './leads.js';

/**
 * Aggregates for the dashboard (D1) and reports (R1), each one SQL query over indexes:
 * nothing here loads rows to count them in JavaScript. `userId` scopes a rep to their own
 * records (leads assigned to them, follow-ups assigned to them, calls they made).
 */

const leadScope = (alias: string, userId: number | undefined, params: unknown[]): string => {
  if (userId === undefined) return `${alias}.deleted_at IS NULL`;
  params.push(userId);
  return `${alias}.deleted_at IS NULL AND ${alias}.id IN (SELECT la.lead_id FROM lead_assignees la WHERE la.user_id = ?)`;
};

const followUpScope = (userId: number | undefined, params: unknown[]): string => {
  if (userId === undefined) return '1 = 1';
  params.push(userId);
  return 'f.id IN (SELECT fa.follow_up_id FROM follow_up_assignees fa WHERE fa.user_id = ?)';
};

/** Follow-ups and appointments of soft-deleted leads do not count (a tiny partial index). */
const LIVE_LEAD = (col: string) => `${col} NOT IN (SELECT d.id FROM leads d WHERE d.deleted_at IS NOT NULL)`;


export function reportsRepo(sql: PgSql): Store['reports'] {
  const q = <T>(text: string, params: unknown[]): Promise<T[]> => sql.all(text, ...params) as Promise<T[]>;
  const one = async <T>(text: string, params: unknown[]): Promise<T> => (await sql.get(text, ...params)) as T;

  return {
    async leadCube({ userId }) {
      if (userId === undefined) {
        // Team-wide: the counters kept per (stage, source, type, status, currency, furthest stage).
        return q(
          `SELECT stage_id AS "stageId", nullif(source_id, 0) AS "sourceId", type, status, currency, nullif(furthest_stage_id, 0) AS "furthestStageId",
                  count, valued, value_minor AS "valueMinor", not_attempted AS "notAttempted", converted, cycle_days AS "cycleDays"
             FROM lead_stats WHERE count > 0`,
          [],
        );
      }
      // One user's leads: from their assignments (index on user_id), grouped the same way.
      return q(
        `SELECT l.stage_id AS "stageId", l.source_id AS "sourceId", l.type, l.status, l.currency, l.furthest_stage_id AS "furthestStageId",
                count(*) AS count, count(l.value_minor) AS valued, coalesce(sum(l.value_minor), 0) AS "valueMinor",
                count(*) FILTER (WHERE l.attempted_at IS NULL) AS "notAttempted",
                count(l.converted_at) AS converted,
                coalesce(sum(crm_days_between(l.created_at, l.converted_at)), 0) AS "cycleDays"
           FROM lead_assignees la JOIN leads l ON l.id = la.lead_id
          WHERE la.user_id = ? AND l.deleted_at IS NULL
          GROUP BY l.stage_id, l.source_id, l.type, l.status, l.currency, l.furthest_stage_id`,
        [userId],
      );
    },

    async leadsCreated({ userId, from, to }) {
      const p: unknown[] = [];
      const scope = leadScope('l', userId, p);
      return (await one<{ n: number }>(`SELECT count(*) AS n FROM leads l WHERE ${scope} AND l.created_at >= ? AND l.created_at < ?`, [...p, from, to])).n;
    },

    async leadsBy({ by, userId, from, to }) {
      const p: unknown[] = [];
      const scope = leadScope('l', userId, p);
      p.push(from, to);
      const group = {
        user: { join: 'LEFT JOIN lead_assignees g ON g.lead_id = l.id LEFT JOIN users u ON u.id = g.user_id', key: "coalesce(u.email, '(unassigned)')" },
        source: { join: 'LEFT JOIN sources src ON src.id = l.source_id', key: "coalesce(src.name, '(none)')" },
        stage: { join: 'JOIN stages s ON s.id = l.stage_id', key: "s.name || CASE WHEN l.status <> 'active' THEN ' (' || l.status || ')' ELSE '' END" },
      }[by];
      // The key is an expression: SQLite groups and sorts it BINARY whatever its column's collation.
      return q(
        `SELECT (${group.key}) COLLATE "C" AS key, count(DISTINCT l.id) AS leads,
                count(DISTINCT l.id) FILTER (WHERE l.type = 'customer') AS customers
           FROM leads l ${group.join}
          WHERE ${scope} AND l.created_at >= ? AND l.created_at < ?
          GROUP BY 1 ORDER BY leads DESC, key`,
        p,
      );
    },

    async birthdays({ userId, monthDays }) {
      if (monthDays.length === 0) return []; // SQLite's empty IN (): no birthday
      const p: unknown[] = [];
      const scope = leadScope('l', userId, p);
      return q(
        `SELECT l.id, l.name, l.type, l.birthday FROM leads l
          WHERE ${scope} AND l.status = 'active' AND l.birthday IS NOT NULL
            AND right(l.birthday, 5) IN (${monthDays.map(() => '?').join(', ')})
          ORDER BY l.id`,
        [...p, ...monthDays],
      );
    },

    async followUpsByStatus({ userId, startFrom, startTo, openOnly }) {
      const p: unknown[] = [];
      const scope = followUpScope(userId, p);
      let range = startFrom ? ' AND f.start_at >= ? AND f.start_at < ?' : '';
      if (startFrom) p.push(startFrom, startTo);
      if (openOnly) range += " AND f.status IN ('scheduled', 'open')";
      const rows = await q<{ status: string; n: number }>(
        `SELECT f.status, count(*) AS n FROM follow_ups f
          WHERE ${scope}${range} AND ${LIVE_LEAD('f.lead_id')} GROUP BY f.status`,
        p,
      );
      const out = { scheduled: 0, open: 0, completed: 0, cancelled: 0 };
      for (const r of rows) out[r.status as keyof typeof out] = r.n;
      return out;
    },

    async overdueFollowUps({ userId, now }) {
      const p: unknown[] = [];
      const scope = followUpScope(userId, p);
      return (await one<{ n: number }>(
        `SELECT count(*) AS n FROM follow_ups f
          WHERE f.status IN ('scheduled', 'open') AND f.end_at < ? AND ${scope} AND ${LIVE_LEAD('f.lead_id')}`,
        [now, ...p],
      )).n;
    },

    async callCounts({ userId, ranges }) {
      if (ranges.length === 0) return [];
      const p: unknown[] = [];
      const cols = ranges.map((r, i) => {
        p.push(r.from, r.to);
        return `count(*) FILTER (WHERE c.start_at >= ? AND c.start_at < ?) AS r${i}`;
      });
      const where = userId === undefined ? '' : ' WHERE c.user_id = ?';
      if (userId !== undefined) p.push(userId);
      const r = await one<Record<string, number>>(`SELECT ${cols.join(', ')} FROM calls c${where}`, p);
      return ranges.map((_, i) => r[`r${i}`] ?? 0);
    },

    async demos({ userId, from, to }) {
      const p: unknown[] = [from, to];
      const scope = userId === undefined ? '' : ' AND (a.created_by = ? OR EXISTS (SELECT 1 FROM appointment_participants ap WHERE ap.appointment_id = a.id AND ap.user_id = ?) OR EXISTS (SELECT 1 FROM lead_assignees la WHERE la.lead_id = a.lead_id AND la.user_id = ?))';
      if (userId !== undefined) p.push(userId, userId, userId);
      const r = await one<{ scheduled: number; completed: number }>(
        `SELECT count(*) FILTER (WHERE a.status NOT IN ('cancelled')) AS scheduled, count(*) FILTER (WHERE a.status = 'completed') AS completed
           FROM appointments a
          WHERE a.kind = 'demo' AND a.start_at >= ? AND a.start_at < ?${scope} AND ${LIVE_LEAD('a.lead_id')}`,
        p,
      );
      return { scheduled: r.scheduled ?? 0, completed: r.completed ?? 0 };
    },

    async demoList({ userId, status, from, to, field }) {
      const p: unknown[] = [status, from, to];
      const scope = userId === undefined ? '' : ' AND EXISTS (SELECT 1 FROM lead_assignees la WHERE la.lead_id = a.lead_id AND la.user_id = ?)';
      if (userId !== undefined) p.push(userId);
      const col = field === 'completed' ? 'a.completed_at' : 'a.start_at';
      // SQLite's group_concat follows the (lead_id, user_id) key: the same order here.
      return q(
        `SELECT a.id, a.lead_id AS "leadId", l.name AS lead, l.business_name AS "businessName", a.status, a.start_at AS "startAt",
                a.duration_minutes AS "durationMinutes", a.location,
                (SELECT string_agg(u.email, ',' ORDER BY la.user_id) FROM lead_assignees la JOIN users u ON u.id = la.user_id WHERE la.lead_id = a.lead_id) AS reps
           FROM appointments a JOIN leads l ON l.id = a.lead_id AND l.deleted_at IS NULL
          WHERE a.kind = 'demo' AND a.status = ? AND ${col} >= ? AND ${col} < ?${scope}
          ORDER BY a.start_at, a.id`,
        p,
      );
    },

    async conversions({ userId, from, to, details: withDetails = true }) {
      const p: unknown[] = [];
      let where = 'l.converted_at IS NOT NULL AND l.deleted_at IS NULL';
      if (from) {
        where += ' AND l.converted_at >= ? AND l.converted_at < ?';
        p.push(from, to);
      }
      if (userId !== undefined) {
        where += ' AND l.converted_by = ?';
        p.push(userId);
      }
      const byUser = await q<{ userId: number; user: string; name: string; conversions: number }>(
        `SELECT u.id AS "userId", u.email AS user, u.name, count(*) AS conversions
           FROM leads l JOIN users u ON u.id = l.converted_by WHERE ${where}
          GROUP BY u.id ORDER BY conversions DESC, ${NOCASE_ORDER('u.email')}`,
        p,
      );
      const details = !withDetails ? [] : await q<{ id: number; name: string; businessName: string | null; user: string; convertedAt: string; orderId: string | null; previousType: string }>(
        `SELECT l.id, l.name, l.business_name AS "businessName", u.email AS user, l.converted_at AS "convertedAt", l.order_id AS "orderId", 'lead' AS "previousType"
           FROM leads l JOIN users u ON u.id = l.converted_by WHERE ${where}
          ORDER BY l.converted_at DESC, l.id DESC`,
        p,
      );
      return { byUser, details };
    },

    async followUpsBy({ by, userId, from, to, category }) {
      const p: unknown[] = [];
      let where = `${followUpScope(userId, p)} AND ${LIVE_LEAD('f.lead_id')}`;
      if (from) {
        where += ' AND f.start_at >= ? AND f.start_at < ?';
        p.push(from, to);
      }
      if (category) {
        where += ' AND f.category = ? COLLATE NOCASE';
        p.push(category);
      }
      const counts = `count(*) FILTER (WHERE f.status = 'scheduled') AS scheduled, count(*) FILTER (WHERE f.status = 'open') AS open,
                      count(*) FILTER (WHERE f.status = 'completed') AS completed, count(*) FILTER (WHERE f.status = 'cancelled') AS cancelled,
                      count(*) AS total`;
      // Grouped on integer ids first; names are joined to the (few) groups afterwards.
      // By user, each row is one (follow-up, assignee) pair, so count(*) counts each once.
      const sqlText = by === 'user'
        ? `SELECT coalesce(u.email, '(unassigned)') COLLATE "C" AS key, NULL AS detail, g.scheduled, g.open, g.completed, g.cancelled, g.total
             FROM (SELECT fa.user_id AS uid, ${counts} FROM follow_ups f LEFT JOIN follow_up_assignees fa ON fa.follow_up_id = f.id
                    WHERE ${where} GROUP BY fa.user_id) g
             LEFT JOIN users u ON u.id = g.uid ORDER BY g.total DESC, key`
        : `SELECT (l.name || ' #' || l.id) COLLATE "C" AS key, l.business_name AS detail, g.scheduled, g.open, g.completed, g.cancelled, g.total
             FROM (SELECT f.lead_id AS lid, ${counts} FROM follow_ups f WHERE ${where} GROUP BY f.lead_id) g
             JOIN leads l ON l.id = g.lid ORDER BY g.total DESC, key`;
      return q(sqlText, p);
    },

    async hourly({ userId, from, to, offsetMinutes }) {
      // The hour of an ISO instant in the zone offsetMinutes from UTC (SQLite: strftime('%H', col, '+N minutes')).
      const shift = `interval '${Math.trunc(offsetMinutes)} minutes'`;
      const hour = (col: string) => `extract(hour from ((${col})::timestamptz AT TIME ZONE 'UTC') + ${shift})::int`;
      const u = (col: string) => (userId === undefined ? '' : ` AND ${col} = ${Number(userId)}`);
      const fuUser = userId === undefined ? '' : ` AND EXISTS (SELECT 1 FROM follow_up_assignees fa WHERE fa.follow_up_id = f.id AND fa.user_id = ${Number(userId)})`;
      return q(
        `SELECT hour, sum(calls) AS calls, sum(emails) AS emails, sum(meetings) AS meetings, sum(won) AS won, currency, sum(revenue) AS "revenueMinor" FROM (
           SELECT ${hour('c.start_at')} AS hour, 1 AS calls, 0 AS emails, 0 AS meetings, 0 AS won, NULL::text AS currency, 0::bigint AS revenue
             FROM calls c WHERE c.start_at >= ? AND c.start_at < ?${u('c.user_id')}
           UNION ALL
           SELECT ${hour('f.completed_at')}, 0, (f.type = 'email')::int, (f.type = 'meeting')::int, 0, NULL, 0
             FROM follow_ups f WHERE f.status = 'completed' AND f.completed_at >= ? AND f.completed_at < ? AND f.type IN ('email', 'meeting')${fuUser}
           UNION ALL
           SELECT ${hour('a.completed_at')}, 0, 0, 1, 0, NULL, 0
             FROM appointments a WHERE a.status = 'completed' AND a.completed_at >= ? AND a.completed_at < ?${u('a.created_by')}
           UNION ALL
           SELECT ${hour('l.converted_at')}, 0, 0, 0, 1, l.currency, coalesce(l.value_minor, 0)
             FROM leads l WHERE l.converted_at >= ? AND l.converted_at < ? AND l.deleted_at IS NULL${u('l.converted_by')}
         ) x GROUP BY hour, currency ORDER BY hour, currency NULLS FIRST`,
        [from, to, from, to, from, to, from, to],
      );
    },
  };
}
