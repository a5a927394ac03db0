import type { Store } from '../types.js';
import type { Sql } from './index.js';

/**
 * Aggregates for the dashboard (D1) and reports (R1), each one SQL query over indexes:
 * nothing here loads rows to count them in JavaScript. `userId` scopes a rep to their own
 * records (leads assigned to them, follow-ups assigned to them, calls they made).
 */

const leadScope = (alias: string, userId: number | undefined, params: unknown[]): string => {
  if (userId === undefined) return `${alias}.deleted_at IS NULL`;
  params.push(userId);
  return `${alias}.deleted_at IS NULL AND EXISTS (SELECT 1 FROM lead_assignees la WHERE la.lead_id = ${alias}.id AND la.user_id = ?)`;
};

const followUpScope = (userId: number | undefined, params: unknown[]): string => {
  if (userId === undefined) return '1 = 1';
  params.push(userId);
  return 'EXISTS (SELECT 1 FROM follow_up_assignees fa WHERE fa.follow_up_id = f.id AND fa.user_id = ?)';
};

/**
 * Timeline entries that are not an attempt to reach the lead: bookkeeping, and plans that
 * were made or dropped. Anything else (a call, a note, a stage move, a completed follow-up
 * or demo) means the lead was attempted.
 */
const NOT_AN_ATTEMPT = ['created', 'assigned', 'updated', 'reengaged', 'follow-up', 'follow-up-cancelled', 'appointment', 'appointment-confirmed', 'appointment-cancelled']
  .map((x) => `'${x}'`)
  .join(', ');

