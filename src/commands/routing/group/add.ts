import { printJson } from '../../../io/output.js';
import { putGroup } from '../../../services/routing/service.js';
import { collect, examples, outputFlags, type Register } from '../../shared.js';
import { groupUsers } from '../render.js';

export const registerRoutingGroupAdd: Register = (parent, context) => {
  const cmd = parent.command('add').description('create a group, or replace its users').addHelpText('after', examples('crm routing group add india --users ravi@acme.example,priya@acme.example')).argument('<name>').option('--users <emails>', 'the users, comma-separated or repeated', collect);
  outputFlags(cmd).action(async (name: string, opts: { users?: string[]; json?: boolean }, c) => {
    const ctx = context(c);
    const g = await putGroup(await ctx.services(), name, opts.users ?? []);
    if (opts.json) printJson(ctx.io, g);
    else ctx.io.out(`Group ${g.name}: ${groupUsers(g)}`);
  });
};
