import { ConflictError, NotFoundError, PermissionError, UsageError, fieldRef, say } from '../../errors.js';
import type { FollowUp, FollowUpFields, FollowUpPriority, FollowUpQuery, FollowUpStatus, FollowUpType } from '../../domain/followups.js';
import type { NotifyChannel } from '../../domain/notify.js';
import type { User } from '../../domain/users.js';
import type { Store } from '../../store/types.js';
import { FOLLOW_UP_PRIORITIES, FOLLOW_UP_STATUSES, FOLLOW_UP_TYPES } from '../../domain/followups.js';
import { NOTIFY_CHANNELS } from '../../domain/notify.js';
import { seesAllLeads } from '../access.js';
import type { ServiceContext } from '../context.js';
import { getLead } from '../leads/service.js';
import { findUser } from '../lookup.js';
import { dateOrderOf, addLocalDays, formatDuration, parseDuration, parseTime, parseWindow, startOfLocalDay } from '../time/parse.js';

/** What a person or a script gives for a follow-up: raw strings, validated here. */
export interface FollowUpInput {
  leadId?: number;
  title?: string;
  type?: string;
  start?: string;
  end?: string;
  duration?: string;
  priority?: string;
  category?: string | null;
  description?: string | null;
  assign?: string[];
  notify?: string[];
  channels?: string[];
  status?: string;
  every?: string;
  until?: string;
}

export interface TimeOptions {
  timeZone: string;
}

export const DEFAULT_DURATION_MINUTES = 30;

export function oneOf<T extends string>(raw: string, allowed: readonly T[], field: string): T {
  const v = raw.trim().toLowerCase();
  if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`invalid ${field} '${raw}'`, `use one of: ${allowed.join(', ')}`);
  return v as T;
}

/** Users a follow-up may be given to: reps only to themselves, as with leads. */
export async function resolveAssignees(store: Store, actor: User, emails: string[]): Promise<number[]> {
  // One at a time: a transaction's statements share one connection (PostgreSQL) and must not overlap.
  const users: User[] = [];
  for (const e of emails) users.push(await findUser(store, e));
  for (const u of users) {
    if (!u.active) throw new UsageError(`user ${u.email} is deactivated`, 'assign it to an active user');
  }
  if (!seesAllLeads(actor) && users.some((u) => u.id !== actor.id)) {
    throw new PermissionError(`${actor.email} is a rep and may assign follow-ups only to themselves`, 'ask a manager to assign it to someone else');
  }
  return [...new Set(users.map((u) => u.id))];
}

/** "15m,1h,1d,2h30m" → minutes, sorted longest first. */
export function parseNotify(values: string[]): number[] {
  const minutes = values.map((v) => {
    const seconds = parseDuration(v, 'notify-before', { allowZero: true });
    if (seconds % 60 !== 0) throw new UsageError(`invalid notify-before '${v}': reminders are in whole minutes`, 'write it like 15m, 1h, 1d or 2h30m');
    return seconds / 60;
  });
  return [...new Set(minutes)].sort((a, b) => b - a);
}

export function parseChannels(values: string[]): NotifyChannel[] {
  return [...new Set(values.map((c) => oneOf<NotifyChannel>(c, NOTIFY_CHANNELS, 'channel')))];
}

/** Recurrence in whole days: 30d, 2w, or a bare number of days. */
export function parseEvery(raw: string): number {
  const text = raw.trim().toLowerCase();
  const m = /^(\d+)\s*(d|days?|w|weeks?)?$/.exec(text);
  if (!m) throw new UsageError(`invalid recurrence '${raw}'`, { id: 'followup.every' });
  const days = Number(m[1]) * (m[2]?.startsWith('w') ? 7 : 1);
  if (days === 0) throw new UsageError(`a recurrence of 0 days ('${raw}') would repeat forever`, { id: 'followup.every-min' });
  return days;
}

/** The reminder rows the daemon reads: one per notify-before and channel. */
export function remindersFor(f: Pick<FollowUpFields, 'startAt' | 'notifyBefore' | 'channels'>) {
  const start = new Date(f.startAt).getTime();
  return f.notifyBefore.flatMap((m) => f.channels.map((channel) => ({ minutesBefore: m, channel, dueAt: new Date(start - m * 60_000).toISOString() })));
}

