import type { Store } from '../store/types.js';
import { maskUrlCredentials } from '../io/mask.js';
import type { Log } from '../services/outbox/deliver.js';
import { runAppointmentsToday, runDailyReport, runDemoSoon, runFollowUpReminders, runMissedFollowUps, runNotAttempted } from '../services/notify/time-rules.js';
import { runDueSchedules } from '../services/reports/schedules.js';
import { effectiveSetting } from '../services/settings/service.js';
import { importMarketplace, marketplaceDue } from '../services/intake/marketplace.js';
import { runProposalExpiry } from '../services/proposals/service.js';
import { runRulesAsDaemon } from '../services/followups/rules.js';
import { mailboxDue, pollMailbox } from '../services/intake/mailbox.js';
import { rescoreMany } from '../services/scoring/service.js';
import { runTicketSlaBreaches } from '../services/tickets/service.js';

/**
 * How often the daemon polls an empty outbox when the store wakes it as messages are queued
 * (Store.watchOutbox: PostgreSQL's NOTIFY): the poll only catches what no commit announces,
 * retries and leases whose time comes (the minute tick drains too). Without it: every second.
 */
export const SAFETY_POLL_MS = 30_000;

export interface JobContext {
  store: Store;
  env: Record<string, string | undefined>;
  now: Date;
  log: Log;
}

/**
 * A scheduled job of the daemon. 'minute' jobs run every minute; 'daily' jobs at the time of
 * their setting (HH:MM) in notify.timezone.
 */
export interface JobDef {
  name: string;
  description: string;
  every: 'minute' | 'daily';
  /** For daily jobs: the setting holding its time of day. */
  timeSetting?: string;
  run(ctx: JobContext): Promise<string>;
}

export const JOBS: JobDef[] = [
  {
    name: 'rules.not-attempted', description: 'announce leads untouched N minutes after creation', every: 'minute',
    async run({ store, now, env }) {
      return `${await runNotAttempted(store, now, env)} lead(s) announced`;
    },
  },
  {
    name: 'rules.followup-reminders', description: "turn follow-up reminders whose notify-before time has come into messages", every: 'minute',
    async run({ store, now }) {
      return `${await runFollowUpReminders(store, now)} reminder message(s) queued`;
    },
  },
  {
    name: 'rules.missed-followups', description: 'announce follow-ups past their end and still scheduled or open', every: 'minute',
    async run({ store, now }) {
      return `${await runMissedFollowUps(store, now)} missed follow-up(s) announced`;
    },
  },
  {
    name: 'rules.ticket-sla', description: 'announce tickets that missed a first-response or resolution target', every: 'minute',
    async run({ store, now }) {
      return `${await runTicketSlaBreaches(store, now)} ticket SLA breach(es) announced`;
    },
  },
  {
    name: 'rules.demo-soon', description: 'announce demos starting within the hour', every: 'minute',
    async run({ store, now }) {
      return `${await runDemoSoon(store, now)} demo(s) announced`;
    },
  },
  {
    name: 'rules.appointments-today', description: "message clients and reps about the day's appointments", every: 'daily', timeSetting: 'daemon.time.appointments',
    async run({ store, now, env }) {
      return `${await runAppointmentsToday(store, now, env)} appointment(s) announced`;
    },
  },
  {
    name: 'reports.daily', description: "the evening report to managers: demos, the day's leads by user, source and status", every: 'daily', timeSetting: 'daemon.time.daily-report',
    async run({ store, now, env }) {
      return `${await runDailyReport(store, now, env)} report message(s) queued`;
    },
  },
  {
    name: 'reports.scheduled', description: 'run and email the scheduled reports that are due (crm report schedule)', every: 'minute',
    async run({ store, now, env }) {
      const ran = await runDueSchedules(store, now, env);
      return `${ran.length} scheduled report(s) run${ran.length ? `: ${ran.join(', ')}` : ''}`;
    },
  },
  {
    // Looks every minute; imports when `crm marketplace set --every` has passed since the last run (a failed run is retried then).
    name: 'marketplace.import', description: 'import ExportersIndia inquiries as leads, every --every of crm marketplace set', every: 'minute',
    async run({ store, now, env }) {
      if (!(await marketplaceDue(store, now))) return 'not due';
      const r = await importMarketplace(store, now, { env });
      return `${r.fetched} inquiry(ies): ${r.created} new, ${r.reengaged} re-engaged, ${r.existing} existing, ${r.seen} already imported, ${r.rejected} rejected`;
    },
  },
  {
    name: 'proposals.expire', description: 'expire sent proposals past their valid-until day; remind their reps proposal.remind-days before', every: 'minute',
    async run({ store, now }) {
      const r = await runProposalExpiry(store, now);
      return `${r.expired + r.reminded} proposal change(s): ${r.expired} expired, ${r.reminded} expiry reminder(s) queued`;
    },
  },
  {
    // Looks every minute; polls when `crm mailbox set --every` has passed since the last poll (a failed poll is retried then).
    name: 'mailbox.poll', description: 'turn new inquiry emails in the IMAP mailbox into leads, every --every of crm mailbox set', every: 'minute',
    async run({ store, now, env }) {
      if (!(await mailboxDue(store, now))) return 'not due';
      const r = await pollMailbox(store, now, { env });
      return `${r.fetched} message(s): ${r.created} new, ${r.existing} to known contacts, ${r.reengaged} re-engaged, ${r.skipped} skipped, ${r.rejected} rejected, ${r.seen} already handled`;
    },
  },
  {
    // Scores with activity conditions (calls>=2 in 14 days) change as days pass, with no event to recompute them.
    name: 'scoring.recompute', description: 'recompute lead scores whose rules count recent activity', every: 'daily', timeSetting: 'daemon.time.scoring',
    async run({ store, now }) {
      if (!(await store.scoring.rules()).some((r) => /\b(calls|notes)\s*[<>=!]/i.test(r.conditions))) return 'no rule counts activity';
      const r = await rescoreMany({ store, now }, await store.scoring.liveLeadIds());
      return `${r.leads} lead(s) rescored, ${r.changed} changed`;
    },
  },
  {
    // Rules are over days (no-activity>14d, invoice-overdue>14d): once a day is enough; crm followup rule run any time.
    name: 'followups.rules', description: 'run the follow-up rules: one follow-up per matching lead (per overdue invoice for invoice-overdue)', every: 'daily', timeSetting: 'daemon.time.followup-rules',
    async run({ store, now }) {
      const results = await runRulesAsDaemon(store, now);
      const made = results.reduce((n, r) => n + r.created.length, 0);
      return `${results.length} rule(s) run, ${made} follow-up(s) created`;
    },
  },
  {
    name: 'outbox.prune', description: 'delete sent notifications older than outbox.keep-days', every: 'daily', timeSetting: 'daemon.time.outbox-prune',
    async run({ store, now, env }) {
      const days = Number(effectiveSetting(await store.settings.all(), env, 'outbox.keep-days'));
      const n = await store.transaction(() => store.outbox.prune(new Date(now.getTime() - days * 86400_000).toISOString()));
      return `${n} sent notification(s) deleted`;
    },
  },
];

