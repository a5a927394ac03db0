import { isConsentChannel } from '../../domain/consent.js';
import type { DueReminder } from '../../domain/followups.js';
import type { Channel, OptOutChannel, DaemonJobRun, InboxItem, NotifyChannel, OutboxMessage, OutboxStatus } from '../../domain/notify.js';
import type { ReportSchedule, ScheduleFormat } from '../../domain/reports.js';
import type { Store } from '../types.js';
import { failureKindOfText, OUTBOX_STATUSES } from '../../domain/notify.js';
import type { PgSql } from './sql.js';

interface OutboxRow {
  id: number;
  key: string;
  rule: string;
  channel: Channel;
  recipient_kind: OutboxMessage['recipientKind'];
  recipient_id: number | null;
  address: string | null;
  lead_id: number | null;
  vars: string;
  status: OutboxStatus;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  sent_at: string | null;
  attachments: string | null;
  content: string | null;
}

function toMessage(r: OutboxRow): OutboxMessage {
  const m: OutboxMessage = {
    id: r.id, key: r.key, rule: r.rule, channel: r.channel, recipientKind: r.recipient_kind, recipientId: r.recipient_id,
    address: r.address, leadId: r.lead_id, vars: JSON.parse(r.vars) as Record<string, string>, status: r.status,
    attempts: r.attempts, nextAttemptAt: r.next_attempt_at, lastError: r.last_error, createdAt: r.created_at,
    updatedAt: r.updated_at, sentAt: r.sent_at,
  };
  if (r.attachments) m.attachments = JSON.parse(r.attachments) as OutboxMessage['attachments'];
  if (r.content) m.content = JSON.parse(r.content) as OutboxMessage['content'];
  return m;
}

/**
 * Due: waiting (pending or failed) with its time come, or sending with its lease expired (a
 * daemon died mid-delivery). Written as the partial index outbox_due's predicate, so the planner
 * reads that index in next_attempt_at order: the cost follows the rows due, not the outbox's size.
 */
const DUE = "status IN ('pending','failed','sending') AND next_attempt_at <= ?";

