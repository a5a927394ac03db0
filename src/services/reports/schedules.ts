import { ConflictError, NotFoundError, UsageError, fieldRef, say } from '../../errors.js';
import { toCsv, toText } from '../../io/table-formats.js';
import type { NewOutboxMessage, OutboxAttachment } from '../../domain/notify.js';
import type { ReportSchedule, ScheduleFormat } from '../../domain/reports.js';
import type { Store } from '../../store/types.js';
import { SCHEDULE_FORMATS } from '../../domain/reports.js';
import { assertRole } from '../access.js';
import type { ServiceContext } from '../context.js';
import { normalizeEmail } from '../leads/normalize.js';
import { effectiveSetting } from '../settings/service.js';
import { resolveTimeZone } from '../time/parse.js';
import { ymd } from './period.js';
import { REPORTS, runReport, type ReportOptions } from './reports.js';

/** The rule id of a scheduled report's messages (rendered with templates/notify/scheduled-report.*). */
export const SCHEDULED_REPORT_RULE = 'scheduled-report';
/** The report options a schedule may store (the same flags as `crm report NAME`). */
const OPTION_KEYS = ['by', 'day', 'from', 'to', 'user', 'category', 'details', 'completed', 'confirmed'] as const;
/** How far back a due slot is looked for: a machine asleep longer than this misses its slots. */
const CATCH_UP_MS = 8 * 24 * 3600_000;

export interface ScheduleInput {
  name: string;
  report?: string;
  options: ReportOptions;
  cron?: string;
  tz?: string;
  to?: string[];
  format?: string;
}

interface CronTask {
  match(d: Date): boolean;
  destroy(): unknown;
}
interface NodeCron {
  validate(expr: string): boolean;
  createTask(expr: string, fn: () => void, opts: { timezone?: string }): CronTask;
}

// node-cron is loaded only here (and by the daemon), never on a common command's path.
async function nodeCron(): Promise<NodeCron> {
  const m = (await import('node-cron')) as unknown as NodeCron & { default?: NodeCron };
  return typeof m.validate === 'function' ? m : m.default!;
}

/** A five-field cron expression node-cron accepts (minute hour day-of-month month day-of-week). */
export async function parseCron(raw: string | undefined): Promise<string> {
  const hint = { id: 'schedule.cron' } as const;
  if (!raw?.trim()) throw new UsageError(say`a schedule needs ${fieldRef('cron')}`, hint);
  const expr = raw.trim().replace(/\s+/g, ' ');
  if (expr.split(' ').length !== 5 || !(await nodeCron()).validate(expr)) throw new UsageError(`invalid cron expression '${raw}'`, hint);
  return expr;
}

/** 'managers', 'admins' or email addresses. */
export function parseRecipients(raw: string[] | undefined): string[] {
  const out: string[] = [];
  for (const r of (raw ?? []).flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean)) {
    const v = ['managers', 'admins'].includes(r.toLowerCase()) ? r.toLowerCase() : normalizeEmail(r, fieldRef('to'));
    if (!out.includes(v)) out.push(v);
  }
  if (out.length === 0) throw new UsageError(say`a schedule needs ${fieldRef('to')}`, { id: 'schedule.to' });
  return out;
}

function pickOptions(o: ReportOptions): ReportSchedule['options'] {
  const out: ReportSchedule['options'] = {};
  for (const k of OPTION_KEYS) {
    const v = (o as Record<string, unknown>)[k];
    if (typeof v === 'string' || typeof v === 'boolean') out[k] = v;
  }
  return out;
}

function zoneOf(s: Pick<ReportSchedule, 'timeZone'>, settings: Record<string, string>, env: Record<string, string | undefined>): string {
  return resolveTimeZone(s.timeZone ?? undefined, effectiveSetting(settings, env, 'notify.timezone') || undefined);
}

