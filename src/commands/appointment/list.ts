import { printList } from '../../io/output.js';
import { parseId } from '../../services/leads/normalize.js';
import { listAppointments } from '../../services/appointments/service.js';
import { examples, outputFlags, pageFlags, pageOf, pageRows, type Register } from '../shared.js';
import { timeZoneOf, tzOption } from '../followup/options.js';
import { appointmentColumns, appointmentJson } from './render.js';

export const registerAppointmentList: Register = (parent, context) => {
  const cmd = tzOption(
    parent
      .command('list')
      .alias('ls')
      .description('list appointments from today on (or --today, --tomorrow, --this-month)').addHelpText('after', examples('crm appointment list --today --mine', 'crm appointment list --this-month --status confirmed', 'crm appointment list --lead 12'))
      .option('--today', 'today (in your time zone)')
      .option('--tomorrow', 'tomorrow')
      .option('--this-month', 'this calendar month')
      .option('--status <status>', 'scheduled | confirmed | completed | cancelled | no-show | all (comma-separated)')
      .option('--lead <id>', 'with this lead (all dates)')
      .option('--mine', 'where I take part'),
  );
  pageFlags(cmd, 200, 'appointments');
  outputFlags(cmd, { quiet: true, list: true }).action(async (opts: { today?: boolean; tomorrow?: boolean; thisMonth?: boolean; status?: string; lead?: string; mine?: boolean; limit?: string; all?: boolean; tz?: string; json?: boolean; quiet?: boolean }, c) => {
    const ctx = context(c);
    const tz = await timeZoneOf(ctx, opts.tz);
    const svc = await ctx.services();
    const page = pageOf(opts, ctx.io.isStdoutTTY, 200);
    const limit = page.limit === undefined ? undefined : page.limit + (page.paged ? 1 : 0);
    const shown = pageRows(await listAppointments(svc, { ...opts, lead: opts.lead ? parseId(opts.lead) : undefined, limit }, { timeZone: tz }), page);
    await printList(ctx.io, { ...opts, footer: shown.footer }, shown.rows, appointmentColumns(tz), appointmentJson, 'No appointments match.');
  });
};
