import { printJson } from '../../../io/output.js';
import { removeGroup } from '../../../services/routing/service.js';
import { confirmed, examples, outputFlags, type Register } from '../../shared.js';

export const registerRoutingGroupRemove: Register = (parent, context) => {
  const cmd = parent.command('remove').alias('rm').description('remove a group no rule uses').addHelpText('after', examples('crm routing group remove india')).argument('<name>');
  outputFlags(cmd).action(async (name: string, opts: { json?: boolean }, c) => {
    const ctx = context(c);
    if (!(await confirmed(ctx, `Remove group ${name}?`))) return;
    const g = await removeGroup(await ctx.services(), name);
    if (opts.json) printJson(ctx.io, g);
    else ctx.io.out(`Removed group ${g.name}`);
  });
};
