import { printJson } from '../../io/output.js';
import { addUser } from '../../services/users/service.js';
import { outputFlags, type Register } from '../shared.js';
import { userJson } from './render.js';

export const registerUserAdd: Register = (parent, context) => {
  const cmd = parent
    .command('add')
    .description('add a user (admins only)')
    .option('--name <name>', 'full name')
    .option('--email <email>', 'email, also the login for --as')
    .option('--role <role>', 'admin | manager | rep | marketing', 'rep')
    .option('--manager <email>', 'their manager');
  outputFlags(cmd).action(async (opts: { name?: string; email?: string; role: string; manager?: string; json?: boolean }, c) => {
    const ctx = context(c);
    const svc = await ctx.services();
    const name = opts.name ?? (await ctx.prompter.text('--name', 'Name'));
    const email = opts.email ?? (await ctx.prompter.text('--email', 'Email'));
    const user = await addUser(svc, { name, email, role: opts.role, manager: opts.manager });
    if (opts.json) printJson(ctx.io, userJson(user, await svc.store.users.list()));
    else ctx.io.out(`Added user ${user.id}: ${user.name} <${user.email}> (${user.role})`);
  });
};
