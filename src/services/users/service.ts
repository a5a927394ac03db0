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

/** Adds a user; `bootstrap` skips the admin check for the very first user (crm init). */
export async function addUser(ctx: Omit<ServiceContext, 'actor'> & { actor?: User }, input: UserInput): Promise<User> {
  const { store } = ctx;
  return store.transaction(async () => {
    if (ctx.actor) assertRole(ctx.actor, ['admin'], 'add users');
    const name = checkName(input.name ?? '', 'name');
    const email = normalizeEmail(input.email ?? '');
    const role = parseRole(input.role ?? 'rep');
    if (await store.users.byEmail(email)) throw new ConflictError(`a user with email ${email} already exists`, { id: 'user.list' });
    return store.users.insert({ name, email, role, managerId: (await managerId(store, input.manager)) ?? null, createdAt: ctx.now.toISOString() });
  });
}

export async function editUser(ctx: ServiceContext, email: string, input: UserInput): Promise<User> {
  const { store, actor } = ctx;
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
    return store.users.update(user.id, patch);
  });
}
