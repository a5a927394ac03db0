import type { FollowUp, FollowUpFields, FollowUpReminder, FollowUpRule, FollowUpSeries, RuleCondition } from '../../domain/followups.js';
import { overdueCutoff } from '../../domain/followups.js';
import type { NotifyChannel } from '../../domain/notify.js';
import type { Store } from '../types.js';
import type { Sql } from './index.js';

interface FollowUpRow {
  id: number;
  lead_id: number;
  lead_name: string;
  title: string;
  type: FollowUp['type'];
  priority: FollowUp['priority'];
  status: FollowUp['status'];
  category: string | null;
  description: string | null;
  start_at: string;
  end_at: string;
  notify_before: string;
  channels: string;
  series_id: number | null;
  occurrence: number | null;
  rule_id: number | null;
  order_id: number | null;
  created_by: number | null;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
  cancelled_at: string | null;
}

const COLUMNS: Partial<Record<keyof FollowUpFields, string>> = {
  leadId: 'lead_id',
  title: 'title',
  type: 'type',
  priority: 'priority',
  status: 'status',
  category: 'category',
  description: 'description',
  startAt: 'start_at',
  endAt: 'end_at',
  notifyBefore: 'notify_before',
  channels: 'channels',
  seriesId: 'series_id',
  occurrence: 'occurrence',
  ruleId: 'rule_id',
  orderId: 'order_id',
  createdBy: 'created_by',
  completedAt: 'completed_at',
  cancelledAt: 'cancelled_at',
};

const SELECT = `SELECT f.*, l.name AS lead_name FROM follow_ups f JOIN leads l ON l.id = f.lead_id`;

/** "visible to user ?" for a row aliased f: assigned to them, or on a lead assigned to them. */
const VISIBLE = `(EXISTS (SELECT 1 FROM follow_up_assignees fa WHERE fa.follow_up_id = f.id AND fa.user_id = ?)
  OR EXISTS (SELECT 1 FROM lead_assignees la WHERE la.lead_id = f.lead_id AND la.user_id = ?))`;

