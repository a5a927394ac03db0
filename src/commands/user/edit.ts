import { UsageError } from '../../errors.js';
import { printJson } from '../../io/output.js';
import { assignedLeadCount, editUserWithLogin, type HandedOver } from '../../services/users/service.js';
import type { Context } from '../../context.js';
import { outputFlags, type Register, examples } from '../shared.js';
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
  reassignTo?: string;
  leaveUnassigned?: boolean;
  json?: boolean;
}

/**
 * Where a deactivated user's leads go: --reassign-to, --leave-unassigned, else asked on a
 * terminal; without one, a user with leads is not deactivated (exit 2). undefined: nothing to decide.
 */
async function handOverOf(ctx: Context, email: string, opts: Options): Promise<string | null | undefined> {
  if (opts.reassignTo !== undefined && opts.leaveUnassigned) throw new UsageError('give only one of --reassign-to, --leave-unassigned');
  if (!opts.deactivate) {
    if (opts.reassignTo !== undefined || opts.leaveUnassigned) throw new UsageError(`${opts.reassignTo !== undefined ? '--reassign-to' : '--leave-unassigned'} goes with --deactivate`, 'add --deactivate, or drop it');
    return undefined;
  }
  if (opts.reassignTo !== undefined) return opts.reassignTo;
  if (opts.leaveUnassigned) return null;
  const svc = await ctx.services();
  const user = await svc.store.users.byEmail(email);
  if (!user?.active) return undefined;
  const n = await assignedLeadCount(svc, email);
  if (n === 0) return undefined;
  const leads = `${n} lead${n === 1 ? '' : 's'}`;
  if (!ctx.prompter.interactive) {
    throw new UsageError(`${user.email} has ${leads} assigned: say where they go`, 'pass --reassign-to EMAIL to hand them over, or --leave-unassigned');
  }
  const others = (await svc.store.users.list()).filter((u) => u.active && u.id !== user.id);
  const choice = await ctx.prompter.select('--reassign-to', `${user.email} has ${leads} assigned. Where do they go?`, [
    ...others.map((u) => ({ value: u.email, name: `Reassign to ${u.name} <${u.email}> (${u.role})` })),
    { value: '', name: 'Leave them unassigned' },
  ]);
  return choice || null;
}

function handedOverLine(h: HandedOver): string {
  const leads = `${h.leads} lead${h.leads === 1 ? '' : 's'}`;
  const fu = h.followUps ? ` and ${h.followUps} open follow-up${h.followUps === 1 ? '' : 's'}` : '';
  return h.to ? `Reassigned ${leads}${fu} to ${h.to}` : `Left ${leads}${fu} unassigned`;
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
    .option('--deactivate', 'stop them acting or being assigned (PostgreSQL: the login is disabled); their leads: see --reassign-to')
    .option('--reassign-to <email>', 'with --deactivate: hand their leads and open follow-ups to this user (each on the timeline)')
    .option('--leave-unassigned', 'with --deactivate: take them off their leads, leaving those unassigned (asked on a terminal when neither is given)')
    .option('--activate', 'undo --deactivate')
    .option('--db-role <role>', 'PostgreSQL: link them to this database role (created, or adopted when it exists)')
    .option('--password-stdin', 'PostgreSQL: set the login’s password from stdin')
    .addHelpText('after', examples('crm user edit ravi@example.com --role manager', 'crm user edit ravi@example.com --deactivate --reassign-to asha@example.com', 'crm user edit ravi@example.com --deactivate --leave-unassigned'));
  outputFlags(cmd).action(async (email: string, opts: Options, c) => {
    const ctx = context(c);
    if (opts.activate && opts.deactivate) throw new UsageError('give only one of --activate, --deactivate');
    const password = opts.passwordStdin ? await passwordFromStdin(ctx) : undefined;
    const handOverTo = await handOverOf(ctx, email, opts);
    const svc = await ctx.services();
    const active = opts.activate ? true : opts.deactivate ? false : undefined;
    const { user, login, handedOver } = await editUserWithLogin(svc, email, { name: opts.name, email: opts.email, role: opts.role, manager: opts.manager, active, dbRole: opts.dbRole, password, handOverTo });
    if (opts.json) {
      printJson(ctx.io, {
        ...userJson(user, await svc.store.users.list(), await svc.store.users.dbRoles()),
        ...(login?.generatedPassword ? { password: login.generatedPassword } : {}),
        ...(handedOver ? { handedOver } : {}),
      });
      return;
    }
    ctx.io.out(`Updated user ${user.id}: ${user.name} <${user.email}> (${user.role}${user.active ? '' : ', deactivated'})`);
    if (handedOver) ctx.io.out(handedOverLine(handedOver));
    if (login && (login.generatedPassword || login.untouched || opts.dbRole)) sayLogin(ctx, login);
  });
};