export function reportsRepo(sql: Sql): Store['reports'] {
  const q = <T>(text: string, params: unknown[]): T[] => sql.db.prepare(text).all(...params) as T[];
  const one = <T>(text: string, params: unknown[]): T => sql.db.prepare(text).get(...params) as T;

  return {
    async contactTotals({ userId, hotSourceIds }) {
      const p: unknown[] = [];
      const scope = leadScope('l', userId, p);
      const hot = hotSourceIds.length ? `l.source_id IN (${hotSourceIds.map(() => '?').join(', ')})` : '0';
      const r = one<Record<string, number | null>>(
        `SELECT
           count(*) FILTER (WHERE l.type = 'lead' AND l.status = 'active') AS leads,
           count(*) FILTER (WHERE l.type = 'customer' AND l.status = 'active') AS customers,
           count(*) FILTER (WHERE l.type = 'lead' AND l.status = 'active' AND s.outcome = 'lost') AS lost,
           count(*) FILTER (WHERE l.type = 'lead' AND l.status = 'active' AND s.outcome = 'open' AND ${hot}) AS hot,
           count(*) FILTER (WHERE l.status = 'junk') AS junk,
           count(*) FILTER (WHERE l.type = 'lead' AND l.status = 'active' AND s.outcome = 'open'
             AND NOT EXISTS (SELECT 1 FROM calls c WHERE c.lead_id = l.id)
             AND NOT EXISTS (SELECT 1 FROM activities a WHERE a.lead_id = l.id AND a.type NOT IN (${NOT_AN_ATTEMPT}))) AS not_attempted
         FROM leads l JOIN stages s ON s.id = l.stage_id WHERE ${scope}`,
        [...hotSourceIds, ...p],
      );
      return { leads: r.leads ?? 0, customers: r.customers ?? 0, lost: r.lost ?? 0, hot: r.hot ?? 0, junk: r.junk ?? 0, notAttempted: r.not_attempted ?? 0 };
    },

    async leadsCreated({ userId, from, to }) {
      const p: unknown[] = [];
      const scope = leadScope('l', userId, p);
      return one<{ n: number }>(`SELECT count(*) AS n FROM leads l WHERE ${scope} AND l.created_at >= ? AND l.created_at < ?`, [...p, from, to]).n;
    },

    async pipeline({ userId }) {
      const p: unknown[] = [];
      const scope = leadScope('l', userId, p);
      return q(
        `SELECT s.id AS stageId, s.name AS stage, s.position, s.outcome, s.probability, l.currency,
                count(l.id) AS count, coalesce(sum(l.value_minor), 0) AS valueMinor
           FROM stages s LEFT JOIN leads l ON l.stage_id = s.id AND l.status = 'active' AND ${scope}
          GROUP BY s.id, l.currency ORDER BY s.position, l.currency`,
        p,
      );
    },

    async bySource({ userId, from, to }) {
      const p: unknown[] = [];
      const scope = leadScope('l', userId, p);
      const range = from ? ' AND l.created_at >= ? AND l.created_at < ?' : '';
      if (from) p.push(from, to);
      return q(
        `SELECT coalesce(src.name, '(none)') AS source, count(*) AS contacts,
                count(*) FILTER (WHERE l.type = 'customer') AS customers
           FROM leads l LEFT JOIN sources src ON src.id = l.source_id
          WHERE ${scope} AND l.status = 'active'${range}
          GROUP BY src.name ORDER BY contacts DESC, source`,
        p,
      );
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
      return q(
        `SELECT ${group.key} AS key, count(DISTINCT l.id) AS leads,
                count(DISTINCT l.id) FILTER (WHERE l.type = 'customer') AS customers
           FROM leads l ${group.join}
          WHERE ${scope} AND l.created_at >= ? AND l.created_at < ?
          GROUP BY key ORDER BY leads DESC, key`,
        p,
      );
    },

    async birthdays({ userId, monthDays }) {
      const p: unknown[] = [];
      const scope = leadScope('l', userId, p);
      return q(
        `SELECT l.id, l.name, l.type, l.birthday FROM leads l
          WHERE ${scope} AND l.status = 'active' AND l.birthday IS NOT NULL
            AND substr(l.birthday, -5) IN (${monthDays.map(() => '?').join(', ')})
          ORDER BY l.id`,
        [...p, ...monthDays],
      );
    },

    async followUpsByStatus({ userId, startFrom, startTo }) {
      const p: unknown[] = [];
      const scope = followUpScope(userId, p);
      const range = startFrom ? ' AND f.start_at >= ? AND f.start_at < ?' : '';
      if (startFrom) p.push(startFrom, startTo);
      const rows = q<{ status: string; n: number }>(
        `SELECT f.status, count(*) AS n FROM follow_ups f JOIN leads l ON l.id = f.lead_id AND l.deleted_at IS NULL
          WHERE ${scope}${range} GROUP BY f.status`,
        p,
      );
      const out = { scheduled: 0, open: 0, completed: 0, cancelled: 0 };
      for (const r of rows) out[r.status as keyof typeof out] = r.n;
      return out;
    },

    async overdueFollowUps({ userId, now }) {
      const p: unknown[] = [];
      const scope = followUpScope(userId, p);
      return one<{ n: number }>(
        `SELECT count(*) AS n FROM follow_ups f JOIN leads l ON l.id = f.lead_id AND l.deleted_at IS NULL
          WHERE f.status IN ('scheduled', 'open') AND f.end_at < ? AND ${scope}`,
        [now, ...p],
      ).n;
    },

    async callCounts({ userId, ranges }) {
      const p: unknown[] = [];
      const cols = ranges.map((r, i) => {
        p.push(r.from, r.to);
        return `count(*) FILTER (WHERE c.start_at >= ? AND c.start_at < ?) AS r${i}`;
      });
      const where = userId === undefined ? '' : ' WHERE c.user_id = ?';
      if (userId !== undefined) p.push(userId);
      const r = one<Record<string, number>>(`SELECT ${cols.join(', ')} FROM calls c${where}`, p);
      return ranges.map((_, i) => r[`r${i}`] ?? 0);
    },

    async demos({ userId, from, to }) {
      const p: unknown[] = [from, to];
      const scope = userId === undefined ? '' : ' AND (a.created_by = ? OR EXISTS (SELECT 1 FROM appointment_participants ap WHERE ap.appointment_id = a.id AND ap.user_id = ?) OR EXISTS (SELECT 1 FROM lead_assignees la WHERE la.lead_id = a.lead_id AND la.user_id = ?))';
      if (userId !== undefined) p.push(userId, userId, userId);
      const r = one<{ scheduled: number; completed: number }>(
        `SELECT count(*) FILTER (WHERE a.status NOT IN ('cancelled')) AS scheduled, count(*) FILTER (WHERE a.status = 'completed') AS completed
           FROM appointments a JOIN leads l ON l.id = a.lead_id AND l.deleted_at IS NULL
          WHERE a.kind = 'demo' AND a.start_at >= ? AND a.start_at < ?${scope}`,
        p,
      );
      return { scheduled: r.scheduled ?? 0, completed: r.completed ?? 0 };
    },

    async demoList({ userId, status, from, to, field }) {
      const p: unknown[] = [status, from, to];
      const scope = userId === undefined ? '' : ' AND EXISTS (SELECT 1 FROM lead_assignees la WHERE la.lead_id = a.lead_id AND la.user_id = ?)';
      if (userId !== undefined) p.push(userId);
      const col = field === 'completed' ? 'a.completed_at' : 'a.start_at';
      return q(
        `SELECT a.id, a.lead_id AS leadId, l.name AS lead, l.business_name AS businessName, a.status, a.start_at AS startAt,
                a.duration_minutes AS durationMinutes, a.location,
                (SELECT group_concat(u.email, ',') FROM lead_assignees la JOIN users u ON u.id = la.user_id WHERE la.lead_id = a.lead_id) AS reps
           FROM appointments a JOIN leads l ON l.id = a.lead_id AND l.deleted_at IS NULL
          WHERE a.kind = 'demo' AND a.status = ? AND ${col} >= ? AND ${col} < ?${scope}
          ORDER BY a.start_at, a.id`,
        p,
      );
    },

    async conversions({ userId, from, to }) {
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
      const byUser = q<{ userId: number; user: string; name: string; conversions: number }>(
        `SELECT u.id AS userId, u.email AS user, u.name, count(*) AS conversions
           FROM leads l JOIN users u ON u.id = l.converted_by WHERE ${where}
          GROUP BY u.id ORDER BY conversions DESC, u.email`,
        p,
      );
      const details = q<{ id: number; name: string; businessName: string | null; user: string; convertedAt: string; orderId: string | null; previousType: string }>(
        `SELECT l.id, l.name, l.business_name AS businessName, u.email AS user, l.converted_at AS convertedAt, l.order_id AS orderId, 'lead' AS previousType
           FROM leads l JOIN users u ON u.id = l.converted_by WHERE ${where}
          ORDER BY l.converted_at DESC, l.id DESC`,
        p,
      );
      return { byUser, details };
    },

    async followUpsBy({ by, userId, from, to, category }) {
      const p: unknown[] = [];
      const scope = followUpScope(userId, p);
      let where = `${scope}`;
      if (from) {
        where += ' AND f.start_at >= ? AND f.start_at < ?';
        p.push(from, to);
      }
      if (category) {
        where += ' AND f.category = ? COLLATE NOCASE';
        p.push(category);
      }
      const key = by === 'user'
        ? { join: 'LEFT JOIN follow_up_assignees g ON g.follow_up_id = f.id LEFT JOIN users u ON u.id = g.user_id', key: "coalesce(u.email, '(unassigned)')", extra: 'NULL' }
        : { join: '', key: "l.name || ' #' || l.id", extra: 'l.business_name' };
      return q(
        `SELECT ${key.key} AS key, ${key.extra} AS detail,
                count(DISTINCT f.id) FILTER (WHERE f.status = 'scheduled') AS scheduled,
                count(DISTINCT f.id) FILTER (WHERE f.status = 'open') AS open,
                count(DISTINCT f.id) FILTER (WHERE f.status = 'completed') AS completed,
                count(DISTINCT f.id) FILTER (WHERE f.status = 'cancelled') AS cancelled,
                count(DISTINCT f.id) AS total
           FROM follow_ups f JOIN leads l ON l.id = f.lead_id AND l.deleted_at IS NULL ${key.join}
          WHERE ${where}
          GROUP BY key ORDER BY total DESC, key`,
        p,
      );
    },

    async hourly({ userId, from, to, offsetMinutes }) {
      const shift = `'${offsetMinutes >= 0 ? '+' : '-'}${Math.abs(offsetMinutes)} minutes'`;
      const hour = (col: string) => `CAST(strftime('%H', ${col}, ${shift}) AS INTEGER)`;
      const u = (col: string) => (userId === undefined ? '' : ` AND ${col} = ${Number(userId)}`);
      const fuUser = userId === undefined ? '' : ` AND EXISTS (SELECT 1 FROM follow_up_assignees fa WHERE fa.follow_up_id = f.id AND fa.user_id = ${Number(userId)})`;
      return q(
        `SELECT hour, sum(calls) AS calls, sum(emails) AS emails, sum(meetings) AS meetings, sum(won) AS won, currency, sum(revenue) AS revenueMinor FROM (
           SELECT ${hour('c.start_at')} AS hour, 1 AS calls, 0 AS emails, 0 AS meetings, 0 AS won, NULL AS currency, 0 AS revenue
             FROM calls c WHERE c.start_at >= ? AND c.start_at < ?${u('c.user_id')}
           UNION ALL
           SELECT ${hour('f.completed_at')}, 0, f.type = 'email', f.type = 'meeting', 0, NULL, 0
             FROM follow_ups f WHERE f.status = 'completed' AND f.completed_at >= ? AND f.completed_at < ? AND f.type IN ('email', 'meeting')${fuUser}
           UNION ALL
           SELECT ${hour('a.completed_at')}, 0, 0, 1, 0, NULL, 0
             FROM appointments a WHERE a.status = 'completed' AND a.completed_at >= ? AND a.completed_at < ?${u('a.created_by')}
           UNION ALL
           SELECT ${hour('l.converted_at')}, 0, 0, 0, 1, l.currency, coalesce(l.value_minor, 0)
             FROM leads l WHERE l.converted_at >= ? AND l.converted_at < ? AND l.deleted_at IS NULL${u('l.converted_by')}
         ) GROUP BY hour, currency ORDER BY hour, currency`,
        [from, to, from, to, from, to, from, to],
      );
    },

    async closedDeals({ userId }) {
      const p: unknown[] = [];
      const scope = leadScope('l', userId, p);
      return q(
        `SELECT l.currency, count(*) FILTER (WHERE s.outcome = 'won') AS won, count(*) FILTER (WHERE s.outcome = 'lost') AS lost,
                avg(l.value_minor) FILTER (WHERE s.outcome = 'won' AND l.value_minor IS NOT NULL) AS avgWonMinor,
                avg(julianday(l.converted_at) - julianday(l.created_at)) FILTER (WHERE l.converted_at IS NOT NULL) AS avgCycleDays
           FROM leads l JOIN stages s ON s.id = l.stage_id WHERE ${scope} AND l.status = 'active'
          GROUP BY l.currency ORDER BY l.currency`,
        p,
      );
    },

    async winRateByStage({ userId }) {
      const p: unknown[] = [];
      const scope = leadScope('l', userId, p);
      // A lead "reached" a stage when it is there now or a stage move on its timeline went there.
      return q(
        `WITH reached AS (
           SELECT l.id AS lead_id, l.stage_id AS stage_id FROM leads l WHERE ${scope} AND l.status = 'active'
           UNION
           SELECT a.lead_id, s.id FROM activities a
             JOIN stages s ON s.name = json_extract(a.data, '$.to') COLLATE NOCASE
             JOIN leads l ON l.id = a.lead_id AND ${scope.replaceAll('?', '?')} AND l.status = 'active'
            WHERE a.type IN ('stage', 'lost')
         )
         SELECT s.id AS stageId, s.name AS stage, count(*) AS reached,
                count(*) FILTER (WHERE cur.outcome = 'won') AS won,
                count(*) FILTER (WHERE cur.outcome = 'lost') AS lost
           FROM reached r JOIN stages s ON s.id = r.stage_id
           JOIN leads l ON l.id = r.lead_id JOIN stages cur ON cur.id = l.stage_id
          GROUP BY s.id ORDER BY s.position`,
        [...p, ...p],
      );
    },
  };
}
