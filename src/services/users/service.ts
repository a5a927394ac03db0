import { randomBytes } from 'node:crypto';
import { audit } from '../audit/service.js';
import { ConflictError, UsageError } from '../../errors.js';
import type { Role, User } from '../../domain/users.js';
import type { Store } from '../../store/types.js';
import { ROLES } from '../../domain/users.js';
import { assertRole } from '../access.js';
import type { ServiceContext } from '../context.js';
import { findUser } from '../lookup.js';
import { checkName, normalizeEmail } from '../leads/normalize.js';

export interface UserInput {
  name?: string;
  email?: string;
  role?: string;
  manager?: string | null;
  active?: boolean;
  /** Server stores (PostgreSQL): the user's database role (default `<database>_<email local part>`; an existing role is adopted). */
  dbRole?: string;
  /** Server stores: the login's password (default: generated, returned once). */
  password?: string;
  /**
   * With active: false, where the user's leads go (issue 17): to this user's email, or null to
   * leave them unassigned. Each lead's change is on its timeline as an assignment; the user's
   * open follow-ups on those leads follow them. Undefined: the leads stay as they are.
   */
  handOverTo?: string | null;
}

/** What a deactivation did with the user's leads: how many leads and open follow-ups went to whom (null: nobody). */
export interface HandedOver {
  leads: number;
  followUps: number;
  to: string | null;
}

/** How many leads (deleted ones included: a restore brings them back) are assigned to a user. */
export async function assignedLeadCount(ctx: Pick<ServiceContext, 'store'>, email: string): Promise<number> {
  const user = await findUser(ctx.store, email);
  return ctx.store.leads.count({ assigneeId: user.id, deleted: 'include' });
}

/** The user's leads go to `to` (or to nobody when null); returns how many leads and follow-ups moved. */
async function handOver(ctx: ServiceContext, from: User, to: User | null): Promise<{ leads: number; followUps: number }> {
  const { store, actor, now } = ctx;
  const at = now.toISOString();
  const leads = await store.leads.list({ assigneeId: from.id, deleted: 'include' });
  let followUps = 0;
  for (const lead of leads) {
    const before = lead.assignees;
    const ids = [...new Set([...before.map((a) => a.id).filter((id) => id !== from.id), ...(to ? [to.id] : [])])];
    await store.leads.update(lead.id, { assigneeIds: ids }, at);
    const after = (await store.leads.get(lead.id))!;
    await store.activities.add({
      leadId: lead.id, type: 'assigned', at, userId: actor.id,
      data: { from: before.map((a) => a.email), to: after.assignees.map((a) => a.email), reason: `${from.email} deactivated` },
    });
    for (const f of await store.followUps.list({ leadId: lead.id, assigneeId: from.id, statuses: ['scheduled', 'open'] })) {
      const fids = [...new Set([...f.assigneeIds.filter((id) => id !== from.id), ...(to ? [to.id] : [])])];
      await store.followUps.update(f.id, { assigneeIds: fids }, at);
      followUps++;
    }
  }
  return { leads: leads.length, followUps };
}

/** What a user add or edit did to the user's database login (server stores; null on SQLite, or when nothing changed). */
export interface LoginChange {
  role: string;
  /** The password set, when crm generated it: shown once, kept nowhere. */
  generatedPassword: string | null;
  /** The login could not be changed (a superuser role is never altered). */
  untouched?: boolean;
}

/** A password for a new login: 144 random bits, URL-safe (no quoting needed in a URL or .pgpass). */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

function noLogins(store: Store, input: UserInput): void {
  if (store.users.logins || (input.dbRole === undefined && input.password === undefined)) return;
  throw new UsageError('this store has no database logins (an SQLite store): a database role or password applies only to a PostgreSQL store');
}

export function parseRole(raw: string): Role {
  const r = raw.trim().toLowerCase().replace(/^sales[- ]?rep$/, 'rep') as Role;
  if (!ROLES.includes(r)) throw new UsageError(`invalid role '${raw}'`, `use one of: ${ROLES.join(', ')}`);
  return r;
}

async function managerId(store: Store, email: string | null | undefined): Promise<number | null | undefined> {
  if (email === undefined) return undefined;
  if (email === null || email === '') return null;
  const m = await findUser(store, email);
  if (m.role !== 'manager' && m.role !== 'admin') throw new UsageError(`${m.email} is a ${m.role}, not a manager`, 'pick a user with role manager or admin');
  return m.id;
}

/** Adds a user; without an actor it is the very first user (crm init), and the admin check is skipped. */
export async function addUser(ctx: Omit<ServiceContext, 'actor'> & { actor?: User }, input: UserInput): Promise<User> {
  return (await addUserWithLogin(ctx, input)).user;
}

/**
 * addUser, and on a server store (PostgreSQL) the user's database login, in the same transaction:
 * a new LOGIN role (named by `dbRole`, else the default) with the given or a generated password,
 * in the groups of the user's role; an existing role named by `dbRole` is adopted (its password
 * replaced only when one is given). The very first user (crm init) gets the connected login.
 */
