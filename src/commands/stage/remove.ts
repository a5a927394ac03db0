import { printJson } from '../../io/output.js';
import { removeStage } from '../../services/pipeline/service.js';
import { confirmed, examples, outputFlags, type Register } from '../shared.js';

export const registerStageRemove: Register = (parent, context) => {
  const cmd = parent
    .command('remove')
    .alias('rm')
    .description('remove a stage; a stage holding leads needs --move-to').addHelpText('after', examples('crm stage remove Contacted --move-to New'))
    .argument('<stage>')
    .option('--move-to <stage>', 'move its leads to this stage first');
  outputFlags(cmd).action(async (name: string, opts: { moveTo?: string; json?: boolean }, c) => {
    const ctx = context(c);
    if (!(await confirmed(ctx, `Remove stage ${name}${opts.moveTo ? ` (its leads move to ${opts.moveTo})` : ''}?`))) return;
    const result = await removeStage(await ctx.services(), name, opts.moveTo);
    if (opts.json) printJson(ctx.io, result);
    else ctx.io.out(`Removed stage ${result.removed.name}${result.moved ? ` (moved ${result.moved} lead(s) to ${opts.moveTo})` : ''}`);
  });
};