export async function addSchedule(ctx: ServiceContext, input: ScheduleInput, env: Record<string, string | undefined> = {}): Promise<ReportSchedule> {
  assertRole(ctx.actor, ['admin', 'manager'], 'schedule reports');
  const name = input.name.trim();
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name)) throw new UsageError(`invalid schedule name '${input.name}'`, 'letters, digits, dot, dash and underscore, e.g. leads-daily');
  if (!input.report) throw new UsageError(say`a schedule needs ${fieldRef('report')}`, `one of ${REPORTS.join(', ')}`);
  const report = input.report.trim().toLowerCase();
  if (!(REPORTS as readonly string[]).includes(report)) throw new UsageError(`unknown report '${input.report}'`, `reports are: ${REPORTS.join(', ')}`);
  const format = (input.format ?? 'csv').trim().toLowerCase() as ScheduleFormat;
  if (!SCHEDULE_FORMATS.includes(format)) throw new UsageError(`unknown format '${input.format}' for a scheduled report`, { id: 'use', field: 'format', value: SCHEDULE_FORMATS.join('|') });
  const cron = await parseCron(input.cron);
  const timeZone = input.tz ? resolveTimeZone(input.tz, undefined) : null;
  const recipients = parseRecipients(input.to);
  const options = pickOptions(input.options);
  // Run it once now, as its author: bad options (a missing --by, a user a rep may not see) are refused at once, not at 19:00.
  const settings = await ctx.store.settings.all();
  await runReport(ctx, report, options as ReportOptions, zoneOf({ timeZone }, settings, env));
  return ctx.store.transaction(async () => {
    if (await ctx.store.reportSchedules.byName(name)) throw new ConflictError(`a scheduled report named '${name}' exists already`, { id: 'schedule.remove', name });
    return ctx.store.reportSchedules.insert({ name, report, options, cron, timeZone, recipients, format, createdBy: ctx.actor.id, createdAt: ctx.now.toISOString() });
  });
}

async function findSchedule(ctx: ServiceContext, name: string): Promise<ReportSchedule> {
  const s = await ctx.store.reportSchedules.byName(name.trim());
  if (!s) throw new NotFoundError(`no scheduled report named '${name}'`, { id: 'schedule.list' });
  return s;
}

export interface ScheduleView extends ReportSchedule {
  createdByEmail: string | null;
  /** The next slot after now (null: none within 8 days, or an unknown zone). */
  nextRunAt: string | null;
}

export async function listSchedules(ctx: ServiceContext, env: Record<string, string | undefined> = {}): Promise<ScheduleView[]> {
  assertRole(ctx.actor, ['admin', 'manager'], 'see scheduled reports');
  const rows = await ctx.store.reportSchedules.list();
  if (rows.length === 0) return [];
  const settings = await ctx.store.settings.all();
  const users = new Map((await ctx.store.users.list()).map((u) => [u.id, u.email]));
  const cron = await nodeCron();
  return rows.map((s) => ({ ...s, createdByEmail: users.get(s.createdBy) ?? null, nextRunAt: nextSlot(cron, s, zoneOf(s, settings, env), ctx.now)?.toISOString() ?? null }));
}

export async function removeSchedule(ctx: ServiceContext, name: string): Promise<ReportSchedule> {
  assertRole(ctx.actor, ['admin', 'manager'], 'remove scheduled reports');
  return ctx.store.transaction(async () => {
    const s = await findSchedule(ctx, name);
    await ctx.store.reportSchedules.remove(s.id);
    return s;
  });
}

/** Runs a schedule at once: its messages are queued now (the daemon delivers them). */
export async function runScheduleNow(ctx: ServiceContext, name: string, env: Record<string, string | undefined> = {}): Promise<{ schedule: ReportSchedule; queued: number; addresses: string[]; emailConfigured: boolean }> {
  assertRole(ctx.actor, ['admin', 'manager'], 'run scheduled reports');
  const s = await findSchedule(ctx, name);
  const r = await runSchedule(ctx.store, s, ctx.now, `run-now-${ctx.now.toISOString()}`, env, null);
  const settings = await ctx.store.settings.all();
  return { schedule: s, ...r, emailConfigured: Boolean(effectiveSetting(settings, env, 'smtp.host')) };
}

const minute = (d: Date) => new Date(Math.floor(d.getTime() / 60_000) * 60_000);

/** The first slot after `from`, looked for minute by minute over the next 8 days. */
function nextSlot(cron: NodeCron, s: ReportSchedule, tz: string, from: Date): Date | undefined {
  const task = cron.createTask(s.cron, () => undefined, { timezone: tz });
  try {
    const end = from.getTime() + CATCH_UP_MS;
    for (let t = minute(from).getTime() + 60_000; t <= end; t += 60_000) if (task.match(new Date(t))) return new Date(t);
    return undefined;
  } finally {
    task.destroy();
  }
}

/** Minutes already looked at by this process, per schedule: each minute's check costs one match, not a day's. */
const checked = new Map<string, number>();

/** The latest slot in (after, now], if any: a run missed while asleep is run once, for its latest slot. */
function latestSlot(cron: NodeCron, store: string, s: ReportSchedule, tz: string, after: Date, now: Date): Date | undefined {
  const cacheKey = `${store}/${s.id}/${s.cron}/${tz}/${after.toISOString()}`;
  const floor = Math.max(after.getTime(), now.getTime() - CATCH_UP_MS, checked.get(cacheKey) ?? 0);
  const task = cron.createTask(s.cron, () => undefined, { timezone: tz });
  try {
    for (let t = minute(now).getTime(); t > floor; t -= 60_000) if (task.match(new Date(t))) return new Date(t);
    checked.set(cacheKey, minute(now).getTime());
    return undefined;
  } finally {
    task.destroy();
  }
}

