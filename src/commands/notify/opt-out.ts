import { UsageError } from '../../errors.js';
import { printJson } from '../../io/output.js';
import { setOptOut } from '../../services/notify/service.js';
import { collect, examples, outputFlags, type Register } from '../shared.js';

/** `notify opt-out` and `notify opt-in`: the same flags, one switch. */
function optOutVerb(out: boolean): Register {
  return (parent, context) => {
    const cmd = parent
      .command(out ? 'opt-out' : 'opt-in')
      .description(out ? 'stop notifications on channels for you, a user (admins) or a lead contact' : 'undo an opt-out')
      .addHelpText(
        'after',
        out
          ? examples('crm notify opt-out --channel sms,whatsapp', 'crm notify opt-out --channel email,call --lead 12', 'crm notify opt-out --channel inbox --user ravi@acme.example')
          : examples('crm notify opt-in --channel sms', 'crm notify opt-in --channel email --lead 12'),
      )
      .requiredOption('--channel <list>', 'email, sms, whatsapp, inbox, webhook, call (call: do not call the lead; comma-separated)', collect)
      .option('--user <email>', 'this user (default: you)')
      .option('--lead <id>', "this lead's contact");
    outputFlags(cmd).action(async (opts: { channel: string[]; user?: string; lead?: string; json?: boolean }, c) => {
      const ctx = context(c);
      const lead = opts.lead !== undefined ? Number(opts.lead) : undefined;
      if (lead !== undefined && !Number.isInteger(lead)) throw new UsageError(`invalid --lead '${opts.lead}'`, 'a lead id');
      const r = await setOptOut(await ctx.services(), { user: opts.user, lead }, opts.channel, out);
      if (opts.json) return printJson(ctx.io, r);
      ctx.io.out(`${r.kind} ${r.name}: opted out of ${r.optedOut.join(', ') || 'nothing'}`);
    });
  };
}

export const registerNotifyOptOut = optOutVerb(true);
export const registerNotifyOptIn = optOutVerb(false);
