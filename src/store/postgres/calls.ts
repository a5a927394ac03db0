/** The call log on PostgreSQL: the port of src/store/sqlite/calls.ts. */
import { isContactAttempt } from '../../domain/activity.js';
import type { CallSummaryRow } from '../../domain/calls.js';
import { INSERT_TWILIO, SELECT, toCall, toTwilioCall, twilioUpdate, where, type CallRow, type TwilioCallRow } from '../rows/calls.js';
import type { Store } from '../types.js';
import type { PgSql } from './sql.js';


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
    async wrapUp(id, w) {
      await sql.run('UPDATE calls SET outcome = ?, note = ?, follow_up_id = ? WHERE id = ?', w.outcome, w.note, w.followUpId, id);
      const patch = { outcome: w.outcome, ...(w.followUpId ? { followUpId: w.followUpId } : {}) };
      await sql.run("UPDATE activities SET body = ?, data = (data::jsonb || ?::jsonb)::text WHERE type = 'call' AND (data::jsonb -> 'callId') = to_jsonb(?::bigint)", w.note, JSON.stringify(patch), id);
    },
    async setRecording(id, url) {
      await sql.run('UPDATE calls SET recording_url = ? WHERE id = ?', url, id);
    },
    async addTwilio(c, at) {
      return (await sql.run(INSERT_TWILIO, c.sid, c.direction, c.leadId, c.userId, c.number, c.legTo, c.status, at, at)).changes > 0;
    },
    async twilio(sid) {
      const r = await sql.get<TwilioCallRow & Record<string, unknown>>('SELECT * FROM twilio_calls WHERE sid = ?', sid);
      return r && toTwilioCall(r);
    },
    async updateTwilio(sid, change, at) {
      const u = twilioUpdate(sid, change, at);
      await sql.run(u.sql, ...u.params);
    },
    async twilioOfCall(callId) {
      const r = await sql.get<TwilioCallRow & Record<string, unknown>>('SELECT * FROM twilio_calls WHERE call_id = ?', callId);
      return r && toTwilioCall(r);
    },
    async twilioOfUser(userId, direction, limit) {
      return (await sql.all<TwilioCallRow & Record<string, unknown>>('SELECT * FROM twilio_calls WHERE user_id = ? AND direction = ? ORDER BY created_at DESC, sid DESC LIMIT ?', userId, direction, limit)).map(toTwilioCall);
    },
  };
}
