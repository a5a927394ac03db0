import { printJson } from '../../io/output.js';
import { removeScoringRule } from '../../services/scoring/service.js';
import { confirmed, examples, outputFlags, type Register } from '../shared.js';
import { ruleJson } from './render.js';

export const registerScoringRemove: Register = (parent, context) => {
  const cmd = parent.command('remove').alias('rm').description('remove a rule').addHelpText('after', examples('crm scoring remove has-phone')).argument('<name>');
  outputFlags(cmd).action(async (name: string, opts: { json?: boolean }, c) => {
    const ctx = context(c);
    if (!(await confirmed(ctx, `Remove scoring rule ${name}? Leads keep their scores until recomputed`))) return;
    const r = await removeScoringRule(await ctx.services(), name);
    if (opts.json) return printJson(ctx.io, ruleJson(r));
    ctx.io.out(`Removed scoring rule ${r.name}`);
    ctx.io.hint('Apply it to existing leads: crm scoring recompute --all');
  });
};