export function outboxRepo(sql: PgSql): Store['outbox'] {
  return {
    async enqueue(messages, at) {
      let n = 0;
      for (const m of messages) {
        const res = await sql.run(
          `INSERT INTO outbox (key, rule, channel, recipient_kind, recipient_id, address, lead_id, vars, status, attempts, next_attempt_at, created_at, updated_at, attachments, content)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`,
          m.key, m.rule, m.channel, m.recipientKind, m.recipientId, m.address, m.leadId, JSON.stringify(m.vars), m.notBefore ?? at, at, at,
          m.attachments?.length ? JSON.stringify(m.attachments) : null,
          m.content ? JSON.stringify(m.content) : null,
        );
        n += res.changes;
      }
      return n;
    },
    async hasDue(now) {
      return (await sql.get(`SELECT 1 FROM outbox WHERE ${DUE} LIMIT 1`, now)) !== undefined;
    },
    async claim(now, leaseUntil, limit) {
      // One statement: the rows chosen are locked as they are chosen (FOR UPDATE), rows another
      // claim holds are skipped (SKIP LOCKED), and a row another claim took and committed since
      // this statement's snapshot is re-read before it is locked: no longer due (its lease runs),
      // it drops out. So two connections or processes claiming at once never get the same
      // message, under READ COMMITTED and whatever their transactions. `chosen` still knows
      // when each was due, which orders the batch (oldest due first).
      const rows = await sql.all<OutboxRow & { due: string }>(
        `WITH chosen AS MATERIALIZED (
           SELECT id, next_attempt_at AS due FROM outbox WHERE ${DUE} ORDER BY next_attempt_at, id LIMIT ? FOR UPDATE SKIP LOCKED)
         UPDATE outbox SET status = 'sending', attempts = outbox.attempts + 1, next_attempt_at = ?, updated_at = ?
           FROM chosen WHERE outbox.id = chosen.id
         RETURNING outbox.*, chosen.due`,
        now, limit, leaseUntil, now,
      );
      rows.sort((a, b) => (a.due === b.due ? a.id - b.id : a.due < b.due ? -1 : 1));
      return rows.map(toMessage);
    },
    async recover(now) {
      return (await sql.run("UPDATE outbox SET next_attempt_at = ? WHERE status = 'sending'", now)).changes;
    },
    async release(ids, now) {
      if (!ids.length) return;
      await sql.run(
        "UPDATE outbox SET status = CASE WHEN attempts > 1 THEN 'failed' ELSE 'pending' END, attempts = attempts - 1, next_attempt_at = ?, updated_at = ? WHERE id = ANY(?::bigint[]) AND status = 'sending'",
        now, now, ids,
      );
    },
    async markSentMany(marks) {
      if (!marks.length) return;
      await sql.run(
        "UPDATE outbox o SET status = 'sent', sent_at = m.at, updated_at = m.at, last_error = NULL, failure = NULL FROM unnest(?::bigint[], ?::text[]) AS m(id, at) WHERE o.id = m.id",
        marks.map((m) => m.id), marks.map((m) => m.at),
      );
    },
    async markFailed(id, error, at, retryAt, failure = failureKindOfText(error)) {
      if (retryAt) await sql.run("UPDATE outbox SET status = 'failed', last_error = ?, failure = ?, next_attempt_at = ?, updated_at = ? WHERE id = ?", error, failure, retryAt, at, id);
      else await sql.run("UPDATE outbox SET status = 'dead', last_error = ?, failure = ?, updated_at = ? WHERE id = ?", error, failure, at, id);
    },
    async hold(id, error, at, retryAt) {
      await sql.run("UPDATE outbox SET status = 'failed', attempts = greatest(attempts - 1, 0), last_error = ?, failure = 'error', next_attempt_at = ?, updated_at = ? WHERE id = ?", error, retryAt, at, id);
    },
    async wakeFailed(now) {
      return (await sql.run("UPDATE outbox SET next_attempt_at = ? WHERE status = 'failed' AND next_attempt_at > ?", now, now)).changes;
    },
    async get(id) {
      const r = await sql.get<OutboxRow>('SELECT * FROM outbox WHERE id = ?', id);
      return r && toMessage(r);
    },
    async byKey(key) {
      const r = await sql.get<OutboxRow>('SELECT * FROM outbox WHERE key = ?', key);
      return r && toMessage(r);
    },
    async list(q) {
      const conds: string[] = [];
      const args: unknown[] = [];
      if (q.statuses?.length) {
        conds.push(`status IN (${q.statuses.map(() => '?').join(',')})`);
        args.push(...q.statuses);
      }
      if (q.rule !== undefined) (conds.push('rule = ?'), args.push(q.rule));
      if (q.channel !== undefined) (conds.push('channel = ?'), args.push(q.channel));
      if (q.since !== undefined) (conds.push('updated_at >= ?'), args.push(q.since));
      const where = conds.length ? `WHERE ${conds.join(' AND ')}` : '';
      // LIMIT NULL is LIMIT ALL.
      return (await sql.all<OutboxRow>(`SELECT * FROM outbox ${where} ORDER BY id DESC LIMIT ?`, ...args, q.limit === null ? null : q.limit ?? 100)).map(toMessage);
    },
    async depth() {
      const d = Object.fromEntries(OUTBOX_STATUSES.map((s) => [s, 0])) as Record<OutboxStatus, number>;
      for (const r of await sql.all<{ status: OutboxStatus; n: number }>('SELECT status, count(*) AS n FROM outbox GROUP BY status')) d[r.status] = r.n;
      return d;
    },
    async retry(id, at) {
      await sql.run("UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ?, updated_at = ? WHERE id = ?", at, at, id);
    },
    async prune(before) {
      return (await sql.run("DELETE FROM outbox WHERE status = 'sent' AND sent_at < ?", before)).changes;
    },
  };
}

interface InboxRow {
  id: number;
  user_id: number;
  outbox_id: number | null;
  rule: string;
  lead_id: number | null;
  subject: string;
  body: string;
  created_at: string;
  read_at: string | null;
}

