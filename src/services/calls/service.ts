import { NotFoundError, PermissionError, UsageError, fieldRef, say } from '../../errors.js';
import { rescore } from '../scoring/service.js';
import type { Call, CallDirection, CallOutcome, CallQuery, CallSummaryRow } from '../../domain/calls.js';
import type { FollowUpFields } from '../../domain/followups.js';
import { CALL_DIRECTIONS, CALL_OUTCOMES } from '../../domain/calls.js';
import { seesAllLeads } from '../access.js';
import type { ServiceContext } from '../context.js';
import { DEFAULT_DURATION_MINUTES, oneOf, remindersFor } from '../followups/service.js';
import { parseWhere } from '../followups/where.js';
import { getLead } from '../leads/service.js';
import { findUser } from '../lookup.js';
import { normalizePhones } from '../leads/normalize.js';
import { dateOrderOf, parseDuration, parseTime, startOfLocalDay, startOfLocalMonth } from '../time/parse.js';
import { keyed } from '../../domain/keyed.js';

export interface CallInput {
  leadId?: number;
  direction?: string;
  outcome?: string;
  duration?: string;
  at?: string;
  number?: string;
  recording?: string;
  note?: string;
  /** For a call-back: when to call again ("in 2h"); creates the follow-up in the same transaction. */
  callback?: string;
}

export interface LogCallResult {
  call: Call;
  followUpId: number | null;
}

const OUTCOME_ALIASES: Record<string, CallOutcome> = keyed({ callback: 'call-back', 'call back': 'call-back', 'wrong number': 'wrong-number', wrongnumber: 'wrong-number', 'no-answer': 'rnr' });

export function parseOutcome(raw: string): CallOutcome {
  const key = raw.trim().toLowerCase();
  return OUTCOME_ALIASES[key] ?? oneOf<CallOutcome>(key, CALL_OUTCOMES, 'outcome');
}

function parseUrl(raw: string): string {
  try {
    const u = new URL(raw.trim());
    if (u.protocol === 'http:' || u.protocol === 'https:') return u.toString();
  } catch {
    // fall through
  }
  throw new UsageError(`invalid recording link '${raw}'`, 'give an http(s) URL');
}

/** The longest call that may be logged: a day. */
export const MAX_CALL_SECONDS = 86_400;

/** K1: logs a call on a lead's timeline; a call-back can schedule its follow-up in the same transaction. */
export async function logCall(ctx: ServiceContext, input: CallInput, opts: { timeZone: string }): Promise<LogCallResult> {
  const { store, actor, now } = ctx;
  const at = now.toISOString();
  if (input.leadId === undefined) throw new UsageError('a call needs a lead', { id: 'pass', field: 'lead', value: '<id>' });
  if (!input.outcome) throw new UsageError('a call needs an outcome', { id: 'pass', field: 'outcome', value: CALL_OUTCOMES.join('|') });
  const outcome = parseOutcome(input.outcome);
  const direction = oneOf<CallDirection>(input.direction ?? 'out', CALL_DIRECTIONS, 'direction');
  const durationSeconds = input.duration !== undefined ? parseDuration(input.duration, 'duration', { allowZero: true }) : 0;
  if (durationSeconds > MAX_CALL_SECONDS) throw new UsageError(`invalid duration '${input.duration}': a call lasts at most ${MAX_CALL_SECONDS / 3600}h`, 'give the call\'s length, e.g. 4m30s');
  const start = input.at ? await parseTime(input.at, 'at', { now, timeZone: opts.timeZone, dateOrder: await dateOrderOf(ctx.store, ctx.actor) }) : new Date(now.getTime() - durationSeconds * 1000);
  if (start > now) throw new UsageError(`the call's time ${start.toISOString()} is in the future`, { id: 'call.schedule' });
  const recordingUrl = input.recording ? parseUrl(input.recording) : null;
  const callbackAt = input.callback ? await parseTime(input.callback, 'callback', { now, timeZone: opts.timeZone, dateOrder: await dateOrderOf(ctx.store, ctx.actor), forward: true }) : undefined;
  if (callbackAt && callbackAt <= now) throw new UsageError(`the call-back time ${callbackAt.toISOString()} is not in the future`, { id: 'call.callback' });
  const region = (await store.settings.get('phone.region')) || undefined;
  const number = input.number ? (await normalizePhones([input.number], region, 'number'))[0]! : null;

  return store.transaction(async () => {
    const lead = await getLead(ctx, input.leadId!);
    const followUpId = callbackAt ? await scheduleCallBack(ctx, lead, callbackAt, input.note) : null;
    const id = await store.calls.insert({
      leadId: lead.id, userId: actor.id, direction, outcome, number: number ?? lead.phones[0] ?? null,
      startAt: start.toISOString(), endAt: new Date(start.getTime() + durationSeconds * 1000).toISOString(),
      durationSeconds, recordingUrl, note: input.note?.trim() || null, followUpId,
    }, at);
    await store.activities.add({
      leadId: lead.id, type: 'call', at: start.toISOString(), userId: actor.id, body: input.note?.trim() || null,
      data: { callId: id, direction, outcome, durationSeconds, ...(followUpId ? { followUpId } : {}) },
    });
    await rescore(ctx, lead.id);
    return { call: (await store.calls.get(id))!, followUpId };
  });
}

