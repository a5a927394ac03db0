export const ROLES = ['admin', 'manager', 'rep', 'marketing'] as const;
export type Role = (typeof ROLES)[number];

export interface User {
  id: number;
  name: string;
  email: string;
  role: Role;
  managerId: number | null;
  active: boolean;
  createdAt: string;
}

/**
 * `dbRole`: on a store with database logins (PostgreSQL), the role the user logs in as, written
 * with the user (the first admin's, at crm init, when nobody may yet change users); ignored elsewhere.
 */
export type NewUser = Omit<User, 'id' | 'createdAt' | 'active'> & { active?: boolean; createdAt: string; dbRole?: string | null };
