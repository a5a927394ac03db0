import { UsageError } from '../../errors.js';
import { printJson } from '../../io/output.js';
import { parseId } from '../../services/leads/normalize.js';
import { recomputeScores } from '../../services/scoring/service.js';
import { examples, outputFlags, type Register } from '../shared.js';

export const registerScoringRecompute: Register = (parent, context) => {
  const cmd = parent
    .command('recompute')
    .description('recompute scores: the given leads, or --all (e.g. after changing rules; activity windows pass with time)').addHelpText('after', examples('crm scoring recompute --all', 'crm scoring recompute 12 13'))
    .argument('[ids...]', 'lead ids')
    .option('--all', 'every lead');
  outputFlags(cmd).action(async (ids: string[], opts: { all?: boolean; json?: boolean }, c) => {
    const ctx = context(c);
    if (!opts.all && !ids.length) throw new UsageError('which leads?', 'pass lead ids, or --all');
    const r = await recomputeScores(await ctx.services(), opts.all ? 'all' : ids.map((i) => parseId(i)));
    if (opts.json) printJson(ctx.io, r);
    else ctx.io.out(`Recomputed ${r.leads} lead(s): ${r.changed} score(s) changed`);
  });
};
