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

export type NewUser = Omit<User, 'id' | 'createdAt' | 'active'> & { active?: boolean; createdAt: string };
