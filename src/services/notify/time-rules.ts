import { toText } from '../../io/table-formats.js';
import type { User } from '../../domain/users.js';
import type { Store } from '../../store/types.js';
import { ymd } from '../reports/period.js';
import { runReport } from '../reports/reports.js';
import { startOfLocalDay } from '../time/parse.js';
import { effectiveSetting, teamTimeZone } from '../settings/service.js';
import { enqueueForEvent } from './enqueue.js';
import { findRule, ruleConfig } from './rules.js';

/** How far back the not-attempted rule looks (older untouched leads were either announced or predate the rule). */
const LOOKBACK_MS = 7 * 24 * 3600_000;

/**
 * The time-based lead rule (N4): a lead with no activity other than 'created' N minutes after it
 * was created is announced to its rep, once (a rule mark, written with the outbox rows in one
 * transaction). Run every minute by the daemon; `now` is injected, so tests walk a day through it.
 */
export async function runNotAttempted(store: Store, now: Date, env: Record<string, string | undefined> = {}): Promise<number> {
  const settings = await store.settings.all();
  const rule = findRule('not-attempted');
  if (!ruleConfig(rule, settings).on) return 0;
  const minutes = Number(effectiveSetting(settings, env, 'notify.not-attempted-minutes'));
  const before = new Date(now.getTime() - minutes * 60_000);
  const after = new Date(before.getTime() - LOOKBACK_MS);
  let total = 0;
  for (;;) {
    const ids = await store.ruleMarks.notAttempted(rule.id, after.toISOString(), before.toISOString(), 100);
    if (ids.length === 0) break;
    for (const id of ids) {
      await store.transaction(async () => {
        if (!(await store.ruleMarks.mark(rule.id, id, now.toISOString()))) return;
        await enqueueForEvent(store, { type: 'lead.not-attempted', leadId: id, at: now.toISOString(), key: `lead${id}/not-attempted`, vars: { minutes: String(minutes) } });
        total++;
      });
    }
    if (ids.length < 100) break;
  }
  return total;
}

const BATCH = 100;
/** A reminder found this long after its follow-up started is marked handled without a message. */
const STALE_REMINDER_MS = 3600_000;

/**
 * Follow-up reminders (N4): each unsent reminder row whose time has come becomes messages to the
 * follow-up's assignees on the reminder's own channel, and is marked sent in the same transaction
 * (the key names the reminder row, so a crash between the two cannot send it twice). A reminder
 * of a rule switched off, on a channel the rule excludes, or found more than an hour after its
 * follow-up started, is marked handled with nothing sent.
 */
export async function runFollowUpReminders(store: Store, now: Date): Promise<number> {
  const at = now.toISOString();
  let total = 0;
  for (;;) {
    const due = await store.reminders.due(at, BATCH);
    for (const r of due) {
      await store.transaction(async () => {
        if (!(await store.reminders.markSent(r.id, at))) return;
        // Long after the follow-up began (a daemon down for days, or just upgraded): a reminder would only be noise.
        if (now.getTime() - new Date(r.startAt).getTime() > STALE_REMINDER_MS) return;
        total += await enqueueForEvent(store, {
          type: 'followup.reminder', leadId: r.leadId, at, key: `reminder${r.id}`, reps: r.assigneeIds.length ? r.assigneeIds : undefined, channels: [r.channel],
          vars: { at: r.startAt, title: r.title, minutes: String(r.minutesBefore) },
        });
      });
    }
    if (due.length < BATCH) return total;
  }
}

/** How far back the missed rule looks: follow-ups that started earlier were missed before the daemon (or this rule) ran. */
const MISSED_LOOKBACK_MS = 2 * 24 * 3600_000;

