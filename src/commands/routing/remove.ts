import { printJson } from '../../io/output.js';
import { removeRoutingRule } from '../../services/routing/service.js';
import { confirmed, examples, outputFlags, type Register } from '../shared.js';

export const registerRoutingRemove: Register = (parent, context) => {
  const cmd = parent.command('remove').alias('rm').description('remove a rule').addHelpText('after', examples('crm routing remove india-web')).argument('<name>');
  outputFlags(cmd).action(async (name: string, opts: { json?: boolean }, c) => {
    const ctx = context(c);
    if (!(await confirmed(ctx, `Remove routing rule ${name}?`))) return;
    const r = await removeRoutingRule(await ctx.services(), name);
    if (opts.json) printJson(ctx.io, r);
    else ctx.io.out(`Removed routing rule ${r.name}`);
  });
};