/** Offset of a time zone from UTC at an instant, in ms (local = utc + offset). */
function tzOffsetMs(at: Date, timeZone: string | undefined): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: timeZone || undefined, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(at);
  const n = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  const asUtc = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

/** The instant of HH:MM on the local day `dayOffset` days from `now`'s, in a time zone. */
function localTime(now: Date, hhmm: string, timeZone: string | undefined, dayOffset: number): Date {
  const local = new Date(now.getTime() + tzOffsetMs(now, timeZone));
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  const guess = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + dayOffset, h, m);
  return new Date(guess - tzOffsetMs(new Date(guess), timeZone));
}

/** The most recent time the job was due at or before now. */
export function lastSlot(job: JobDef, now: Date, settings: Record<string, string>, env: Record<string, string | undefined>): Date {
  if (job.every === 'minute') return new Date(Math.floor(now.getTime() / 60_000) * 60_000);
  const hhmm = effectiveSetting(settings, env, job.timeSetting!);
  const tz = effectiveSetting(settings, env, 'notify.timezone');
  const today = localTime(now, hhmm, tz, 0);
  return today.getTime() <= now.getTime() ? today : localTime(now, hhmm, tz, -1);
}

export function nextRun(job: JobDef, now: Date, settings: Record<string, string>, env: Record<string, string | undefined>): Date {
  if (job.every === 'minute') return new Date(Math.floor(now.getTime() / 60_000) * 60_000 + 60_000);
  const hhmm = effectiveSetting(settings, env, job.timeSetting!);
  const tz = effectiveSetting(settings, env, 'notify.timezone');
  const today = localTime(now, hhmm, tz, 0);
  return today.getTime() > now.getTime() ? today : localTime(now, hhmm, tz, 1);
}

/** node-cron expression of a job (minute, hour from its setting). */
export function cronExpression(job: JobDef, settings: Record<string, string>, env: Record<string, string | undefined>): string {
  if (job.every === 'minute') return '* * * * *';
  const [h, m] = effectiveSetting(settings, env, job.timeSetting!).split(':').map(Number);
  return `${m} ${h} * * *`;
}

/**
 * Runs every job whose latest slot came after its last stored run: called each minute, at
 * start-up and after the machine wakes, so a slot slept through runs once, late. A daily job that
 * has never run starts at its next slot (a first start at 20:00 does not send that day's 19:00 job).
 */
export async function runDueJobs(ctx: Omit<JobContext, 'now'> & { now: Date }, only?: string[]): Promise<string[]> {
  const ran: string[] = [];
  const settings = await ctx.store.settings.all();
  for (const job of JOBS) {
    if (only && !only.includes(job.name)) continue;
    const last = await ctx.store.jobs.get(job.name);
    const slot = lastSlot(job, ctx.now, settings, ctx.env);
    if (job.every === 'daily' && !last) {
      // Never ran: record a baseline so the next slot (not a past one) is the first.
      if (!last) await ctx.store.jobs.record(job.name, ctx.now.toISOString(), 'baseline', null);
      continue;
    }
    if (last?.lastRunAt && new Date(last.lastRunAt).getTime() >= slot.getTime()) continue;
    await runJob(job, ctx);
    ran.push(job.name);
  }
  return ran;
}

export async function runJob(job: JobDef, ctx: JobContext): Promise<void> {
  try {
    const result = await job.run(ctx);
    await ctx.store.jobs.record(job.name, ctx.now.toISOString(), 'ok', null);
    if (job.every === 'daily' || !/^0 /.test(result)) ctx.log('info', `job ${job.name}: ${result}`);
  } catch (err) {
    const message = maskUrlCredentials((err as Error).message ?? String(err));
    await ctx.store.jobs.record(job.name, ctx.now.toISOString(), 'error', message);
    ctx.log('error', `job ${job.name} failed: ${message}`);
  }
}