export function inboxRepo(sql: PgSql): Store['inbox'] {
  return {
    async add(i) {
      await sql.run(
        'INSERT INTO inbox (user_id, outbox_id, rule, lead_id, subject, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (outbox_id) DO NOTHING',
        i.userId, i.outboxId, i.rule, i.leadId, i.subject, i.body, i.createdAt,
      );
    },
    async list(userId, q) {
      const rows = await sql.all<InboxRow>(
        `SELECT * FROM inbox WHERE user_id = ? ${q.all ? '' : 'AND read_at IS NULL'} ORDER BY id DESC LIMIT ?`,
        userId, q.limit ?? 100,
      );
      return rows.map((r): InboxItem => ({
        id: r.id, userId: r.user_id, outboxId: r.outbox_id, rule: r.rule, leadId: r.lead_id, subject: r.subject, body: r.body, createdAt: r.created_at, readAt: r.read_at,
      }));
    },
    async markRead(userId, id, at) {
      if (id === null) return (await sql.run('UPDATE inbox SET read_at = ? WHERE user_id = ? AND read_at IS NULL', at, userId)).changes;
      return (await sql.run('UPDATE inbox SET read_at = ? WHERE user_id = ? AND id = ? AND read_at IS NULL', at, userId, id)).changes;
    },
  };
}

export function optOutsRepo(sql: PgSql, consent: Store['consent']): Store['optOuts'] {
  // A lead's consent channels are consent: one write path keeps opt-outs and consent agreeing.
  return {
    async set(kind, refId, channel, optedOut, at) {
      if (kind === 'lead' && isConsentChannel(channel)) {
        await consent.record([{ leadId: refId, channel, state: optedOut ? 'withdrawn' : 'granted', source: 'by-hand', at, userId: null }]);
        return;
      }
      if (optedOut) await sql.run('INSERT INTO opt_outs (kind, ref_id, channel, at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING', kind, refId, channel, at);
      else await sql.run('DELETE FROM opt_outs WHERE kind = ? AND ref_id = ? AND channel = ?', kind, refId, channel);
    },
    async list(kind, refId) {
      return (await sql.all<{ channel: OptOutChannel }>('SELECT channel FROM opt_outs WHERE kind = ? AND ref_id = ? ORDER BY channel COLLATE "C"', kind, refId)).map((r) => r.channel);
    },
  };
}

export function userPhonesRepo(sql: PgSql): Store['userPhones'] {
  return {
    async get(userId) {
      return (await sql.get<{ phone: string }>('SELECT phone FROM user_phones WHERE user_id = ?', userId))?.phone;
    },
    async set(userId, phone) {
      if (phone === null) await sql.run('DELETE FROM user_phones WHERE user_id = ?', userId);
      else await sql.run('INSERT INTO user_phones (user_id, phone) VALUES (?, ?) ON CONFLICT (user_id) DO UPDATE SET phone = excluded.phone', userId, phone);
    },
  };
}

interface JobRow {
  name: string;
  last_run_at: string | null;
  last_status: string | null;
  last_error: string | null;
  runs: number;
}
const toJob = (r: JobRow): DaemonJobRun => ({ name: r.name, lastRunAt: r.last_run_at, lastStatus: r.last_status, lastError: r.last_error, runs: r.runs });

export function jobsRepo(sql: PgSql): Store['jobs'] {
  return {
    async all() {
      return (await sql.all<JobRow>('SELECT * FROM daemon_jobs ORDER BY name COLLATE "C"')).map(toJob);
    },
    async get(name) {
      const r = await sql.get<JobRow>('SELECT * FROM daemon_jobs WHERE name = ?', name);
      return r && toJob(r);
    },
    async record(name, at, status, error) {
      // One upsert: two processes recording at once both count (the second waits for the first's row).
      await sql.run(
        `INSERT INTO daemon_jobs (name, last_run_at, last_status, last_error, runs) VALUES (?, ?, ?, ?, 1)
         ON CONFLICT (name) DO UPDATE SET last_run_at = excluded.last_run_at, last_status = excluded.last_status, last_error = excluded.last_error, runs = daemon_jobs.runs + 1`,
        name, at, status, error ?? null,
      );
    },
  };
}