export function followUpsRepo(sql: Sql): Store['followUps'] {
  function columns(f: Partial<FollowUpFields>): [string[], unknown[]] {
    const cols: string[] = [];
    const vals: unknown[] = [];
    for (const [key, col] of Object.entries(COLUMNS) as [keyof FollowUpFields, string][]) {
      const v = f[key];
      if (v === undefined) continue;
      cols.push(col);
      vals.push(key === 'notifyBefore' || key === 'channels' ? JSON.stringify(v) : v);
    }
    return [cols, vals];
  }
  function writeAssignees(id: number, ids: number[] | undefined): void {
    if (!ids) return;
    sql.run('DELETE FROM follow_up_assignees WHERE follow_up_id = ?', id);
    for (const u of new Set(ids)) sql.run('INSERT INTO follow_up_assignees (follow_up_id, user_id) VALUES (?, ?)', id, u);
  }
  function hydrate(rows: FollowUpRow[]): FollowUp[] {
    if (!rows.length) return [];
    const ids = rows.map((r) => r.id);
    const assignees = new Map<number, FollowUp['assignees']>();
    for (const r of sql.db
      .prepare(`SELECT fa.follow_up_id, u.id, u.name, u.email FROM follow_up_assignees fa JOIN users u ON u.id = fa.user_id WHERE fa.follow_up_id IN (${ids.map(() => '?').join(', ')}) ORDER BY u.name`)
      .all(...ids) as { follow_up_id: number; id: number; name: string; email: string }[]) {
      const list = assignees.get(r.follow_up_id) ?? [];
      list.push({ id: r.id, name: r.name, email: r.email });
      assignees.set(r.follow_up_id, list);
    }
    return rows.map((r) => ({
      id: r.id,
      leadId: r.lead_id,
      leadName: r.lead_name,
      title: r.title,
      type: r.type,
      priority: r.priority,
      status: r.status,
      category: r.category,
      description: r.description,
      startAt: r.start_at,
      endAt: r.end_at,
      notifyBefore: JSON.parse(r.notify_before) as number[],
      channels: JSON.parse(r.channels) as NotifyChannel[],
      assigneeIds: (assignees.get(r.id) ?? []).map((a) => a.id),
      assignees: assignees.get(r.id) ?? [],
      seriesId: r.series_id,
      occurrence: r.occurrence,
      ruleId: r.rule_id,
      orderId: r.order_id === null ? null : Number(r.order_id),
      createdBy: r.created_by,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      completedAt: r.completed_at,
      cancelledAt: r.cancelled_at,
    }));
  }
  return {
    async insert(f, at) {
      const [cols, vals] = columns(f);
      const res = sql.db
        .prepare(`INSERT INTO follow_ups (${cols.join(', ')}, created_at, updated_at) VALUES (${cols.map(() => '?').join(', ')}, ?, ?)`)
        .run(...vals, at, at);
      const id = Number(res.lastInsertRowid);
      writeAssignees(id, f.assigneeIds);
      return id;
    },
    async update(id, patch, at) {
      const [cols, vals] = columns(patch);
      cols.push('updated_at');
      vals.push(at);
      sql.db.prepare(`UPDATE follow_ups SET ${cols.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`).run(...vals, id);
      writeAssignees(id, patch.assigneeIds);
    },
    async get(id) {
      return hydrate(sql.all<FollowUpRow>(`${SELECT} WHERE f.id = ?`, id))[0];
    },
    async list(q) {
      const conds = ['l.deleted_at IS NULL'];
      const params: unknown[] = [];
      if (q.leadId !== undefined) {
        conds.push('f.lead_id = ?');
        params.push(q.leadId);
      }
      if (q.statuses?.length) {
        conds.push(`f.status IN (${q.statuses.map(() => '?').join(', ')})`);
        params.push(...q.statuses);
      }
      if (q.startFrom !== undefined) {
        conds.push('f.start_at >= ?');
        params.push(q.startFrom);
      }
      if (q.startBefore !== undefined) {
        conds.push('f.start_at < ?');
        params.push(q.startBefore);
      }
      if (q.endBefore !== undefined) {
        conds.push('f.end_at < ?');
        params.push(q.endBefore);
      }
      if (q.assigneeId !== undefined) {
        conds.push('EXISTS (SELECT 1 FROM follow_up_assignees fa WHERE fa.follow_up_id = f.id AND fa.user_id = ?)');
        params.push(q.assigneeId);
      }
      if (q.visibleTo !== undefined) {
        conds.push(VISIBLE);
        params.push(q.visibleTo, q.visibleTo);
      }
      const rows = sql.db.prepare(`${SELECT} WHERE ${conds.join(' AND ')} ORDER BY f.start_at, f.id LIMIT ?`).all(...params, q.limit ?? -1) as FollowUpRow[];
      return hydrate(rows);
    },
    async setReminders(id, reminders) {
      sql.run('DELETE FROM follow_up_reminders WHERE follow_up_id = ? AND sent_at IS NULL', id);
      for (const r of reminders) {
        sql.run('INSERT OR IGNORE INTO follow_up_reminders (follow_up_id, minutes_before, channel, due_at) VALUES (?, ?, ?, ?)', id, r.minutesBefore, r.channel, r.dueAt);
      }
    },
    async reminders(id) {
      return sql
        .all<{ id: number; follow_up_id: number; minutes_before: number; channel: NotifyChannel; due_at: string; sent_at: string | null }>(
          'SELECT * FROM follow_up_reminders WHERE follow_up_id = ? ORDER BY due_at, channel',
          id,
        )
        .map((r): FollowUpReminder => ({ id: r.id, followUpId: r.follow_up_id, minutesBefore: r.minutes_before, channel: r.channel, dueAt: r.due_at, sentAt: r.sent_at }));
    },
    async addLog(log) {
      const res = sql.run(
        'INSERT INTO follow_up_logs (follow_up_id, type, at, subject, description, user_id) VALUES (?, ?, ?, ?, ?, ?)',
        log.followUpId, log.type, log.at, log.subject, log.description, log.userId,
      );
      return Number(res.lastInsertRowid);
    },
    async logs(id) {
      return sql
        .all<{ id: number; follow_up_id: number; type: string; at: string; subject: string | null; description: string | null; user: string | null }>(
          `SELECT g.id, g.follow_up_id, g.type, g.at, g.subject, g.description, u.email AS user
             FROM follow_up_logs g LEFT JOIN users u ON u.id = g.user_id WHERE g.follow_up_id = ? ORDER BY g.at, g.id`,
          id,
        )
        .map((r) => ({ id: r.id, followUpId: r.follow_up_id, type: r.type, at: r.at, subject: r.subject, description: r.description, user: r.user }));
    },
    async findOccurrence(seriesId, occurrence) {
      return sql.get<{ id: number }>('SELECT id FROM follow_ups WHERE series_id = ? AND occurrence = ?', seriesId, occurrence)?.id;
    },
    async findByRule(ruleId, leadId, orderId = null) {
      return sql.get<{ id: number }>('SELECT id FROM follow_ups WHERE rule_id = ? AND lead_id = ? AND ifnull(order_id, 0) = ?', ruleId, leadId, orderId ?? 0)?.id;
    },
    async moveToLead(fromLeadId, toLeadId) {
      // A rule makes one follow-up per lead (per lead and invoice when about one; invoices move with
      // their lead and never collide): when both leads have one, the moved one is no longer the rule's.
      sql.run(
        'UPDATE follow_ups SET rule_id = NULL WHERE lead_id = ? AND order_id IS NULL AND rule_id IN (SELECT rule_id FROM follow_ups WHERE lead_id = ? AND rule_id IS NOT NULL AND order_id IS NULL)',
        fromLeadId, toLeadId,
      );
      sql.run('UPDATE follow_ups SET lead_id = ? WHERE lead_id = ?', toLeadId, fromLeadId);
      sql.run('UPDATE follow_up_series SET lead_id = ? WHERE lead_id = ?', toLeadId, fromLeadId);
    },
  };
}

