import type { User } from '../../domain/users.js';
import type { Column } from '../../io/output.js';

export const userJson = (u: User, all: User[]) => ({ ...u, manager: all.find((m) => m.id === u.managerId)?.email ?? null });

export const userColumns = (all: User[]): Column<User>[] => [
  { header: 'ID', cell: (u) => u.id },
  { header: 'NAME', cell: (u) => u.name },
  { header: 'EMAIL', cell: (u) => u.email },
  { header: 'ROLE', cell: (u) => u.role },
  { header: 'MANAGER', cell: (u) => all.find((m) => m.id === u.managerId)?.email ?? '' },
  { header: 'ACTIVE', cell: (u) => (u.active ? 'yes' : 'no') },
];