export function ruleMarksRepo(sql: PgSql): Store['ruleMarks'] {
  return {
    async notAttempted(rule, createdAfter, createdBefore, limit) {
      return (await sql.all<{ id: number }>(
        `SELECT l.id FROM leads l JOIN stages s ON s.id = l.stage_id
          WHERE l.created_at >= ? AND l.created_at <= ? AND l.type = 'lead' AND l.status = 'active' AND l.deleted_at IS NULL AND s.outcome = 'open'
            AND l.attempted_at IS NULL
            AND NOT EXISTS (SELECT 1 FROM rule_marks m WHERE m.rule = ? AND m.lead_id = l.id)
          ORDER BY l.created_at, l.id LIMIT ?`,
        createdAfter, createdBefore, rule, limit,
      )).map((r) => r.id);
    },
    // INSERT … ON CONFLICT DO NOTHING: of two processes marking at once, the second waits for
    // the first's row and inserts nothing, so exactly one gets true.
    async mark(rule, leadId, at) {
      return (await sql.run('INSERT INTO rule_marks (rule, lead_id, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING', rule, leadId, at)).changes > 0;
    },
    async markRef(rule, ref, at) {
      return (await sql.run('INSERT INTO rule_fired (rule, ref, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING', rule, ref, at)).changes > 0;
    },
    async isMarked(rule, ref) {
      return (await sql.get('SELECT 1 FROM rule_fired WHERE rule = ? AND ref = ?', rule, ref)) !== undefined;
    },
  };
}

export function remindersRepo(sql: PgSql): Store['reminders'] {
  return {
    async due(now, limit) {
      const rows = await sql.all<{ id: number; follow_up_id: number; minutes_before: number; channel: NotifyChannel; due_at: string; sent_at: null; lead_id: number; title: string; start_at: string; assignees: string | null }>(
        `SELECT r.*, f.lead_id, f.title, f.start_at,
                (SELECT string_agg(fa.user_id::text, ',') FROM follow_up_assignees fa WHERE fa.follow_up_id = f.id) AS assignees
           FROM follow_up_reminders r JOIN follow_ups f ON f.id = r.follow_up_id
          WHERE r.sent_at IS NULL AND r.due_at <= ? AND f.status IN ('scheduled','open')
          ORDER BY r.due_at, r.id LIMIT ?`,
        now, limit,
      );
      return rows.map((r): DueReminder => ({
        id: r.id, followUpId: r.follow_up_id, minutesBefore: r.minutes_before, channel: r.channel, dueAt: r.due_at, sentAt: null,
        leadId: r.lead_id, title: r.title, startAt: r.start_at, assigneeIds: r.assignees ? r.assignees.split(',').map(Number) : [],
      }));
    },
    // A guarded update: of two processes marking at once, the second re-reads the row once the
    // first commits, finds sent_at set and changes nothing.
    async markSent(id, at) {
      return (await sql.run('UPDATE follow_up_reminders SET sent_at = ? WHERE id = ? AND sent_at IS NULL', at, id)).changes > 0;
    },
  };
}

interface ScheduleRow {
  id: number;
  name: string;
  report: string;
  options: string;
  cron: string;
  time_zone: string | null;
  recipients: string;
  format: ScheduleFormat;
  created_by: number;
  created_at: string;
  last_slot_at: string | null;
  last_run_at: string | null;
  last_error: string | null;
}
const toSchedule = (r: ScheduleRow): ReportSchedule => ({
  id: r.id, name: r.name, report: r.report, options: JSON.parse(r.options) as ReportSchedule['options'], cron: r.cron, timeZone: r.time_zone,
  recipients: JSON.parse(r.recipients) as string[], format: r.format, createdBy: r.created_by, createdAt: r.created_at,
  lastSlotAt: r.last_slot_at, lastRunAt: r.last_run_at, lastError: r.last_error,
});

export function reportSchedulesRepo(sql: PgSql): Store['reportSchedules'] {
  return {
    async insert(s) {
      const r = await sql.get<ScheduleRow>(
        'INSERT INTO report_schedules (name, report, options, cron, time_zone, recipients, format, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *',
        s.name, s.report, JSON.stringify(s.options), s.cron, s.timeZone, JSON.stringify(s.recipients), s.format, s.createdBy, s.createdAt,
      );
      return toSchedule(r!);
    },
    async list() {
      return (await sql.all<ScheduleRow>('SELECT * FROM report_schedules ORDER BY name')).map(toSchedule);
    },
    async byName(name) {
      const r = await sql.get<ScheduleRow>('SELECT * FROM report_schedules WHERE name = ?', name);
      return r && toSchedule(r);
    },
    async remove(id) {
      await sql.run('DELETE FROM report_schedules WHERE id = ?', id);
    },
    async recordRun(id, slotAt, at, error) {
      await sql.run('UPDATE report_schedules SET last_slot_at = coalesce(?, last_slot_at), last_run_at = ?, last_error = ? WHERE id = ?', slotAt, at, error, id);
    },
  };
}
