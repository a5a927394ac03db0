import type { Command } from 'commander';
import { resolveTimeZone } from '../../services/time/parse.js';
import { runReport, type ReportOptions } from '../../services/reports/reports.js';
import { parseFormat, writeTabular } from '../../io/table-formats.js';
import { outputFlags, type ContextFactory, type Register } from '../shared.js';
import { registerSchedule } from './schedule.js';

/** Each report: its flags. The work is one service call; formats are shared. */
const REPORT_DEFS: { name: string; description: string; options: [string, string][] }[] = [
  { name: 'followups', description: 'follow-ups per user or per contact, by status', options: [['--by <user|contact>', 'group by'], ['--from <day>', 'first day (YYYY-MM-DD, today, yesterday)'], ['--to <day>', 'last day'], ['--category <name>', 'only this category'], ['--user <email>', 'only this user']] },
  { name: 'conversions', description: 'lead → customer conversions by the user who converted', options: [['--user <email>', 'only this user'], ['--details', 'one row per conversion'], ['--from <day>', 'first day'], ['--to <day>', 'last day']] },
  { name: 'leads', description: 'leads created per user, source or status (stage), for a day or a range', options: [['--by <user|source|status>', 'group by'], ['--day <day>', 'one day (default today)'], ['--from <day>', 'first day'], ['--to <day>', 'last day'], ['--user <email>', 'only leads assigned to this user']] },
  { name: 'performance', description: 'per hour: calls, emails, meetings, deals won, revenue', options: [['--hourly', 'per hour (the only grouping)'], ['--day <day>', 'the day (default today)'], ['--user <email>', 'only this user']] },
  { name: 'pipeline', description: 'value, weighted forecast and win rate by stage; average deal size; sales cycle length', options: [['--user <email>', 'only leads assigned to this user']] },
  { name: 'demos', description: 'demos completed on a day, or confirmed for a day', options: [['--completed <day>', 'completed on this day (today, yesterday, YYYY-MM-DD)'], ['--confirmed <day>', 'confirmed for this day (tomorrow, …)'], ['--user <email>', 'only leads assigned to this user']] },
];

function registerReport(parent: Command, context: ContextFactory, def: (typeof REPORT_DEFS)[number]): void {
  const cmd = parent.command(def.name).description(def.description);
  for (const [flags, help] of def.options) cmd.option(flags, help);
  cmd.option('--format <format>', 'table | json | csv | chart', 'table').option('-o, --output <file>', 'write to a file instead of stdout').option('--tz <zone>', 'time zone for days and hours');
  outputFlags(cmd).action(async (opts: ReportOptions & { format?: string; output?: string; tz?: string; json?: boolean }, c) => {
    const ctx = context(c);
    const format = parseFormat(opts.format, opts.json);
    const svc = await ctx.services();
    const report = await runReport(svc, def.name, opts, resolveTimeZone(opts.tz, ctx.timeZone));
    const { columns: _c, chart: _h, ...json } = report;
    await writeTabular(ctx.io, report, format, json, opts.output);
  });
}

export const registerReports: Register = (program, context) => {
  const report = program.command('report').description('reports: followups, conversions, leads, performance, pipeline, demos; scheduled reports');
  for (const def of REPORT_DEFS) registerReport(report, context, def);
  registerSchedule(report, context);
};
