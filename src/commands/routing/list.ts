import { printJson, printList } from '../../io/output.js';
import { listRouting } from '../../services/routing/service.js';
import { examples, outputFlags, type Register } from '../shared.js';
import { ruleColumns } from './render.js';

export const registerRoutingList: Register = (parent, context) => {
  const cmd = parent.command('list').alias('ls').description('the rules in evaluation order, and the fallback (setting routing.default)').addHelpText('after', examples('crm routing list', 'crm routing list --json'));
  outputFlags(cmd, { list: true }).action(async (opts: { json?: boolean }, c) => {
    const ctx = context(c);
    const r = await listRouting(await ctx.services());
    if (opts.json) return printJson(ctx.io, r);
    await printList(ctx.io, opts, r.rules.map((x) => ({ ...x, id: x.position })), ruleColumns, (x) => x, 'No routing rules yet (crm routing add --name web --if "source=Website" --to group:team-a).');
    ctx.io.hint(`Nothing matching: ${r.default || 'unassigned'} (crm config set routing.default …)`);
  });
};