interface SeriesRow {
  id: number;
  lead_id: number;
  every_days: number;
  until: string | null;
  time_zone: string;
  template: string;
  active: number;
  created_at: string;
}

export function followUpSeriesRepo(sql: Sql): Store['followUpSeries'] {
  const toSeries = (r: SeriesRow): FollowUpSeries => ({
    id: r.id,
    leadId: r.lead_id,
    everyDays: r.every_days,
    until: r.until,
    timeZone: r.time_zone,
    template: JSON.parse(r.template) as FollowUpSeries['template'],
    active: r.active === 1,
    createdAt: r.created_at,
  });
  return {
    async insert(s, at) {
      const res = sql.run(
        'INSERT INTO follow_up_series (lead_id, every_days, until, time_zone, template, active, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        s.leadId, s.everyDays, s.until, s.timeZone, JSON.stringify(s.template), s.active ? 1 : 0, at,
      );
      return Number(res.lastInsertRowid);
    },
    async list(opts = {}) {
      return sql
        .all<SeriesRow>(
          `SELECT s.* FROM follow_up_series s JOIN leads l ON l.id = s.lead_id
            WHERE l.deleted_at IS NULL ${opts.activeOnly ? 'AND s.active = 1' : ''} ORDER BY s.id`,
        )
        .map(toSeries);
    },
    async get(id) {
      const r = sql.get<SeriesRow>('SELECT * FROM follow_up_series WHERE id = ?', id);
      return r && toSeries(r);
    },
  };
}

interface RuleRow {
  id: number;
  name: string;
  where_text: string;
  conditions: string;
  title: string;
  type: FollowUpRule['type'];
  priority: FollowUpRule['priority'];
  assign: string;
  due_in_minutes: number;
  duration_minutes: number;
  created_by: number | null;
  created_at: string;
}

