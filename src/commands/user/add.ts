import { printJson } from '../../io/output.js';
import { addUserWithLogin } from '../../services/users/service.js';
import { outputFlags, type Register, examples } from '../shared.js';
import { passwordFromStdin, sayLogin } from './password.js';
import { userJson } from './render.js';

interface Options {
  name?: string;
  email?: string;
  role: string;
  manager?: string;
  dbRole?: string;
  passwordStdin?: boolean;
  json?: boolean;
}

export const registerUserAdd: Register = (parent, context) => {
  const cmd = parent
    .command('add')
    .description('add a user (admins only); on a PostgreSQL store also their database login')
    .option('--name <name>', 'full name')
    .option('--email <email>', 'email, also the login for --as')
    .option('--role <role>', 'admin | manager | rep | marketing', 'rep')
    .option('--manager <email>', 'their manager')
    .option('--db-role <role>', 'PostgreSQL: their database role (default <database>_<email local part>; an existing role is adopted)')
    .option('--password-stdin', 'PostgreSQL: read the login’s password from stdin (default: a generated one, printed once)')
    .addHelpText('after', examples('crm user add --name "Asha Rao" --email asha@example.com', 'crm user add --name "Ravi Kumar" --email ravi@example.com --role rep --manager asha@example.com', 'crm user add --name "Meera Iyer" --email meera@example.com --role manager --json'));
  outputFlags(cmd).action(async (opts: Options, c) => {
    const ctx = context(c);
    const password = opts.passwordStdin ? await passwordFromStdin(ctx) : undefined;
    const svc = await ctx.services();
    const name = opts.name ?? (await ctx.prompter.text('--name', 'Name'));
    const email = opts.email ?? (await ctx.prompter.text('--email', 'Email'));
    const { user, login } = await addUserWithLogin(svc, { name, email, role: opts.role, manager: opts.manager, dbRole: opts.dbRole, password });
    if (opts.json) {
      printJson(ctx.io, { ...userJson(user, await svc.store.users.list(), await svc.store.users.dbRoles()), ...(login?.generatedPassword ? { password: login.generatedPassword } : {}) });
      return;
    }
    ctx.io.out(`Added user ${user.id}: ${user.name} <${user.email}> (${user.role})`);
    sayLogin(ctx, login);
  });
};
