import { printList } from '../../io/output.js';
import { parseId, parseCount } from '../../services/leads/normalize.js';
import { listAppointments } from '../../services/appointments/service.js';
import { outputFlags, type Register } from '../shared.js';
import { timeZoneOf, tzOption } from '../followup/options.js';
import { appointmentColumns, appointmentJson } from './render.js';

export const registerAppointmentList: Register = (parent, context) => {
  const cmd = tzOption(
    parent
      .command('list')
      .alias('ls')
      .description('list appointments from today on (or --today, --tomorrow, --this-month)')
      .option('--today', 'today (in your time zone)')
      .option('--tomorrow', 'tomorrow')
      .option('--this-month', 'this calendar month')
      .option('--status <status>', 'scheduled | confirmed | completed | cancelled | no-show | all (comma-separated)')
      .option('--lead <id>', 'with this lead (all dates)')
      .option('--mine', 'where I take part')
      .option('--limit <n>', 'at most n rows', '200'),
  );
  outputFlags(cmd, { quiet: true }).action(async (opts: { today?: boolean; tomorrow?: boolean; thisMonth?: boolean; status?: string; lead?: string; mine?: boolean; limit: string; tz?: string; json?: boolean; quiet?: boolean }, c) => {
    const ctx = context(c);
    const tz = timeZoneOf(ctx, opts.tz);
    const svc = await ctx.services();
    const limit = parseCount(opts.limit, '--limit', 1);
    const rows = await listAppointments(svc, { ...opts, lead: opts.lead ? parseId(opts.lead) : undefined, limit }, { timeZone: tz });
    await printList(ctx.io, opts, rows, appointmentColumns(tz), appointmentJson, 'No appointments match.');
  });
};