export async function addUserWithLogin(ctx: Omit<ServiceContext, 'actor'> & { actor?: User }, input: UserInput): Promise<{ user: User; login: LoginChange | null }> {
  const { store } = ctx;
  noLogins(store, input);
  return store.transaction(async () => {
    if (ctx.actor) assertRole(ctx.actor, ['admin'], 'add users');
    const name = checkName(input.name ?? '', 'name');
    const email = normalizeEmail(input.email ?? '');
    const role = parseRole(input.role ?? 'rep');
    if (await store.users.byEmail(email)) throw new ConflictError(`a user with email ${email} already exists`, { id: 'user.list' });
    const logins = store.users.logins;
    // The first user (crm init) logs in as whoever runs init: the migration made that role the
    // tables' owner and an admin. Written with the user: once a user exists, only an admin's
    // login may change users, and this one is nobody's until then.
    const first = !ctx.actor && logins ? (input.dbRole ?? (await logins.connected())) : null;
    const user = await store.users.insert({ name, email, role, managerId: (await managerId(store, input.manager)) ?? null, createdAt: ctx.now.toISOString(), dbRole: first });
    if (!logins) return { user, login: null };
    if (first !== null) {
      if (first !== (await logins.connected())) await logins.create(first, input.password ?? null, role);
      return { user, login: { role: first, generatedPassword: null } };
    }
    return { user, login: await giveLogin(store, user, input.dbRole, input.password) };
  });
}

/** Creates (or adopts) and links the database login of a user, inside a transaction. */
async function giveLogin(store: Store, user: User, dbRole: string | undefined, password: string | undefined): Promise<LoginChange> {
  const logins = store.users.logins!;
  const role = dbRole ?? (await logins.defaultRole(user.email));
  const adopt = dbRole !== undefined && (await logins.exists(role));
  const generated = adopt || password !== undefined ? null : generatePassword();
  await logins.create(role, password ?? generated, user.role);
  await logins.link(user.id, role);
  if (!user.active) await logins.setLogin(role, false);
  return { role, generatedPassword: generated };
}

export async function editUser(ctx: ServiceContext, email: string, input: UserInput): Promise<User> {
  return (await editUserWithLogin(ctx, email, input)).user;
}

/**
 * editUser, and on a server store the login follows: a new role moves it between the group
 * roles, deactivating refuses new logins (NOLOGIN; the database also stops showing anything to
 * a deactivated user's sessions still open), reactivating allows them again; `dbRole` links the
 * user to another (new or existing) role, `password` replaces the login's password.
 */
export async function editUserWithLogin(ctx: ServiceContext, email: string, input: UserInput): Promise<{ user: User; login: LoginChange | null; handedOver?: HandedOver }> {
  const { store, actor } = ctx;
  noLogins(store, input);
  return store.transaction(async () => {
    assertRole(actor, ['admin'], 'change users');
    const user = await findUser(store, email);
    const patch: Parameters<Store['users']['update']>[1] = {};
    if (input.name !== undefined) patch.name = checkName(input.name, 'name');
    if (input.email !== undefined) {
      patch.email = normalizeEmail(input.email);
      const other = await store.users.byEmail(patch.email);
      if (other && other.id !== user.id) throw new ConflictError(`a user with email ${patch.email} already exists`);
    }
    if (input.role !== undefined) patch.role = parseRole(input.role);
    const m = await managerId(store, input.manager);
    if (m !== undefined) {
      if (m === user.id) throw new UsageError('a user cannot be their own manager');
      patch.managerId = m;
    }
    if (input.active !== undefined) patch.active = input.active;
    const admins = (await store.users.list()).filter((u) => u.role === 'admin' && u.active && u.id !== user.id);
    if (user.role === 'admin' && (patch.role && patch.role !== 'admin' || patch.active === false) && admins.length === 0) {
      throw new ConflictError(`${user.email} is the last active admin`, 'make another user admin first');
    }
    let handedOver: HandedOver | undefined;
    if (input.handOverTo !== undefined && patch.active === false && user.active) {
      const to = input.handOverTo === null ? null : await findUser(store, input.handOverTo);
      if (to && to.id === user.id) throw new UsageError(`cannot hand ${user.email}'s leads over to ${user.email}`, 'name another user');
      if (to && !to.active) throw new UsageError(`user ${to.email} is deactivated`, 'hand the leads over to an active user');
      handedOver = { ...(await handOver(ctx, user, to)), to: to?.email ?? null };
    }
    const updated = await store.users.update(user.id, patch);
    if (patch.role !== undefined && patch.role !== user.role) await audit(ctx, 'user.role', null, { user: user.email, from: user.role, to: patch.role });
    const logins = store.users.logins;
    if (!logins) return { handedOver, user: updated, login: null };
    const current = (await store.users.dbRoles()).get(user.id);
    if (input.dbRole !== undefined && input.dbRole !== current) return { handedOver, user: updated, login: await giveLogin(store, updated, input.dbRole, input.password) };
    if (current === undefined) {
      if (input.password !== undefined) return { handedOver, user: updated, login: await giveLogin(store, updated, undefined, input.password) };
      return { handedOver, user: updated, login: null };
    }
    let untouched = false;
    if (input.password !== undefined) {
      await logins.create(current, input.password, updated.role);
      if (!updated.active) await logins.setLogin(current, false);
    } else if (patch.role !== undefined && patch.role !== user.role) await logins.setGroups(current, updated.role);
    if (patch.active !== undefined && patch.active !== user.active) untouched = !(await logins.setLogin(current, patch.active));
    return { handedOver, user: updated, login: { role: current, generatedPassword: null, ...(untouched ? { untouched } : {}) } };
  });
}
