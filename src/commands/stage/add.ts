import { UsageError } from '../../errors.js';
import { printJson } from '../../io/output.js';
import { addStage } from '../../services/pipeline/service.js';
import { examples, outputFlags, type Register } from '../shared.js';

export const registerStageAdd: Register = (parent, context) => {
  const cmd = parent
    .command('add')
    .description('add a pipeline stage (open stages go before won/lost unless placed)').addHelpText('after', examples('crm stage add Negotiation --probability 80 --after "Proposal Sent"', 'crm stage add Onboarding --won'))
    .argument('<name>', 'stage name')
    .option('--probability <pct>', 'win probability 0–100')
    .option('--won', 'leads here are won')
    .option('--lost', 'leads here are lost')
    .option('--position <n>', 'place at position n (1 = first)')
    .option('--before <stage>', 'place before this stage')
    .option('--after <stage>', 'place after this stage');
  outputFlags(cmd).action(async (name: string, opts: { probability?: string; won?: boolean; lost?: boolean; position?: string; before?: string; after?: string; json?: boolean }, c) => {
    const ctx = context(c);
    if (opts.won && opts.lost) throw new UsageError('a stage is either --won or --lost, not both');
    const svc = await ctx.services();
    const stage = await addStage(svc, name, { ...opts, outcome: opts.won ? 'won' : opts.lost ? 'lost' : 'open' });
    if (opts.json) printJson(ctx.io, stage);
    else ctx.io.out(`Added stage ${stage.name} at position ${stage.position} (${stage.probability}%, ${stage.outcome})`);
  });
};
