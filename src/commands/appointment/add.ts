import { printJson } from '../../io/output.js';
import { formatTimestamp } from '../../io/format.js';
import { parseId } from '../../services/leads/normalize.js';
import { addAppointment } from '../../services/appointments/service.js';
import { collect, examples, outputFlags, type Register } from '../shared.js';
import { timeZoneOf, tzOption } from '../followup/options.js';
import { appointmentJson } from './render.js';

export const registerAppointmentAdd: Register = (parent, context) => {
  const cmd = tzOption(
    parent
      .command('add')
      .description('book an appointment or demo with a lead').addHelpText('after', examples('crm appointment add --lead 12 --kind demo --at "tomorrow 3pm" --duration 45m --location Zoom', 'crm appointment add --lead 12 --kind meeting --at "2026-11-25 15:00" --with ravi@acme.example --past'))
      .option('--lead <id>', 'the lead (or customer) id')
      .option('--kind <kind>', 'demo | meeting', 'meeting')
      .option('--at <time>', 'when: "2026-11-25 15:00", "tomorrow 3pm", "next monday 10:00"')
      .option('--duration <d>', 'how long: 45m, 1h (default 30m)')
      .option('--location <place>', 'where, e.g. Zoom or an address')
      .option('--with <email>', 'participants (repeatable or comma-separated; default you)', collect)
      .option('--past', 'allow a time in the past (recording one that happened)'),
  );
  outputFlags(cmd, { quiet: true }).action(async (opts: { lead?: string; kind?: string; at?: string; duration?: string; location?: string; with?: string[]; past?: boolean; tz?: string; json?: boolean; quiet?: boolean }, c) => {
    const ctx = context(c);
    const tz = await timeZoneOf(ctx, opts.tz);
    const leadRaw = opts.lead ?? (await ctx.prompter.text('--lead', 'Lead id'));
    const when = opts.at ?? (await ctx.prompter.text('--at', 'When'));
    const svc = await ctx.services();
    const a = await addAppointment(svc, { ...opts, leadId: parseId(leadRaw), at: when }, { timeZone: tz });
    if (opts.json) printJson(ctx.io, appointmentJson(a));
    else if (opts.quiet) ctx.io.out(String(a.id));
    else ctx.io.out(`Booked ${a.kind} ${a.id} with lead ${a.leadId} (${a.leadName}) at ${formatTimestamp(a.startAt, tz)} ${tz} for ${a.durationMinutes} min`);
  });
};
