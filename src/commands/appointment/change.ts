import type { Command } from 'commander';
import { printJson } from '../../io/output.js';
import { parseId } from '../../services/leads/normalize.js';
import { changeAppointment } from '../../services/appointments/service.js';
import { examples, outputFlags, type ContextFactory } from '../shared.js';
import { appointmentJson } from './render.js';

const VERBS = {
  confirm: { description: 'confirm an appointment (a demo can move the lead to demo.confirmed-stage)', done: 'Confirmed', note: undefined, examples: ['crm appointment confirm 3'] },
  complete: { description: 'mark an appointment completed (a demo can move the lead on)', done: 'Completed', note: '--outcome <text>', examples: ['crm appointment complete 3 --outcome "liked the reports; wants a quote"'] },
  cancel: { description: 'cancel an appointment', done: 'Cancelled', note: '--reason <text>', examples: ['crm appointment cancel 3 --reason "the client asked to reschedule"'] },
  'no-show': { description: 'mark that the lead did not show up', done: 'Marked no-show:', note: '--note <text>', examples: ['crm appointment no-show 3 --note "no answer on the phone either"'] },
} as const;

/** confirm | complete | cancel | no-show: one status change each, all on the timeline. */
export function registerAppointmentChanges(parent: Command, context: ContextFactory): void {
  for (const [verb, spec] of Object.entries(VERBS) as [keyof typeof VERBS, (typeof VERBS)[keyof typeof VERBS]][]) {
    const cmd = parent.command(verb).description(spec.description).addHelpText('after', examples(...spec.examples)).argument('<id>', 'appointment id');
    if (spec.note) cmd.option(spec.note, 'what happened');
    outputFlags(cmd).action(async (rawId: string, opts: { outcome?: string; reason?: string; note?: string; json?: boolean }, c) => {
      const ctx = context(c);
      const svc = await ctx.services();
      const r = await changeAppointment(svc, parseId(rawId, 'appointment'), verb, opts.outcome ?? opts.reason ?? opts.note);
      if (opts.json) printJson(ctx.io, { ...appointmentJson(r.appointment), movedTo: r.movedTo });
      else {
        ctx.io.out(`${spec.done} ${r.appointment.kind} ${r.appointment.id} with lead ${r.appointment.leadId} (${r.appointment.leadName})`);
        if (r.movedTo) ctx.io.out(`Moved lead ${r.appointment.leadId} to ${r.movedTo}`);
      }
    });
  }
}