/** A reminder due before now is one nobody can receive: say so instead of storing it. */
function checkLeadTime(notifyBefore: number[], startAt: string, now: Date): void {
  const leadMinutes = Math.floor((new Date(startAt).getTime() - now.getTime()) / 60_000);
  const tooLong = notifyBefore.filter((m) => m > leadMinutes);
  if (tooLong.length) {
    const when = leadMinutes <= 0 ? 'has already started' : `starts in ${formatDuration(leadMinutes * 60)}`;
    throw new UsageError(
      `notify-before ${tooLong.map((m) => formatDuration(m * 60)).join(', ')} is longer than the lead time: the follow-up ${when}`,
      leadMinutes > 0 ? { id: 'followup.notify-before', atMost: formatDuration(leadMinutes * 60) } : { id: 'followup.notify-drop' },
    );
  }
}

/** A follow-up the actor may see: assigned to them or on one of their leads. */
export async function getFollowUp(ctx: Pick<ServiceContext, 'store' | 'actor'>, id: number): Promise<FollowUp> {
  const f = await ctx.store.followUps.get(id);
  if (!f) throw new NotFoundError(`no follow-up with id ${id}`, { id: 'followup.list' });
  if (!seesAllLeads(ctx.actor) && !f.assigneeIds.includes(ctx.actor.id)) {
    const lead = await ctx.store.leads.get(f.leadId);
    if (!lead?.assignees.some((a) => a.id === ctx.actor.id)) {
      throw new PermissionError(`follow-up ${id} is not yours (${ctx.actor.email})`, { id: 'followup.list-mine' });
    }
  }
  return f;
}

async function activity(ctx: ServiceContext, f: Pick<FollowUp, 'id' | 'leadId' | 'title'> & Partial<FollowUp>, type: string, extra: Record<string, unknown> = {}, at = ctx.now.toISOString()) {
  await ctx.store.activities.add({
    leadId: f.leadId, type, at, userId: ctx.actor.id, body: f.title,
    data: { followUpId: f.id, ...(f.type ? { kind: f.type } : {}), ...(f.startAt ? { startAt: f.startAt } : {}), ...extra },
  });
}

export interface AddFollowUpResult {
  followUp: FollowUp;
  seriesId: number | null;
  /** Further occurrences generated ahead for a recurring follow-up. */
  generated: number[];
}

