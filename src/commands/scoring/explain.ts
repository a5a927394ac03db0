import { printJson } from '../../io/output.js';
import { parseId } from '../../services/leads/normalize.js';
import { explainLeadScore } from '../../services/scoring/service.js';
import { examples, outputFlags, type Register } from '../shared.js';
import { printExplanation } from './render.js';

export const registerScoringExplain: Register = (parent, context) => {
  const cmd = parent.command('explain').description('why a lead has its score: every rule, matched or not, and the total').addHelpText('after', examples('crm scoring explain 12', 'crm scoring explain 12 --json')).argument('<lead>', 'lead id');
  outputFlags(cmd).action(async (rawId: string, opts: { json?: boolean }, c) => {
    const ctx = context(c);
    const x = await explainLeadScore(await ctx.services(), parseId(rawId));
    if (opts.json) return printJson(ctx.io, x);
    await printExplanation(ctx.io, x);
  });
};
