import { printJson } from '../../io/output.js';
import { updateStage } from '../../services/pipeline/service.js';
import type { Stage } from '../../domain/pipeline.js';
import type { Context } from '../../context.js';
import { examples, outputFlags, type Register } from '../shared.js';

function done(ctx: Context, json: boolean | undefined, stage: Stage, what: string): void {
  if (json) printJson(ctx.io, stage);
  else ctx.io.out(what);
}

export const registerStageRename: Register = (parent, context) => {
  const cmd = parent.command('rename').description('rename a stage (its leads stay)').addHelpText('after', examples('crm stage rename Demo "Demo booked"')).argument('<stage>').argument('<new-name>');
  outputFlags(cmd).action(async (name: string, to: string, opts: { json?: boolean }, c) => {
    const ctx = context(c);
    const stage = await updateStage(await ctx.services(), name, { rename: to });
    done(ctx, opts.json, stage, `Renamed stage ${name} to ${stage.name}`);
  });
};

export const registerStageMove: Register = (parent, context) => {
  const cmd = parent
    .command('move')
    .description('change a stage’s place in the pipeline').addHelpText('after', examples('crm stage move Qualified --before Contacted', 'crm stage move Demo --position 3'))
    .argument('<stage>')
    .option('--position <n>', 'to position n (1 = first)')
    .option('--before <stage>', 'before this stage')
    .option('--after <stage>', 'after this stage');
  outputFlags(cmd).action(async (name: string, opts: { position?: string; before?: string; after?: string; json?: boolean }, c) => {
    const ctx = context(c);
    const { json, ...place } = opts;
    const stage = await updateStage(await ctx.services(), name, { place });
    done(ctx, json, stage, `Stage ${stage.name} is now at position ${stage.position}`);
  });
};

export const registerStageProbability: Register = (parent, context) => {
  const cmd = parent.command('set-probability').description('set a stage’s win probability').addHelpText('after', examples('crm stage set-probability Demo 65')).argument('<stage>').argument('<pct>', '0–100');
  outputFlags(cmd).action(async (name: string, pct: string, opts: { json?: boolean }, c) => {
    const ctx = context(c);
    const stage = await updateStage(await ctx.services(), name, { probability: pct });
    done(ctx, opts.json, stage, `Stage ${stage.name} has probability ${stage.probability}%`);
  });
};