export async function addFollowUp(ctx: ServiceContext, input: FollowUpInput, opts: TimeOptions): Promise<AddFollowUpResult> {
  const { store, actor, now } = ctx;
  const at = now.toISOString();
  if (input.leadId === undefined) throw new UsageError('a follow-up needs a lead', { id: 'pass', field: 'lead', value: '<id>' });
  const title = input.title?.trim();
  if (!title) throw new UsageError('a follow-up needs a title', { id: 'pass', field: 'title', value: '"Send revised quote"' });
  const type = oneOf<FollowUpType>(input.type ?? 'call', FOLLOW_UP_TYPES, 'type');
  const priority = oneOf<FollowUpPriority>(input.priority ?? 'medium', FOLLOW_UP_PRIORITIES, 'priority');
  const status = oneOf<FollowUpStatus>(input.status ?? 'scheduled', ['scheduled', 'open'] as const, 'status');
  const start = input.start ? await parseTime(input.start, 'start', { now, timeZone: opts.timeZone, dateOrder: await dateOrderOf(ctx.store, ctx.actor), forward: true }) : now;
  const end = await endOf(ctx, start, input, opts, now);
  const notifyBefore = input.notify?.length ? parseNotify(input.notify) : [];
  if (input.channels?.length && !notifyBefore.length) throw new UsageError(say`${fieldRef('channel')} needs ${fieldRef('notify')}`, { id: 'followup.notify-channel' });
  const channels = notifyBefore.length ? (input.channels?.length ? parseChannels(input.channels) : (['inbox'] as NotifyChannel[])) : [];
  if (notifyBefore.length) checkLeadTime(notifyBefore, start.toISOString(), now);
  const everyDays = input.every !== undefined ? parseEvery(input.every) : undefined;
  let until: string | null = null;
  if (input.until !== undefined) {
    if (everyDays === undefined) throw new UsageError(say`${fieldRef('until')} needs ${fieldRef('every')}`, { id: 'followup.until' });
    const u = await parseTime(input.until, 'until', { now, timeZone: opts.timeZone, dateOrder: await dateOrderOf(ctx.store, ctx.actor), forward: true });
    // A date alone means the end of that day.
    const endOfDay = /^\d{4}-\d{2}-\d{2}$/.test(input.until.trim()) ? new Date(startOfLocalDay(u, opts.timeZone, 1).getTime() - 1) : u;
    if (endOfDay < start) throw new UsageError(say`${fieldRef('until')} ${input.until} is before the first occurrence (${start.toISOString()})`, { id: 'later', field: 'until' });
    until = endOfDay.toISOString();
  }

  return store.transaction(async () => {
    const lead = await getLead(ctx, input.leadId!);
    const assigneeIds = input.assign?.length
      ? await resolveAssignees(store, actor, input.assign)
      : lead.assignees.length && seesAllLeads(actor) ? lead.assignees.map((a) => a.id) : [actor.id];
    const fields: FollowUpFields = {
      leadId: lead.id, title, type, priority, status,
      category: input.category?.trim() || null,
      description: input.description?.trim() || null,
      startAt: start.toISOString(), endAt: end.toISOString(),
      notifyBefore, channels, assigneeIds,
      seriesId: null, occurrence: null, ruleId: null,
      createdBy: actor.id, completedAt: null, cancelledAt: null,
    };
    let seriesId: number | null = null;
    if (everyDays !== undefined) {
      const { seriesId: _s, occurrence: _o, ruleId: _r, status: _st, completedAt: _c, cancelledAt: _x, ...template } = fields;
      seriesId = await store.followUpSeries.insert({ leadId: lead.id, everyDays, until, timeZone: opts.timeZone, template, active: true }, at);
      fields.seriesId = seriesId;
      fields.occurrence = 0;
    }
    const id = await store.followUps.insert(fields, at);
    await store.followUps.setReminders(id, remindersFor(fields));
    const followUp = (await store.followUps.get(id))!;
    await activity(ctx, followUp, 'follow-up', { status, ...(everyDays ? { everyDays } : {}) });
    const generated = seriesId ? (await generateRecurring(ctx, { seriesIds: [seriesId] })).created.map((c) => c.followUpId) : [];
    return { followUp, seriesId, generated };
  });
}

async function endOf(ctx: Pick<ServiceContext, 'store' | 'actor'>, start: Date, input: Pick<FollowUpInput, 'end' | 'duration'>, opts: TimeOptions, now: Date): Promise<Date> {
  if (input.end !== undefined && input.duration !== undefined) throw new UsageError(say`give ${fieldRef('end')} or ${fieldRef('duration')}, not both`);
  if (input.duration !== undefined) return new Date(start.getTime() + parseDuration(input.duration, 'duration') * 1000);
  if (input.end === undefined) return new Date(start.getTime() + DEFAULT_DURATION_MINUTES * 60_000);
  // "10:30" means on the start's day, not today.
  const end = await parseTime(input.end, 'end', { now, timeZone: opts.timeZone, dateOrder: await dateOrderOf(ctx.store, ctx.actor), forward: true, dateFrom: start });
  if (end < start) {
    throw new UsageError(`the follow-up ends (${end.toISOString()}) before it starts (${start.toISOString()})`, { id: 'followup.end' });
  }
  return end;
}