/** Missed follow-ups (N4): past their end and still scheduled or open → assignees and their managers, once per follow-up. */
export async function runMissedFollowUps(store: Store, now: Date): Promise<number> {
  const rule = findRule('missed-followup');
  if (!ruleConfig(rule, await store.settings.all()).on) return 0;
  const at = now.toISOString();
  const missed = await store.followUps.list({ statuses: ['scheduled', 'open'], startFrom: new Date(now.getTime() - MISSED_LOOKBACK_MS).toISOString(), endBefore: at });
  let total = 0;
  for (const f of missed) {
    const ref = `followup${f.id}`;
    if (await store.ruleMarks.isMarked(rule.id, ref)) continue;
    await store.transaction(async () => {
      if (!(await store.ruleMarks.markRef(rule.id, ref, at))) return;
      await enqueueForEvent(store, {
        type: 'followup.missed', leadId: f.leadId, at, key: `${ref}/missed`, reps: f.assigneeIds.length ? f.assigneeIds : undefined,
        vars: { at: f.startAt, title: f.title },
      });
      total++;
    });
  }
  return total;
}

/** 1 h before a demo (N4): a scheduled or confirmed demo starting within the hour → client, managers, rep; once per demo. */
export async function runDemoSoon(store: Store, now: Date): Promise<number> {
  const rule = findRule('demo-soon');
  if (!ruleConfig(rule, await store.settings.all()).on) return 0;
  const at = now.toISOString();
  const soon = await store.appointments.list({ statuses: ['scheduled', 'confirmed'], startFrom: at, startBefore: new Date(now.getTime() + 3600_000 + 1).toISOString() });
  let total = 0;
  for (const a of soon.filter((x) => x.kind === 'demo')) {
    const ref = `appointment${a.id}`;
    if (await store.ruleMarks.isMarked(rule.id, ref)) continue;
    await store.transaction(async () => {
      if (!(await store.ruleMarks.markRef(rule.id, ref, at))) return;
      await enqueueForEvent(store, { type: 'demo.soon', leadId: a.leadId, at, key: `${ref}/soon`, vars: { at: a.startAt, kind: a.kind, location: a.location ?? '' } });
      total++;
    });
  }
  return total;
}

/** The morning message (N4): each appointment of the day (in notify.timezone) not yet started → client and rep. */
export async function runAppointmentsToday(store: Store, now: Date, env: Record<string, string | undefined> = {}): Promise<number> {
  const settings = await store.settings.all();
  if (!ruleConfig(findRule('appointments-today'), settings).on) return 0;
  const tz = teamTimeZone(settings, env);
  const day = ymd(now, tz);
  const rows = await store.appointments.list({ statuses: ['scheduled', 'confirmed'], startFrom: now.toISOString(), startBefore: startOfLocalDay(now, tz, 1).toISOString() });
  let total = 0;
  for (const a of rows) {
    await store.transaction(async () => {
      const n = await enqueueForEvent(store, { type: 'appointment.today', leadId: a.leadId, at: now.toISOString(), key: `appointment${a.id}/day-${day}`, vars: { at: a.startAt, kind: a.kind, location: a.location ?? '' } });
      if (n) total++;
    });
  }
  return total;
}

/** Anyone who sees the whole team: the daily report is the team's, whoever reads it. */
const TEAM_VIEW: User = { id: 0, name: 'crm daemon', email: 'daemon@crm', role: 'admin', managerId: null, active: true, createdAt: new Date(0).toISOString() };

/**
 * The evening report (N4): today's completed demos, tomorrow's confirmed demos and the day's
 * leads by user, source and status, from the report service, as one text → managers. Once a day
 * (the key names the local day).
 */
export async function runDailyReport(store: Store, now: Date, env: Record<string, string | undefined> = {}): Promise<number> {
  const settings = await store.settings.all();
  if (!ruleConfig(findRule('daily-report'), settings).on) return 0;
  const tz = teamTimeZone(settings, env);
  const ctx = { store, actor: TEAM_VIEW, now };
  const parts = [
    await runReport(ctx, 'demos', { completed: 'today' }, tz),
    await runReport(ctx, 'demos', { confirmed: 'tomorrow' }, tz),
    await runReport(ctx, 'leads', { by: 'user', day: 'today' }, tz),
    await runReport(ctx, 'leads', { by: 'source', day: 'today' }, tz),
    await runReport(ctx, 'leads', { by: 'status', day: 'today' }, tz),
  ];
  const text = parts.map((r) => toText(r)).join('\n\n');
  return store.transaction(() => enqueueForEvent(store, { type: 'report.daily', leadId: null, at: now.toISOString(), key: `daily-report/${ymd(now, tz)}`, vars: { report: text } }));
}
