import type { Command } from 'commander';
import { printJson, printList } from '../../io/output.js';
import { addSchedule, listSchedules, removeSchedule, runScheduleNow, type ScheduleView } from '../../services/reports/schedules.js';
import type { ReportSchedule } from '../../domain/reports.js';
import { collect, confirmed, examples, outputFlags, type ContextFactory } from '../shared.js';

export function scheduleJson(s: ReportSchedule & { createdByEmail?: string | null; nextRunAt?: string | null }) {
  return {
    name: s.name, report: s.report, options: s.options, cron: s.cron, timeZone: s.timeZone, to: s.recipients, format: s.format,
    createdBy: s.createdByEmail ?? null, createdAt: s.createdAt, lastSlotAt: s.lastSlotAt, lastRunAt: s.lastRunAt, lastError: s.lastError,
    ...(s.nextRunAt !== undefined ? { nextRunAt: s.nextRunAt } : {}),
  };
}

const describe = (s: ReportSchedule) => `${s.report}${Object.entries(s.options).map(([k, v]) => (v === true ? ` --${k}` : ` --${k === 'to' ? 'until' : k} ${v}`)).join('')}`;

/** crm report schedule add|list|remove|run-now: stored report definitions the daemon runs and emails (R2). */
export function registerSchedule(report: Command, context: ContextFactory): void {
  const schedule = report.command('schedule').description('reports the daemon runs on a cron schedule and emails (admins, managers)').addHelpText('after', examples('crm report schedule add leads-daily --report leads --by source --day today --cron "0 19 * * *" --to managers', 'crm report schedule list'));
  outputFlags(
    schedule.command('add').description('store a scheduled report').addHelpText('after', examples('crm report schedule add leads-daily --report leads --by source --day today --cron "0 19 * * *" --to managers', 'crm report schedule add pipeline-weekly --report pipeline --cron "0 8 * * 1" --to admins,ana@acme.example --format csv')).argument('<name>', 'its name, e.g. leads-daily')
      .option('--report <report>', 'leads | followups | conversions | performance | pipeline | demos')
      .option('--by <grouping>', "the report's grouping (leads: user|source|status; followups: user|contact)")
      .option('--day <day>', 'one day (today, yesterday, YYYY-MM-DD), evaluated at each run')
      .option('--from <day>', 'first day')
      .option('--until <day>', "last day (the report's --to; --to names the recipients here)")
      .option('--user <email>', 'only this user')
      .option('--category <name>', 'followups: only this category')
      .option('--details', 'conversions: one row per conversion')
      .option('--completed <day>', 'demos completed on this day (today, …)')
      .option('--confirmed <day>', 'demos confirmed for this day (tomorrow, …)')
      .option('--cron <expr>', 'when, five fields: "0 19 * * *" is 19:00 every day')
      .option('--tz <zone>', 'time zone of the cron and of the report days (default CRM_TZ / config, else notify.timezone, else the system)')
      .option('--to <recipients>', 'managers, admins or email addresses (comma-separated, repeatable)', collect)
      .option('--format <format>', 'attachment: csv | json | table', 'csv'),
  ).action(async (name: string, opts: Record<string, string | boolean | string[] | undefined> & { json?: boolean }, c) => {
    const ctx = context(c);
    const svc = await ctx.services();
    const str = (k: string) => (typeof opts[k] === 'string' ? (opts[k] as string) : undefined);
    const s = await addSchedule(svc, {
      name, report: str('report'), cron: str('cron'), tz: str('tz') ?? ctx.timeZone, to: opts.to as string[] | undefined, format: str('format'),
      options: { by: str('by'), day: str('day'), from: str('from'), to: str('until'), user: str('user'), category: str('category'), details: opts.details === true ? true : undefined, completed: str('completed'), confirmed: str('confirmed') },
    }, ctx.env);
    if (opts.json) return printJson(ctx.io, scheduleJson({ ...s, createdByEmail: svc.actor.email }));
    ctx.io.out(`Scheduled report ${s.name}: ${describe(s)}, cron "${s.cron}"${s.timeZone ? ` (${s.timeZone})` : ''}, to ${s.recipients.join(', ')} as ${s.format}`);
    ctx.io.hint('The daemon runs it (crm daemon start); try it now with crm report schedule run-now ' + s.name);
  });
  outputFlags(schedule.command('list').alias('ls').description('scheduled reports, with their next and last run').addHelpText('after', examples('crm report schedule list', 'crm report schedule list --json'))).action(async (opts: { json?: boolean }, c) => {
    const ctx = context(c);
    const rows = await listSchedules(await ctx.services(), ctx.env);
    await printList(ctx.io, opts, rows, [
      { header: 'NAME', cell: (s: ScheduleView) => s.name },
      { header: 'REPORT', cell: (s) => describe(s) },
      { header: 'CRON', cell: (s) => `${s.cron}${s.timeZone ? ` ${s.timeZone}` : ''}` },
      { header: 'TO', cell: (s) => s.recipients.join(',') },
      { header: 'FORMAT', cell: (s) => s.format },
      { header: 'NEXT RUN', cell: (s) => s.nextRunAt },
      { header: 'LAST RUN', cell: (s) => s.lastRunAt },
      { header: 'ERROR', cell: (s) => s.lastError },
    ], scheduleJson, 'No scheduled reports.');
  });
  outputFlags(schedule.command('remove').alias('rm').description('delete a scheduled report').addHelpText('after', examples('crm report schedule remove leads-daily')).argument('<name>')).action(async (name: string, opts: { json?: boolean }, c) => {
    const ctx = context(c);
    if (!(await confirmed(ctx, `Remove scheduled report ${name}?`))) return;
    const s = await removeSchedule(await ctx.services(), name);
    if (opts.json) return printJson(ctx.io, { ...scheduleJson(s), removed: true });
    ctx.io.out(`Removed scheduled report ${s.name}`);
  });
  outputFlags(schedule.command('run-now').description('run a scheduled report now: its emails are queued for the daemon').addHelpText('after', examples('crm report schedule run-now leads-daily')).argument('<name>')).action(async (name: string, opts: { json?: boolean }, c) => {
    const ctx = context(c);
    const r = await runScheduleNow(await ctx.services(), name, ctx.env);
    const { runningDaemon } = await import('../../daemon/files.js');
    const daemon = runningDaemon(ctx.files().daemon().pid);
    if (opts.json) return printJson(ctx.io, { name: r.schedule.name, queued: r.queued, to: r.addresses, emailConfigured: r.emailConfigured, daemonRunning: Boolean(daemon) });
    ctx.io.out(`Queued ${r.queued} email(s) of ${r.schedule.name}${r.addresses.length ? ` to ${r.addresses.join(', ')}` : ' (nobody to send to)'}`);
    if (!r.emailConfigured) ctx.io.out('Email is not configured (crm config set smtp.host …): they will fail until it is.');
    ctx.io.out(daemon ? `The daemon (pid ${daemon.pid}) delivers them within seconds.` : 'The daemon is not running: they wait in the outbox until it starts (crm daemon start).');
  });
}
