import { fieldRef } from '../../errors.js';
import { printJson } from '../../io/output.js';
import { generateRecurring } from '../../services/followups/service.js';
import { parseWindow } from '../../services/time/parse.js';
import { examples, outputFlags, type Register } from '../shared.js';

export const registerFollowUpRecur: Register = (parent, context) => {
  const cmd = parent
    .command('recur')
    .description('generate the coming occurrences of recurring follow-ups (the daemon runs this; safe to repeat)').addHelpText('after', examples('crm followup recur', 'crm followup recur --ahead 30d'))
    .option('--ahead <window>', 'generate occurrences starting within this window', '30d');
  outputFlags(cmd).action(async (opts: { ahead: string; json?: boolean }, c) => {
    const ctx = context(c);
    const aheadDays = parseWindow(opts.ahead, fieldRef('ahead')) / 86_400;
    const svc = await ctx.services();
    const r = await generateRecurring(svc, { aheadDays });
    if (opts.json) printJson(ctx.io, r);
    else ctx.io.out(`Generated ${r.created.length} follow-up(s) from ${r.series} recurring series`);
  });
};
