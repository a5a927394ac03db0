/** The store contract: settings, users. */
import type { NewUser, Role, User } from '../../domain/users.js';

export interface SettingsRepo {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string | null): Promise<void>;
  all(): Promise<Record<string, string>>;
}

/**
 * Personal settings (issue 17): each user's own values (time zone, date order, default board
 * filter), by user id and key. On PostgreSQL a user reads and writes only their own rows (admins
 * all of them): another user's rows are then simply absent, and writing them is refused.
 */
export interface UserSettingsRepo {
  get(userId: number, key: string): Promise<string | undefined>;
  /** null removes the value (unset); removing one that is not there is no error. */
  set(userId: number, key: string, value: string | null): Promise<void>;
  /** The user's values by key, in key order. */
  all(userId: number): Promise<Record<string, string>>;
}

export interface UsersRepo {
  insert(user: NewUser): Promise<User>;
  byId(id: number): Promise<User | undefined>;
  byEmail(email: string): Promise<User | undefined>;
  list(): Promise<User[]>;
  update(id: number, patch: Partial<Pick<User, 'name' | 'email' | 'role' | 'managerId' | 'active'>>): Promise<User>;
  count(): Promise<number>;
  /**
   * The database role each user logs in as, by user id (`dbRole` of `user list --json`). A store
   * without database logins (SQLite: whoever can write the file is every user) has none: empty.
   */
  dbRoles(): Promise<Map<number, string>>;
  /**
   * The database logins of a server store (PostgreSQL), where identity is the login: null on a
   * store without them (SQLite), where the acting user is whom the caller names.
   */
  readonly logins: LoginsRepo | null;
}

/**
 * A server store's logins: each crm user has a database role (a LOGIN role with a password),
 * member of the store's group roles for its crm role; the acting user is the connected login's
 * user. Role names are checked (lower-case letters, digits, `_`; at most 63) before any statement.
 */
export interface LoginsRepo {
  /** The role this handle is connected as (PostgreSQL's session_user). */
  connected(): Promise<string>;
  /** The user whose database role is the connected login; undefined when the login is no user's. */
  byLogin(): Promise<User | undefined>;
  /**
   * The role name a new user gets by default: `<database>_<email local part>` lower-cased, other
   * characters as `_`, with `_2`, `_3`… when taken (role names are cluster-wide).
   */
  defaultRole(email: string): Promise<string>;
  /** Is there a database role of this name (anywhere on the server)? */
  exists(role: string): Promise<boolean>;
  /**
   * Inside a transaction: makes `role` a LOGIN role with this password (created when missing,
   * its password replaced when given for an existing one; the password is sent as a SCRAM
   * verifier, never as text) and puts it in the groups of `crmRole` (see setGroups).
   */
  create(role: string, password: string | null, crmRole: Role): Promise<void>;
  /** Inside a transaction: the groups of a crm role — every user in the app group, admins also in the admin group and with CREATEROLE (so they can add users). */
  setGroups(role: string, crmRole: Role): Promise<void>;
  /**
   * Inside a transaction: allows or refuses new logins of the role (LOGIN / NOLOGIN). A
   * superuser role is never changed: false then (true when done).
   */
  setLogin(role: string, enabled: boolean): Promise<boolean>;
  /** Inside a transaction: links a user to a database role (null: none). A ConflictError when another user has it. */
  link(userId: number, role: string | null): Promise<void>;
  /**
   * The user this handle acts as when its login may act as others (an admin's `--as`), sent with
   * every transaction (`crm.acting_user`); null: the login's own user. The database ignores it
   * for a login that is neither an admin's nor the daemon's.
   */
  actAs(userId: number | null): void;
  /**
   * What `crm doctor` checks of the database's side of identity and visibility: the tables
   * without row-level security enabled and forced, the store's group roles that are missing,
   * and the active users whose login is missing or cannot log in (by email).
   */
  check(): Promise<{ tablesWithoutRls: string[]; missingGroups: string[]; usersWithoutLogin: string[] }>;
}