export async function editFollowUp(ctx: ServiceContext, id: number, input: FollowUpInput, opts: TimeOptions): Promise<FollowUp> {
  const { store, actor, now } = ctx;
  const at = now.toISOString();
  if (input.every !== undefined || input.until !== undefined) throw new UsageError('the recurrence of a follow-up cannot be edited', 'cancel it and add a new recurring one');
  if (input.leadId !== undefined) throw new UsageError('a follow-up cannot move to another lead', 'cancel it and add one on the other lead');
  return store.transaction(async () => {
    const before = await getFollowUp(ctx, id);
    if (before.status === 'completed' || before.status === 'cancelled') throw new ConflictError(`follow-up ${id} is ${before.status}`, 'add a new one instead');
    const patch: Partial<FollowUpFields> = {};
    if (input.title !== undefined) {
      if (!input.title.trim()) throw new UsageError('a follow-up needs a title');
      patch.title = input.title.trim();
    }
    if (input.type !== undefined) patch.type = oneOf(input.type, FOLLOW_UP_TYPES, 'type');
    if (input.priority !== undefined) patch.priority = oneOf(input.priority, FOLLOW_UP_PRIORITIES, 'priority');
    if (input.status !== undefined) {
      const s = oneOf<FollowUpStatus>(input.status, FOLLOW_UP_STATUSES, 'status');
      if (s === 'completed' || s === 'cancelled') throw new UsageError(say`use ${{ fix: { id: 'followup.status-command', followUpId: id, verb: s === 'completed' ? 'done' : 'cancel' } }}`);
      patch.status = s;
    }
    if (input.category !== undefined) patch.category = input.category?.trim() || null;
    if (input.description !== undefined) patch.description = input.description?.trim() || null;
    const start = input.start !== undefined ? await parseTime(input.start, 'start', { now, timeZone: opts.timeZone, dateOrder: await dateOrderOf(ctx.store, ctx.actor), forward: true }) : new Date(before.startAt);
    if (input.start !== undefined || input.end !== undefined || input.duration !== undefined) {
      const keep = new Date(before.endAt).getTime() - new Date(before.startAt).getTime();
      const end = input.end !== undefined || input.duration !== undefined ? await endOf(ctx, start, input, opts, now) : new Date(start.getTime() + keep);
      patch.startAt = start.toISOString();
      patch.endAt = end.toISOString();
    }
    if (input.notify !== undefined) patch.notifyBefore = input.notify.length ? parseNotify(input.notify) : [];
    if (input.channels !== undefined) patch.channels = parseChannels(input.channels);
    if (patch.notifyBefore?.length && !(patch.channels ?? before.channels).length) patch.channels = ['inbox'];
    if (input.notify !== undefined && patch.notifyBefore?.length) checkLeadTime(patch.notifyBefore, patch.startAt ?? before.startAt, now);
    if (input.assign !== undefined) patch.assigneeIds = await resolveAssignees(store, actor, input.assign);
    const changes = (Object.keys(patch) as (keyof FollowUpFields)[])
      .filter((k) => JSON.stringify(patch[k]) !== JSON.stringify(before[k]))
      .map((k) => ({ field: k, from: before[k], to: patch[k] }));
    if (!changes.length) return before;
    await store.followUps.update(id, patch, at);
    const after = (await store.followUps.get(id))!;
    if (patch.startAt || patch.notifyBefore || patch.channels) await store.followUps.setReminders(id, remindersFor(after));
    await activity(ctx, after, 'follow-up-edited', { changes });
    return after;
  });
}

export async function completeFollowUp(ctx: ServiceContext, id: number, note?: string): Promise<FollowUp> {
  const at = ctx.now.toISOString();
  return ctx.store.transaction(async () => {
    const f = await getFollowUp(ctx, id);
    if (f.status === 'completed') throw new ConflictError(`follow-up ${id} is already completed (${f.completedAt})`);
    if (f.status === 'cancelled') throw new ConflictError(`follow-up ${id} is cancelled`, 'add a new one if it is needed again');
    await ctx.store.followUps.update(id, { status: 'completed', completedAt: at }, at);
    // Reminders of a finished follow-up must not go out.
    await ctx.store.followUps.setReminders(id, []);
    if (note?.trim()) await ctx.store.followUps.addLog({ followUpId: id, type: 'note', at, subject: 'Completed', description: note.trim(), userId: ctx.actor.id });
    await activity(ctx, f, 'follow-up-done', note?.trim() ? { note: note.trim() } : {});
    return (await ctx.store.followUps.get(id))!;
  });
}

export async function cancelFollowUp(ctx: ServiceContext, id: number, reason?: string): Promise<FollowUp> {
  const at = ctx.now.toISOString();
  return ctx.store.transaction(async () => {
    const f = await getFollowUp(ctx, id);
    if (f.status === 'cancelled') throw new ConflictError(`follow-up ${id} is already cancelled`);
    if (f.status === 'completed') throw new ConflictError(`follow-up ${id} is completed and cannot be cancelled`);
    await ctx.store.followUps.update(id, { status: 'cancelled', cancelledAt: at }, at);
    await ctx.store.followUps.setReminders(id, []);
    await activity(ctx, f, 'follow-up-cancelled', reason?.trim() ? { reason: reason.trim() } : {});
    return (await ctx.store.followUps.get(id))!;
  });
}

