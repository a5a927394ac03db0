import { printList } from '../../io/output.js';
import { outputFlags, type Register } from '../shared.js';
import { userColumns, userJson } from './render.js';

export const registerUserList: Register = (parent, context) => {
  const cmd = parent.command('list').alias('ls').description('list users');
  outputFlags(cmd, { quiet: true }).action(async (opts: { json?: boolean; quiet?: boolean }, c) => {
    const ctx = context(c);
    const { store } = await ctx.services();
    const users = await store.users.list();
    await printList(ctx.io, opts, users, userColumns(users), (u) => userJson(u, users));
  });
};