/** Each condition's SQL over leads aliased l; values only ever travel as parameters. */
function conditionSql(c: RuleCondition, now: string, today: string): { sql: string; params: unknown[] } {
  const neg = (sql: string, op: string) => (op === '!=' ? `NOT ${sql}` : sql);
  switch (c.field) {
    case 'stage':
      return { sql: neg('EXISTS (SELECT 1 FROM stages s WHERE s.id = l.stage_id AND s.name = ? COLLATE NOCASE)', c.op), params: [c.value] };
    case 'source':
      return { sql: neg('EXISTS (SELECT 1 FROM sources src WHERE src.id = l.source_id AND src.name = ? COLLATE NOCASE)', c.op), params: [c.value] };
    case 'tag':
      return { sql: neg('EXISTS (SELECT 1 FROM lead_tags lt JOIN tags t ON t.id = lt.tag_id WHERE lt.lead_id = l.id AND t.name = ? COLLATE NOCASE)', c.op), params: [c.value] };
    case 'score': {
      const ops = { '=': '=', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' } as const;
      return { sql: `l.score ${ops[c.op]} ?`, params: [c.value] };
    }
    case 'no-activity': {
      // Last activity older than the cut-off: > 14d means strictly before now − 14 days.
      const cutoff = new Date(new Date(now).getTime() - c.days * 86_400_000).toISOString();
      const last = 'COALESCE((SELECT max(a.at) FROM activities a WHERE a.lead_id = l.id), l.created_at)';
      return { sql: `${last} ${c.op === '>' ? '<' : '<='} ?`, params: [cutoff] };
    }
    case 'invoice-overdue': {
      const cut = overdueCutoff(today, c);
      return { sql: `EXISTS (SELECT 1 FROM orders o WHERE o.lead_id = l.id AND ${UNPAID} AND o.due_on ${cut.op} ?)`, params: [cut.day] };
    }
  }
}

/** An invoice billed and not fully paid (orders aliased o): UNPAID_STATUSES (src/domain/orders.ts). */
const UNPAID = "o.status IN ('billed', 'partially-paid')";

export function followUpRulesRepo(sql: Sql): Store['followUpRules'] {
  const toRule = (r: RuleRow): FollowUpRule => {
    const assign = JSON.parse(r.assign) as 'owner' | number[];
    return {
      id: r.id,
      name: r.name,
      where: r.where_text,
      conditions: JSON.parse(r.conditions) as RuleCondition[],
      title: r.title,
      type: r.type,
      priority: r.priority,
      assign,
      dueInMinutes: r.due_in_minutes,
      durationMinutes: r.duration_minutes,
      createdBy: r.created_by,
      createdAt: r.created_at,
    };
  };
  return {
    async insert(rule, at) {
      const res = sql.run(
        `INSERT INTO follow_up_rules (name, where_text, conditions, title, type, priority, assign, due_in_minutes, duration_minutes, created_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        rule.name, rule.where, JSON.stringify(rule.conditions), rule.title, rule.type, rule.priority, JSON.stringify(rule.assign),
        rule.dueInMinutes, rule.durationMinutes, rule.createdBy, at,
      );
      return Number(res.lastInsertRowid);
    },
    async list() {
      return sql.all<RuleRow>('SELECT * FROM follow_up_rules ORDER BY id').map(toRule);
    },
    async byName(name) {
      const r = sql.get<RuleRow>('SELECT * FROM follow_up_rules WHERE name = ? COLLATE NOCASE', name);
      return r && toRule(r);
    },
    async matchingLeads(conditions, now, today = now.slice(0, 10)) {
      const parts = conditions.map((c) => conditionSql(c, now, today));
      const where = ["l.deleted_at IS NULL", "l.status = 'active'", ...parts.map((p) => p.sql)].join(' AND ');
      return (sql.db.prepare(`SELECT l.id FROM leads l WHERE ${where} ORDER BY l.id`).all(...parts.flatMap((p) => p.params)) as { id: number }[]).map((r) => r.id);
    },
    async matchingInvoices(conditions, now, today) {
      const overdue = conditions.find((c) => c.field === 'invoice-overdue');
      if (!overdue || overdue.field !== 'invoice-overdue') return [];
      const parts = conditions.filter((c) => c !== overdue).map((c) => conditionSql(c, now, today));
      const cut = overdueCutoff(today, overdue);
      const where = ["l.deleted_at IS NULL", "l.status = 'active'", UNPAID, `o.due_on ${cut.op} ?`, ...parts.map((p) => p.sql)].join(' AND ');
      return (sql.db.prepare(`SELECT l.id AS lead_id, o.id AS order_id FROM leads l JOIN orders o ON o.lead_id = l.id WHERE ${where} ORDER BY o.due_on, o.id`)
        .all(cut.day, ...parts.flatMap((p) => p.params)) as { lead_id: number; order_id: number }[]).map((r) => ({ leadId: r.lead_id, orderId: r.order_id }));
    },
  };
}