export const LOG_TYPES = ['call', 'sms', 'meeting', 'email', 'note'] as const;

/** F2: an entry in a follow-up's log (several per follow-up). */
export async function logFollowUp(ctx: ServiceContext, id: number, input: { type?: string; at?: string; subject?: string; description?: string }, opts: TimeOptions) {
  const type = oneOf(input.type ?? 'note', LOG_TYPES, 'log type');
  const subject = input.subject?.trim() || null;
  const description = input.description?.trim() || null;
  if (!subject && !description) throw new UsageError('a log entry needs a subject or a description', { id: 'followup.log' });
  const when = input.at ? await parseTime(input.at, 'at', { now: ctx.now, timeZone: opts.timeZone, dateOrder: await dateOrderOf(ctx.store, ctx.actor) }) : ctx.now;
  return ctx.store.transaction(async () => {
    const f = await getFollowUp(ctx, id);
    const logId = await ctx.store.followUps.addLog({ followUpId: id, type, at: when.toISOString(), subject, description, userId: ctx.actor.id });
    await activity(ctx, f, 'follow-up-log', { logType: type, subject, description }, when.toISOString());
    return { id: logId, followUpId: id, type, at: when.toISOString(), subject, description, user: ctx.actor.email };
  });
}

export async function showFollowUp(ctx: ServiceContext, id: number) {
  const followUp = await getFollowUp(ctx, id);
  return { followUp, logs: await ctx.store.followUps.logs(id), reminders: await ctx.store.followUps.reminders(id) };
}

/** F5 views. */
export interface FollowUpView {
  today?: boolean;
  overdue?: boolean;
  upcoming?: string;
  mine?: boolean;
  user?: string;
  status?: string;
  lead?: number;
  limit?: number;
}

export async function buildFollowUpQuery(ctx: ServiceContext, v: FollowUpView, opts: TimeOptions): Promise<FollowUpQuery> {
  const views = [v.today, v.overdue, v.upcoming !== undefined].filter(Boolean).length;
  if (views > 1) throw new UsageError(say`choose one of ${fieldRef('today')}, ${fieldRef('overdue')}, ${fieldRef('upcoming')}`);
  if (v.mine && v.user) throw new UsageError(say`choose ${fieldRef('mine')} or ${fieldRef('user')}, not both`);
  const q: FollowUpQuery = { limit: v.limit };
  if (v.status === undefined || v.status === 'pending') q.statuses = ['scheduled', 'open'];
  else if (v.status !== 'all') q.statuses = v.status.split(',').map((s) => oneOf<FollowUpStatus>(s, FOLLOW_UP_STATUSES, 'status'));
  if (v.today) {
    q.startFrom = startOfLocalDay(ctx.now, opts.timeZone).toISOString();
    q.startBefore = startOfLocalDay(ctx.now, opts.timeZone, 1).toISOString();
  }
  if (v.overdue) {
    if (v.status !== undefined && v.status !== 'pending') throw new UsageError(say`${fieldRef('overdue')} means scheduled or open; drop ${fieldRef('status')}`);
    q.statuses = ['scheduled', 'open'];
    q.endBefore = ctx.now.toISOString();
  }
  if (v.upcoming !== undefined) {
    const seconds = parseWindow(v.upcoming || '7d', fieldRef('upcoming'));
    q.startFrom = ctx.now.toISOString();
    q.startBefore = new Date(ctx.now.getTime() + seconds * 1000).toISOString();
  }
  if (v.mine) q.assigneeId = ctx.actor.id;
  if (v.user) q.assigneeId = (await findUser(ctx.store, v.user)).id;
  if (v.lead !== undefined) q.leadId = (await getLead(ctx, v.lead)).id;
  if (!seesAllLeads(ctx.actor)) q.visibleTo = ctx.actor.id;
  return q;
}

