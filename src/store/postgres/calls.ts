/** The call log on PostgreSQL: the port of src/store/sqlite/calls.ts. */
import { isContactAttempt } from '../../domain/activity.js';
import type { Call, CallQuery, CallSummaryRow } from '../../domain/calls.js';
import type { Store } from '../types.js';
import type { PgSql } from './sql.js';

interface CallRow {
  id: number;
  lead_id: number;
  lead_name: string;
  user_id: number;
  user: string;
  direction: Call['direction'];
  outcome: Call['outcome'];
  number: string | null;
  start_at: string;
  end_at: string;
  duration_seconds: number;
  recording_url: string | null;
  note: string | null;
  follow_up_id: number | null;
  created_at: string;
}

const SELECT = `SELECT c.*, l.name AS lead_name, u.email AS user FROM calls c JOIN leads l ON l.id = c.lead_id JOIN users u ON u.id = c.user_id`;

function where(q: CallQuery): { sql: string; params: unknown[] } {
  const conds = ['l.deleted_at IS NULL'];
  const params: unknown[] = [];
  const inList = (col: string, values: unknown[]) => {
    conds.push(`${col} IN (${values.map(() => '?').join(', ')})`);
    params.push(...values);
  };
  if (q.ids) inList('c.id', q.ids.length ? q.ids : [null]);
  if (q.outcomes?.length) inList('c.outcome', q.outcomes);
  if (q.directions?.length) inList('c.direction', q.directions);
  const eq = (col: string, v: unknown) => {
    conds.push(col);
    params.push(v);
  };
  if (q.leadId !== undefined) eq('c.lead_id = ?', q.leadId);
  if (q.userId !== undefined) eq('c.user_id = ?', q.userId);
  if (q.from !== undefined) eq('c.start_at >= ?', q.from);
  if (q.to !== undefined) eq('c.start_at < ?', q.to);
  if (q.visibleTo !== undefined) {
    conds.push('(c.user_id = ? OR EXISTS (SELECT 1 FROM lead_assignees la WHERE la.lead_id = c.lead_id AND la.user_id = ?))');
    params.push(q.visibleTo, q.visibleTo);
  }
  return { sql: `WHERE ${conds.join(' AND ')}`, params };
}

const toCall = (r: CallRow): Call => ({
  id: r.id,
  leadId: r.lead_id,
  leadName: r.lead_name,
  userId: r.user_id,
  user: r.user,
  direction: r.direction,
  outcome: r.outcome,
  number: r.number,
  startAt: r.start_at,
  endAt: r.end_at,
  durationSeconds: r.duration_seconds,
  recordingUrl: r.recording_url,
  note: r.note,
  followUpId: r.follow_up_id,
  createdAt: r.created_at,
});

export function callsRepo(sql: PgSql): Store['calls'] {
  return {
    async insert(c, at) {
      const id = await sql.insert(
        `INSERT INTO calls (lead_id, user_id, direction, outcome, number, start_at, end_at, duration_seconds, recording_url, note, follow_up_id, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        c.leadId, c.userId, c.direction, c.outcome, c.number, c.startAt, c.endAt, c.durationSeconds, c.recordingUrl, c.note, c.followUpId, at,
      );
      // A logged call marks the lead attempted at the call's start (its 'call' timeline entry is the same attempt).
      // (SQLite's markAttempted in misc.ts, inlined: the same statement.)
      if (isContactAttempt('call')) await sql.run('UPDATE leads SET attempted_at = ? WHERE id = ? AND attempted_at IS NULL', c.startAt, c.leadId);
      return id;
    },
    async get(id) {
      const r = await sql.get<CallRow>(`${SELECT} WHERE c.id = ?`, id);
      return r && toCall(r);
    },
    async moveToLead(fromLeadId, toLeadId) {
      await sql.run('UPDATE calls SET lead_id = ? WHERE lead_id = ?', toLeadId, fromLeadId);
    },
    async list(q) {
      const w = where(q);
      // LIMIT NULL is no limit (SQLite's LIMIT -1).
      return (await sql.all<CallRow>(`${SELECT} ${w.sql} ORDER BY c.start_at DESC, c.id DESC LIMIT ?`, ...w.params, q.limit ?? null)).map(toCall);
    },
    async delete(ids) {
      const removed: number[] = [];
      for (const id of ids) {
        if ((await sql.run('DELETE FROM calls WHERE id = ?', id)).changes === 0) continue;
        // json_extract(data, '$.callId') = id: the number in the JSON, compared as a number (jsonb equality).
        await sql.run("DELETE FROM activities WHERE type = 'call' AND (data::jsonb -> 'callId') = to_jsonb(?::bigint)", id);
        removed.push(id);
      }
      return removed;
    },
    async summary(b, visibleTo) {
      const vis = visibleTo === undefined ? '' : 'WHERE u.id = ?';
      // Quoted aliases: PostgreSQL folds unquoted names to lower case.
      return sql.all<CallSummaryRow & Record<string, unknown>>(
        `SELECT u.id AS "userId", u.email AS "user", u.name AS name,
                count(c.id) FILTER (WHERE c.start_at >= ? AND c.start_at < ?) AS today,
                count(c.id) FILTER (WHERE c.start_at >= ? AND c.start_at < ?) AS yesterday,
                count(c.id) FILTER (WHERE c.start_at >= ?) AS "thisMonth",
                count(c.id) AS "all",
                COALESCE(SUM(c.duration_seconds), 0) AS "talkSeconds"
           FROM users u JOIN calls c ON c.user_id = u.id JOIN leads l ON l.id = c.lead_id AND l.deleted_at IS NULL
           ${vis}
          GROUP BY u.id ORDER BY u.name COLLATE "C"`,
        b.todayStart, b.tomorrowStart, b.yesterdayStart, b.todayStart, b.monthStart, ...(visibleTo === undefined ? [] : [visibleTo]),
      );
    },
  };
}
