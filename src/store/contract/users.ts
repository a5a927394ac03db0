/** The store contract: settings, users. */
import type { NewUser, User } from '../../domain/users.js';

export interface SettingsRepo {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string | null): Promise<void>;
  all(): Promise<Record<string, string>>;
}

export interface UsersRepo {
  insert(user: NewUser): Promise<User>;
  byId(id: number): Promise<User | undefined>;
  byEmail(email: string): Promise<User | undefined>;
  list(): Promise<User[]>;
  update(id: number, patch: Partial<Pick<User, 'name' | 'email' | 'role' | 'managerId' | 'active'>>): Promise<User>;
  count(): Promise<number>;
}
