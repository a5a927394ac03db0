import { UsageError } from '../../errors.js';
import { printJson } from '../../io/output.js';
import { editUserWithLogin } from '../../services/users/service.js';
import { outputFlags, type Register } from '../shared.js';
import { passwordFromStdin, sayLogin } from './password.js';
import { userJson } from './render.js';

interface Options {
  name?: string;
  email?: string;
  role?: string;
  manager?: string;
  deactivate?: boolean;
  activate?: boolean;
  dbRole?: string;
  passwordStdin?: boolean;
  json?: boolean;
}

export const registerUserEdit: Register = (parent, context) => {
  const cmd = parent
    .command('edit')
    .description('change a user (admins only); on a PostgreSQL store their database login follows')
    .argument('<email>', 'the user to change')
    .option('--name <name>', 'new name')
    .option('--email <email>', 'new email')
    .option('--role <role>', 'admin | manager | rep | marketing (PostgreSQL: moves the login between the group roles)')
    .option('--manager <email>', 'their manager ("" for none)')
    .option('--deactivate', 'stop them acting or being assigned; their leads stay (PostgreSQL: the login is disabled)')
    .option('--activate', 'undo --deactivate')
    .option('--db-role <role>', 'PostgreSQL: link them to this database role (created, or adopted when it exists)')
    .option('--password-stdin', 'PostgreSQL: set the login’s password from stdin');
  outputFlags(cmd).action(async (email: string, opts: Options, c) => {
    const ctx = context(c);
    if (opts.activate && opts.deactivate) throw new UsageError('give only one of --activate, --deactivate');
    const password = opts.passwordStdin ? await passwordFromStdin(ctx) : undefined;
    const svc = await ctx.services();
    const active = opts.activate ? true : opts.deactivate ? false : undefined;
    const { user, login } = await editUserWithLogin(svc, email, { name: opts.name, email: opts.email, role: opts.role, manager: opts.manager, active, dbRole: opts.dbRole, password });
    if (opts.json) {
      printJson(ctx.io, { ...userJson(user, await svc.store.users.list(), await svc.store.users.dbRoles()), ...(login?.generatedPassword ? { password: login.generatedPassword } : {}) });
      return;
    }
    ctx.io.out(`Updated user ${user.id}: ${user.name} <${user.email}> (${user.role}${user.active ? '' : ', deactivated'})`);
    if (login && (login.generatedPassword || login.untouched || opts.dbRole)) sayLogin(ctx, login);
  });
};
