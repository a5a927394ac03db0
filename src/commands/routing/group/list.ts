import { printList } from '../../../io/output.js';
import { listGroups } from '../../../services/routing/service.js';
import { examples, outputFlags, type Register } from '../../shared.js';
import { groupColumns } from '../render.js';

export const registerRoutingGroupList: Register = (parent, context) => {
  const cmd = parent.command('list').alias('ls').description('groups, their users and how many leads each group has handed out').addHelpText('after', examples('crm routing group list', 'crm routing group list --json'));
  outputFlags(cmd, { list: true }).action(async (opts: { json?: boolean }, c) => {
    const ctx = context(c);
    const rows = await listGroups(await ctx.services());
    await printList(ctx.io, opts, rows.map((g) => ({ ...g, id: g.name })), groupColumns, ({ id: _id, ...g }) => g, 'No routing groups yet (crm routing group add team-a --users a@…,b@…).');
  });
};
