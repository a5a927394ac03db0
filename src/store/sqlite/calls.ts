import { isContactAttempt } from '../../domain/activity.js';
import type { CallSummaryRow } from '../../domain/calls.js';
import { INSERT_TWILIO, SELECT, toCall, toTwilioCall, twilioUpdate, where, type CallRow, type TwilioCallRow } from '../rows/calls.js';
import type { Store } from '../types.js';
import type { Sql } from './index.js';
import { markAttempted } from './misc.js';


export function callsRepo(sql: Sql): Store['calls'] {
  return {
    async insert(c, at) {
      const res = sql.run(
        `INSERT INTO calls (lead_id, user_id, direction, outcome, number, start_at, end_at, duration_seconds, recording_url, note, follow_up_id, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        c.leadId, c.userId, c.direction, c.outcome, c.number, c.startAt, c.endAt, c.durationSeconds, c.recordingUrl, c.note, c.followUpId, at,
      );
      // A logged call marks the lead attempted at the call's start (its 'call' timeline entry is the same attempt).
      if (isContactAttempt('call')) markAttempted(sql, c.leadId, c.startAt);
      return Number(res.lastInsertRowid);
    },
    async get(id) {
      const r = sql.get<CallRow>(`${SELECT} WHERE c.id = ?`, id);
      return r && toCall(r);
    },
    async moveToLead(fromLeadId, toLeadId) {
      sql.run('UPDATE calls SET lead_id = ? WHERE lead_id = ?', toLeadId, fromLeadId);
    },
    async list(q) {
      const w = where(q);
      return (sql.db.prepare(`${SELECT} ${w.sql} ORDER BY c.start_at DESC, c.id DESC LIMIT ?`).all(...w.params, q.limit ?? -1) as CallRow[]).map(toCall);
    },
    async delete(ids) {
      const removed: number[] = [];
      for (const id of ids) {
        if (sql.run('DELETE FROM calls WHERE id = ?', id).changes === 0) continue;
        sql.run("DELETE FROM activities WHERE type = 'call' AND json_extract(data, '$.callId') = ?", id);
        removed.push(id);
      }
      return removed;
    },
    async summary(b, visibleTo) {
      const vis = visibleTo === undefined ? '' : 'WHERE u.id = ?';
      const rows = sql.db
        .prepare(
          `SELECT u.id AS userId, u.email AS user, u.name AS name,
                  COALESCE(SUM(c.start_at >= ? AND c.start_at < ?), 0) AS today,
                  COALESCE(SUM(c.start_at >= ? AND c.start_at < ?), 0) AS yesterday,
                  COALESCE(SUM(c.start_at >= ?), 0) AS thisMonth,
                  count(c.id) AS "all",
                  COALESCE(SUM(c.duration_seconds), 0) AS talkSeconds
             FROM users u JOIN calls c ON c.user_id = u.id JOIN leads l ON l.id = c.lead_id AND l.deleted_at IS NULL
             ${vis}
            GROUP BY u.id ORDER BY u.name`,
        )
        .all(b.todayStart, b.tomorrowStart, b.yesterdayStart, b.todayStart, b.monthStart, ...(visibleTo === undefined ? [] : [visibleTo])) as CallSummaryRow[];
      return rows;
    },
    async wrapUp(id, w) {
      sql.run('UPDATE calls SET outcome = ?, note = ?, follow_up_id = ? WHERE id = ?', w.outcome, w.note, w.followUpId, id);
      const patch = { outcome: w.outcome, ...(w.followUpId ? { followUpId: w.followUpId } : {}) };
      sql.run("UPDATE activities SET body = ?, data = json_patch(data, ?) WHERE type = 'call' AND json_extract(data, '$.callId') = ?", w.note, JSON.stringify(patch), id);
    },
    async setRecording(id, url) {
      sql.run('UPDATE calls SET recording_url = ? WHERE id = ?', url, id);
    },
    async addTwilio(c, at) {
      return sql.run(INSERT_TWILIO, c.sid, c.direction, c.leadId, c.userId, c.number, c.legTo, c.status, at, at).changes > 0;
    },
    async twilio(sid) {
      const r = sql.get<TwilioCallRow>('SELECT * FROM twilio_calls WHERE sid = ?', sid);
      return r && toTwilioCall(r);
    },
    async updateTwilio(sid, change, at) {
      const u = twilioUpdate(sid, change, at);
      sql.run(u.sql, ...u.params);
    },
    async twilioOfCall(callId) {
      const r = sql.get<TwilioCallRow>('SELECT * FROM twilio_calls WHERE call_id = ?', callId);
      return r && toTwilioCall(r);
    },
    async twilioOfUser(userId, direction, limit) {
      return (sql.db.prepare('SELECT * FROM twilio_calls WHERE user_id = ? AND direction = ? ORDER BY created_at DESC, sid DESC LIMIT ?').all(userId, direction, limit) as TwilioCallRow[]).map(toTwilioCall);
    },
  };
}
