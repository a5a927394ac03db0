import { printJson } from '../../io/output.js';
import { parseId } from '../../services/leads/normalize.js';
import { dialLead } from '../../services/calls/twilio.js';
import { linkBase } from '../campaign/options.js';
import { examples, outputFlags, type Register } from '../shared.js';

export const registerCallDial: Register = (parent, context) => {
  const cmd = parent
    .command('dial')
    .description('call a lead through Twilio: your phone rings, then the lead; the call logs itself')
    .addHelpText('after', examples('crm call dial 12', 'crm call dial 12 --number "+91 98765 43210"'))
    .argument('<lead>', 'the lead (or customer) id')
    .option('--number <phone>', 'call this number (default: the lead’s first verified phone)');
  outputFlags(cmd).action(async (leadRaw: string, opts: { number?: string; json?: boolean }, c) => {
    const ctx = context(c);
    const r = await dialLead(await ctx.services(), { leadId: parseId(leadRaw), number: opts.number }, { env: ctx.env, callbackBase: await linkBase(ctx) });
    if (opts.json) return printJson(ctx.io, r);
    ctx.io.out(`Calling ${r.lead} (lead ${r.leadId}) at ${r.number}: Twilio rings ${r.rings} first${r.recording ? '; the call is recorded' : ''} (${r.sid})`);
    ctx.io.hint('When you hang up, add notes with crm call wrap-up');
  });
};
