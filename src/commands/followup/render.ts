import type { Context } from '../../context.js';
import { formatTimestamp } from '../../io/format.js';
import { printRecord, styler, type Column } from '../../io/output.js';
import { isOverdue } from '../../services/followups/service.js';
import type { RuleRunResult } from '../../services/followups/rules.js';
import { formatDuration } from '../../services/time/parse.js';
import type { FollowUp, FollowUpLog, FollowUpReminder, FollowUpRule } from '../../domain/followups.js';

/** The stable --json shape of a follow-up (docs/json.md). */
export function followUpJson(f: FollowUp, now: Date) {
  return {
    id: f.id,
    leadId: f.leadId,
    lead: f.leadName,
    title: f.title,
    type: f.type,
    priority: f.priority,
    status: f.status,
    overdue: isOverdue(f, now),
    category: f.category,
    description: f.description,
    start: f.startAt,
    end: f.endAt,
    notifyBefore: f.notifyBefore,
    channels: f.channels,
    assignedTo: f.assignees.map((a) => a.email),
    seriesId: f.seriesId,
    occurrence: f.occurrence,
    ruleId: f.ruleId,
    createdAt: f.createdAt,
    updatedAt: f.updatedAt,
    completedAt: f.completedAt,
    cancelledAt: f.cancelledAt,
  };
}

export function reminderJson(r: FollowUpReminder) {
  return { minutesBefore: r.minutesBefore, channel: r.channel, dueAt: r.dueAt, sentAt: r.sentAt };
}

export function logJson(l: FollowUpLog) {
  return { id: l.id, type: l.type, at: l.at, subject: l.subject, description: l.description, user: l.user };
}

export function ruleJson(r: FollowUpRule) {
  return {
    id: r.id, name: r.name, where: r.where, conditions: r.conditions, title: r.title, type: r.type, priority: r.priority,
    assign: r.assign, dueInMinutes: r.dueInMinutes, durationMinutes: r.durationMinutes, createdAt: r.createdAt,
  };
}

export function ruleRunJson(r: RuleRunResult) {
  return r;
}

export function followUpColumns(now: Date, tz: string): Column<FollowUp>[] {
  return [
    { header: 'ID', cell: (f) => f.id },
    { header: 'START', cell: (f) => formatTimestamp(f.startAt, tz) },
    { header: 'LEAD', cell: (f) => `${f.leadId} ${f.leadName}` },
    { header: 'TITLE', cell: (f) => f.title },
    { header: 'TYPE', cell: (f) => f.type },
    { header: 'PRIORITY', cell: (f) => f.priority },
    { header: 'STATUS', cell: (f) => (isOverdue(f, now) ? `${f.status} (overdue)` : f.status) },
    { header: 'ASSIGNED', cell: (f) => f.assignees.map((a) => a.email).join(',') },
  ];
}

export async function printFollowUp(ctx: Context, f: FollowUp, logs: FollowUpLog[], reminders: FollowUpReminder[], tz: string): Promise<void> {
  const now = ctx.now();
  await printRecord(ctx.io, `Follow-up ${f.id}: ${f.title}`, [
    ['lead', `${f.leadId} ${f.leadName}`],
    ['status', isOverdue(f, now) ? `${f.status} (overdue)` : f.status],
    ['type', f.type],
    ['priority', f.priority],
    ['start', formatTimestamp(f.startAt, tz)],
    ['end', formatTimestamp(f.endAt, tz)],
    ['category', f.category],
    ['assigned to', f.assignees.map((a) => a.email).join(', ')],
    ['reminders', reminders.map((r) => `${formatDuration(r.minutesBefore * 60)} before by ${r.channel}${r.sentAt ? ' (sent)' : ''}`).join(', ')],
    ['recurring', f.seriesId ? `series ${f.seriesId}, occurrence ${f.occurrence}` : null],
    ['completed', f.completedAt && formatTimestamp(f.completedAt, tz)],
    ['cancelled', f.cancelledAt && formatTimestamp(f.cancelledAt, tz)],
    ['description', f.description],
  ]);
  if (!logs.length) return;
  const chalk = styler(ctx.io);
  ctx.io.out('');
  ctx.io.out(chalk.bold('Log'));
  for (const l of logs) {
    ctx.io.out(`  ${chalk.dim(formatTimestamp(l.at, tz))}  ${l.type}${l.subject ? `: ${l.subject}` : ''}${l.description ? ` — ${l.description}` : ''}${l.user ? chalk.dim(`  — ${l.user}`) : ''}`);
  }
}
