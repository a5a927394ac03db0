import { printList } from '../../io/output.js';
import { outputFlags, type Register, examples } from '../shared.js';
import { userColumns, userJson } from './render.js';

export const registerUserList: Register = (parent, context) => {
  const cmd = parent.command('list').alias('ls').description('list users (with their database role on a PostgreSQL store)')
    .addHelpText('after', examples('crm user list', 'crm user list --json', 'crm user list -q'));
  outputFlags(cmd, { quiet: true }).action(async (opts: { json?: boolean; quiet?: boolean }, c) => {
    const ctx = context(c);
    const { store } = await ctx.services();
    const users = await store.users.list();
    const dbRoles = await store.users.dbRoles();
    await printList(ctx.io, opts, users, userColumns(users, dbRoles), (u) => userJson(u, users, dbRoles));
  });
};