/** A call-back's follow-up (high priority, the acting user's) with its reminders and timeline entry. */
async function scheduleCallBack(ctx: ServiceContext, lead: { id: number; name: string }, callbackAt: Date, note: string | undefined): Promise<number> {
  const { store, actor } = ctx;
  const at = ctx.now.toISOString();
  const fields: FollowUpFields = {
    leadId: lead.id, title: `Call back ${lead.name}`, type: 'call', priority: 'high', status: 'scheduled',
    category: null, description: note?.trim() || null,
    startAt: callbackAt.toISOString(), endAt: new Date(callbackAt.getTime() + DEFAULT_DURATION_MINUTES * 60_000).toISOString(),
    notifyBefore: [], channels: [], assigneeIds: [actor.id],
    seriesId: null, occurrence: null, ruleId: null, createdBy: actor.id, completedAt: null, cancelledAt: null,
  };
  const followUpId = await store.followUps.insert(fields, at);
  await store.followUps.setReminders(followUpId, remindersFor(fields));
  await store.activities.add({ leadId: lead.id, type: 'follow-up', at, userId: actor.id, body: fields.title, data: { followUpId, kind: 'call', startAt: fields.startAt, status: 'scheduled' } });
  return followUpId;
}

export interface WrapUpInput {
  outcome: string;
  note?: string;
  /** For a call-back: when to call again; creates the follow-up in the same transaction. */
  callback?: string;
}

/**
 * The rep's wrap-up of a call (K2): its outcome and note replace what the status callback
 * recorded, on the call and its timeline entry; a call-back time schedules the follow-up, as
 * `call log --callback` does. A call wrapped up before may be wrapped up again (the latest wins).
 */
export async function wrapUpCall(ctx: ServiceContext, call: Call, input: WrapUpInput, opts: { timeZone: string }): Promise<LogCallResult> {
  const { store, now } = ctx;
  const outcome = parseOutcome(input.outcome);
  const callbackAt = input.callback ? await parseTime(input.callback, 'callback', { now, timeZone: opts.timeZone, dateOrder: await dateOrderOf(ctx.store, ctx.actor), forward: true }) : undefined;
  if (callbackAt && callbackAt <= now) throw new UsageError(`the call-back time ${callbackAt.toISOString()} is not in the future`, { id: 'call.callback' });
  const note = input.note?.trim() || null;
  return store.transaction(async () => {
    const lead = await getLead(ctx, call.leadId);
    const followUpId = callbackAt ? await scheduleCallBack(ctx, lead, callbackAt, input.note) : call.followUpId;
    await store.calls.wrapUp(call.id, { outcome, note: note ?? call.note, followUpId });
    const t = await store.calls.twilioOfCall(call.id);
    if (t) await store.calls.updateTwilio(t.sid, { wrappedAt: now.toISOString() }, now.toISOString());
    await rescore(ctx, lead.id);
    return { call: (await store.calls.get(call.id))!, followUpId: callbackAt ? followUpId : null };
  });
}

export interface CallFilter {
  lead?: number;
  user?: string;
  from?: string;
  to?: string;
  outcome?: string[];
  direction?: string;
  limit?: number;
}