export async function listFollowUps(ctx: ServiceContext, v: FollowUpView, opts: TimeOptions): Promise<FollowUp[]> {
  return ctx.store.followUps.list(await buildFollowUpQuery(ctx, v, opts));
}

/** Overdue = past its end and still scheduled or open. */
export function isOverdue(f: Pick<FollowUp, 'status' | 'endAt'>, now: Date): boolean {
  return (f.status === 'scheduled' || f.status === 'open') && new Date(f.endAt) < now;
}

// ---- F3: recurring follow-ups ----

export interface RecurResult {
  created: { followUpId: number; seriesId: number; occurrence: number; startAt: string }[];
  series: number;
}

/**
 * Generates the occurrences of recurring follow-ups ahead of time: every occurrence that starts
 * within `aheadDays` of now, and at least the next one. Occurrence k starts k × N local days
 * after the first, at the same wall-clock time in the series' time zone (so 10:00 stays 10:00
 * across a DST change). Each occurrence has a unique (series, k): re-running creates nothing twice.
 * The daemon calls this; `crm followup recur` runs it by hand.
 */
/** How far ahead occurrences are generated at most: a year of a daily series is 366 rows. */
export const MAX_RECUR_AHEAD_DAYS = 366;

export async function generateRecurring(ctx: ServiceContext, opts: { aheadDays?: number; seriesIds?: number[] } = {}): Promise<RecurResult> {
  const { store, now } = ctx;
  const at = now.toISOString();
  const aheadDays = opts.aheadDays ?? 30;
  if (aheadDays > MAX_RECUR_AHEAD_DAYS) {
    throw new UsageError(say`${fieldRef('ahead')} '${formatDuration(aheadDays * 86_400)}' is too far ahead: at most ${MAX_RECUR_AHEAD_DAYS}d`, `give a window of at most ${MAX_RECUR_AHEAD_DAYS}d (the daemon generates the rest as time passes)`);
  }
  const horizon = now.getTime() + aheadDays * 86_400_000;
  return store.transaction(async () => {
    let series = await store.followUpSeries.list({ activeOnly: true });
    if (opts.seriesIds) series = series.filter((s) => opts.seriesIds!.includes(s.id));
    if (!seesAllLeads(ctx.actor)) {
      // A rep generates only the series they can see: theirs, or on their leads.
      const visible = [];
      for (const s of series) {
        if (s.template.assigneeIds.includes(ctx.actor.id) || (await store.leads.get(s.leadId))?.assignees.some((a) => a.id === ctx.actor.id)) visible.push(s);
      }
      series = visible;
    }
    const created: RecurResult['created'] = [];
    for (const s of series) {
      // A lost, junked or deleted lead gets no more occurrences (its open ones were cancelled).
      const lead = await store.leads.get(s.leadId);
      if (!lead || lead.deletedAt || lead.status !== 'active' || lead.stageOutcome === 'lost') continue;
      const first = new Date(s.template.startAt);
      const length = new Date(s.template.endAt).getTime() - first.getTime();
      let haveFuture = first > now;
      for (let k = 1; ; k++) {
        const start = addLocalDays(first, k * s.everyDays, s.timeZone);
        if (s.until && start > new Date(s.until)) break;
        if (start.getTime() > horizon && haveFuture) break;
        if (start > now) haveFuture = true;
        if (await store.followUps.findOccurrence(s.id, k)) continue;
        const fields: FollowUpFields = {
          ...s.template,
          startAt: start.toISOString(),
          endAt: new Date(start.getTime() + length).toISOString(),
          status: 'scheduled', seriesId: s.id, occurrence: k, ruleId: null, completedAt: null, cancelledAt: null,
        };
        const id = await store.followUps.insert(fields, at);
        // A reminder already due is one nobody can act on any more.
        await store.followUps.setReminders(id, remindersFor(fields).filter((r) => r.dueAt >= at));
        await store.activities.add({
          leadId: s.leadId, type: 'follow-up', at, userId: ctx.actor.id, body: fields.title,
          data: { followUpId: id, kind: fields.type, startAt: fields.startAt, status: 'scheduled', seriesId: s.id, occurrence: k },
        });
        created.push({ followUpId: id, seriesId: s.id, occurrence: k, startAt: fields.startAt });
      }
    }
    return { created, series: series.length };
  });
}
