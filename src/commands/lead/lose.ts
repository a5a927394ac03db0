import { printJson } from '../../io/output.js';
import { parseId } from '../../services/leads/normalize.js';
import { loseLead } from '../../services/leads/service.js';
import { examples, outputFlags, type Register } from '../shared.js';
import { leadJson } from './render.js';

export const registerLeadLose: Register = (parent, context) => {
  const cmd = parent
    .command('lose')
    .description('mark a lead lost, with the reason').addHelpText('after', examples('crm lead lose 12 --reason "went with a competitor"'))
    .argument('<id>', 'lead id')
    .option('--reason <text>', 'why it was lost (required)')
    .option('--stage <stage>', 'which lost stage, when there are several');
  outputFlags(cmd).action(async (rawId: string, opts: { reason?: string; stage?: string; json?: boolean }, c) => {
    const ctx = context(c);
    const svc = await ctx.services();
    const reason = opts.reason ?? (await ctx.prompter.text('--reason', 'Why was it lost?'));
    const lead = await loseLead(svc, parseId(rawId), reason, opts.stage);
    if (opts.json) printJson(ctx.io, leadJson(lead));
    else ctx.io.out(`Lead ${lead.id} is lost (${lead.lostReason})`);
  });
};
