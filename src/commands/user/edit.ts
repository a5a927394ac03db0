import { UsageError } from '../../errors.js';
import { printJson } from '../../io/output.js';
import { editUser } from '../../services/users/service.js';
import { outputFlags, type Register } from '../shared.js';
import { userJson } from './render.js';

interface Options {
  name?: string;
  email?: string;
  role?: string;
  manager?: string;
  deactivate?: boolean;
  activate?: boolean;
  json?: boolean;
}

export const registerUserEdit: Register = (parent, context) => {
  const cmd = parent
    .command('edit')
    .description('change a user (admins only)')
    .argument('<email>', 'the user to change')
    .option('--name <name>', 'new name')
    .option('--email <email>', 'new email')
    .option('--role <role>', 'admin | manager | rep | marketing')
    .option('--manager <email>', 'their manager ("" for none)')
    .option('--deactivate', 'stop them acting or being assigned; their leads stay')
    .option('--activate', 'undo --deactivate');
  outputFlags(cmd).action(async (email: string, opts: Options, c) => {
    const ctx = context(c);
    if (opts.activate && opts.deactivate) throw new UsageError('give only one of --activate, --deactivate');
    const svc = await ctx.services();
    const active = opts.activate ? true : opts.deactivate ? false : undefined;
    const user = await editUser(svc, email, { name: opts.name, email: opts.email, role: opts.role, manager: opts.manager, active });
    if (opts.json) printJson(ctx.io, userJson(user, await svc.store.users.list()));
    else ctx.io.out(`Updated user ${user.id}: ${user.name} <${user.email}> (${user.role}${user.active ? '' : ', deactivated'})`);
  });
};