export async function buildCallQuery(ctx: ServiceContext, f: CallFilter, opts: { timeZone: string }): Promise<CallQuery> {
  const q: CallQuery = { limit: f.limit };
  if (f.lead !== undefined) q.leadId = (await getLead(ctx, f.lead, { includeDeleted: false })).id;
  if (f.user) q.userId = (await findUser(ctx.store, f.user)).id;
  if (f.outcome?.length) q.outcomes = f.outcome.map(parseOutcome);
  if (f.direction) q.directions = [oneOf<CallDirection>(f.direction, CALL_DIRECTIONS, 'direction')];
  const day = async (raw: string, field: string) => {
    const d = await parseTime(raw, field, { now: ctx.now, timeZone: opts.timeZone, dateOrder: await dateOrderOf(ctx.store, ctx.actor) });
    // A bare date means that whole day.
    return /^\d{4}-\d{2}-\d{2}$/.test(raw.trim()) ? startOfLocalDay(d, opts.timeZone) : d;
  };
  if (f.from) q.from = (await day(f.from, 'from')).toISOString();
  if (f.to) {
    const t = await day(f.to, 'to');
    q.to = (/^\d{4}-\d{2}-\d{2}$/.test(f.to.trim()) ? startOfLocalDay(t, opts.timeZone, 1) : t).toISOString();
  }
  if (q.from && q.to && q.from >= q.to) throw new UsageError(say`${fieldRef('from')} ${f.from} is not before ${fieldRef('to')} ${f.to}`);
  if (!seesAllLeads(ctx.actor)) q.visibleTo = ctx.actor.id;
  return q;
}

export async function listCalls(ctx: ServiceContext, f: CallFilter, opts: { timeZone: string }): Promise<Call[]> {
  return ctx.store.calls.list(await buildCallQuery(ctx, f, opts));
}

export const CALL_WHERE_EXAMPLE = 'outcome=wrong-number and before=2026-11-01';

/** --where for calls: outcome, direction, lead, user (=), before / after (a time). */
export async function parseCallWhere(ctx: ServiceContext, text: string, opts: { timeZone: string }): Promise<CallQuery> {
  const f: CallFilter = {};
  for (const c of parseWhere(text, CALL_WHERE_EXAMPLE)) {
    if (c.op !== '=') throw new UsageError(`invalid condition '${c.field}${c.op}${c.value}': calls are matched with =`, { id: 'example', field: 'where', value: `'${CALL_WHERE_EXAMPLE}'` });
    switch (c.field) {
      case 'outcome':
        f.outcome = [...(f.outcome ?? []), c.value];
        break;
      case 'direction':
        f.direction = c.value;
        break;
      case 'lead':
        if (!/^\d+$/.test(c.value)) throw new UsageError(`invalid lead id '${c.value}'`);
        f.lead = Number(c.value);
        break;
      case 'user':
        f.user = c.value;
        break;
      case 'before':
        f.to = c.value;
        break;
      case 'after':
        f.from = c.value;
        break;
      default:
        throw new UsageError(say`unknown field '${c.field}' in ${fieldRef('where')}`, 'calls are matched on outcome, direction, lead, user, before, after');
    }
  }
  return buildCallQuery(ctx, f, opts);
}

/** Calls a delete would remove, checked for permission: reps delete only their own. */
export async function callsToDelete(ctx: ServiceContext, sel: { ids?: number[]; where?: string }, opts: { timeZone: string }): Promise<Call[]> {
  if (sel.ids?.length && sel.where) throw new UsageError(say`give call ids or ${fieldRef('where')}, not both`);
  if (!sel.ids?.length && !sel.where) throw new UsageError('which calls?', { id: 'call.which', example: CALL_WHERE_EXAMPLE });
  let calls: Call[];
  if (sel.ids?.length) {
    calls = [];
    for (const id of [...new Set(sel.ids)]) {
      const call = await ctx.store.calls.get(id);
      if (!call) throw new NotFoundError(`no call with id ${id}`, { id: 'call.list' });
      calls.push(call);
    }
  } else calls = await ctx.store.calls.list(await parseCallWhere(ctx, sel.where!, opts));
  if (!seesAllLeads(ctx.actor)) {
    const other = calls.find((c) => c.userId !== ctx.actor.id);
    if (other) throw new PermissionError(`call ${other.id} is not yours (${ctx.actor.email}); reps delete only their own calls`, 'ask a manager or admin');
  }
  return calls;
}

export async function deleteCalls(ctx: ServiceContext, calls: Call[]): Promise<number[]> {
  return ctx.store.transaction(() => ctx.store.calls.delete(calls.map((c) => c.id)));
}

/** K1: per user, calls today / yesterday / this month / all, days as the user's time zone sees them. */
export async function callSummary(ctx: ServiceContext, opts: { timeZone: string }): Promise<CallSummaryRow[]> {
  const { now } = ctx;
  const bounds = {
    todayStart: startOfLocalDay(now, opts.timeZone).toISOString(),
    tomorrowStart: startOfLocalDay(now, opts.timeZone, 1).toISOString(),
    yesterdayStart: startOfLocalDay(now, opts.timeZone, -1).toISOString(),
    monthStart: startOfLocalMonth(now, opts.timeZone).toISOString(),
  };
  return ctx.store.calls.summary(bounds, seesAllLeads(ctx.actor) ? undefined : ctx.actor.id);
}
