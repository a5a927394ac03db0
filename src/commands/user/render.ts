import type { User } from '../../domain/users.js';
import type { Column } from '../../io/output.js';

/**
 * A user as JSON: `manager` by email and `dbRole`, the database role the user logs in as on a
 * PostgreSQL store (null on SQLite, which has no logins, or for a user without one).
 */
export const userJson = (u: User, all: User[], dbRoles: Map<number, string> = new Map()) => ({
  ...u,
  manager: all.find((m) => m.id === u.managerId)?.email ?? null,
  dbRole: dbRoles.get(u.id) ?? null,
});

export const userColumns = (all: User[], dbRoles: Map<number, string> = new Map()): Column<User>[] => [
  { header: 'ID', cell: (u) => u.id },
  { header: 'NAME', cell: (u) => u.name },
  { header: 'EMAIL', cell: (u) => u.email },
  { header: 'ROLE', cell: (u) => u.role },
  { header: 'MANAGER', cell: (u) => all.find((m) => m.id === u.managerId)?.email ?? '' },
  { header: 'ACTIVE', cell: (u) => (u.active ? 'yes' : 'no') },
  // Only a store with logins (PostgreSQL) has the column.
  ...(dbRoles.size ? [{ header: 'DB ROLE', cell: (u: User) => dbRoles.get(u.id) ?? '' }] : []),
];