/**
 * The daemon's minute job: each schedule whose latest cron slot (in its zone) came after the
 * slot it last ran for (or after its creation) runs once; the slot is stored with the queued
 * messages, so a restart or a second check never runs it twice. Returns the names run.
 */
export async function runDueSchedules(store: Store, now: Date, env: Record<string, string | undefined> = {}): Promise<string[]> {
  const schedules = await store.reportSchedules.list();
  if (schedules.length === 0) return [];
  const settings = await store.settings.all();
  const cron = await nodeCron();
  const ran: string[] = [];
  const errors: string[] = [];
  for (const s of schedules) {
    let tz: string;
    try {
      tz = zoneOf(s, settings, env);
    } catch (err) {
      errors.push(`${s.name}: ${(err as Error).message}`);
      continue;
    }
    const slot = latestSlot(cron, store.location, s, tz, new Date(s.lastSlotAt ?? s.createdAt), now);
    if (!slot) continue;
    try {
      await runSchedule(store, s, now, `slot-${slot.toISOString()}`, env, slot);
      ran.push(s.name);
    } catch (err) {
      const message = (err as Error).message ?? String(err);
      // The slot is spent either way: a report that fails at 19:00 is not retried every minute.
      await store.transaction(() => store.reportSchedules.recordRun(s.id, slot.toISOString(), now.toISOString(), message));
      errors.push(`${s.name}: ${message}`);
    }
  }
  if (errors.length) throw new Error(`scheduled report(s) failed: ${errors.join('; ')}${ran.length ? ` (ran: ${ran.join(', ')})` : ''}`);
  return ran;
}

async function resolveAddresses(store: Store, recipients: string[]): Promise<{ address: string; userId: number | null }[]> {
  const users = (await store.users.list()).filter((u) => u.active);
  const out = new Map<string, number | null>();
  for (const r of recipients) {
    if (r === 'managers' || r === 'admins') {
      for (const u of users) if (u.role === r.slice(0, -1)) out.set(u.email.toLowerCase(), u.id);
    } else {
      out.set(r.toLowerCase(), users.find((u) => u.email.toLowerCase() === r.toLowerCase())?.id ?? null);
    }
  }
  return [...out].map(([address, userId]) => ({ address, userId }));
}

/** Runs the report as its author and queues one email per recipient, with the run recorded in the same transaction. */
async function runSchedule(
  store: Store, s: ReportSchedule, now: Date, tag: string, env: Record<string, string | undefined>, slot: Date | null,
): Promise<{ queued: number; addresses: string[] }> {
  const author = await store.users.byId(s.createdBy);
  if (!author?.active) throw new Error(`its author (user ${author?.email ?? s.createdBy}) is deactivated; add the schedule again as an active user`);
  const settings = await store.settings.all();
  const tz = zoneOf(s, settings, env);
  const report = await runReport({ store, actor: author, now }, s.report, s.options as ReportOptions, tz);
  const text = toText(report);
  const base = `${s.name}-${ymd(now, tz)}`;
  const { columns: _c, chart: _h, ...json } = report;
  const attachment: OutboxAttachment = s.format === 'csv'
    ? { filename: `${base}.csv`, contentType: 'text/csv; charset=utf-8', content: toCsv(report) }
    : s.format === 'json'
      ? { filename: `${base}.json`, contentType: 'application/json', content: `${JSON.stringify(json, null, 2)}\n` }
      : { filename: `${base}.txt`, contentType: 'text/plain; charset=utf-8', content: `${text}\n` };
  const targets = await resolveAddresses(store, s.recipients);
  const messages: NewOutboxMessage[] = targets.map((t) => ({
    key: `${SCHEDULED_REPORT_RULE}/${s.name}/${s.id}/${tag}/email/${t.address}`, rule: SCHEDULED_REPORT_RULE, channel: 'email', recipientKind: 'user',
    recipientId: t.userId, address: t.address, leadId: null, attachments: [attachment],
    vars: { report_name: s.name, title: report.title, report: text, at: now.toISOString() },
  }));
  const queued = await store.transaction(async () => {
    const n = await store.outbox.enqueue(messages, now.toISOString());
    await store.reportSchedules.recordRun(s.id, slot?.toISOString() ?? null, now.toISOString(), targets.length ? null : 'no recipient: nobody has that role');
    return n;
  });
  return { queued, addresses: targets.map((t) => t.address) };
}
