/**
 * Users on PostgreSQL (port of src/store/sqlite/users.ts) and their database logins.
 *
 * Identity is the login (issue 15): each crm user has a database role (`users.db_role`), a LOGIN
 * role with a password that is a member of the store's group roles (migration 0002):
 * `<db>_crm_app` for everyone, `<db>_crm_admin` (with ADMIN OPTION, and CREATEROLE on the login)
 * for admins, so that an admin's login can add users. Role names are cluster-wide, hence the
 * database name in the default (`acme_ravi`). Role DDL runs inside the caller's transaction
 * (PostgreSQL's CREATE ROLE and GRANT are transactional), so a refused user add leaves no role.
 * A password never travels as text: CREATE/ALTER ROLE gets a SCRAM-SHA-256 verifier made here
 * (server logs and pg_stat_activity never see the password).
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Role, User } from '../../domain/users.js';
import { ConflictError, UsageError } from '../../errors.js';
import type { LoginsRepo } from '../contract/users.js';
import type { Store } from '../types.js';
import type { PgSql } from './sql.js';

interface UserRow {
  id: number;
  name: string;
  email: string;
  role: Role;
  manager_id: number | null;
  active: number;
  created_at: string;
}

const COLS = 'id, name, email, role, manager_id, active, created_at';

function toUser(r: UserRow): User {
  return { id: Number(r.id), name: r.name, email: r.email, role: r.role, managerId: r.manager_id === null ? null : Number(r.manager_id), active: Number(r.active) === 1, createdAt: r.created_at };
}

/** A role name crm writes: lower-case letters, digits, `_`, `-`, `$`; at most 63 (PostgreSQL's limit, past which it truncates). */
const ROLE_NAME = /^[a-z_][a-z0-9_$-]{0,62}$/;

export function checkRoleName(role: string): string {
  if (!ROLE_NAME.test(role)) {
    throw new UsageError(`invalid database role name '${role}'`, 'use lower-case letters, digits and _ (at most 63 characters), starting with a letter or _');
  }
  return role;
}

/** PostgreSQL's SCRAM-SHA-256 verifier of a password (what pg_authid keeps; RFC 5802/7677). */
export function scramVerifier(password: string, iterations = 4096): string {
  const salt = randomBytes(16);
  const salted = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

const id = (name: string) => pg.escapeIdentifier(name);

export function usersRepo(sql: PgSql): Store['users'] {
  const byId = async (uid: number) => {
    const r = await sql.get<UserRow>(`SELECT ${COLS} FROM users WHERE id = ?`, uid);
    return r && toUser(r);
  };
  const group = async (kind: 'app' | 'admin') => (await sql.get<{ r: string }>('SELECT crm_role(?) AS r', kind))!.r;
  const superuser = async (role: string) => (await sql.get<{ s: boolean }>('SELECT rolsuper AS s FROM pg_roles WHERE rolname = ?', role))?.s === true;
  const exists = async (role: string) => (await sql.get<{ n: number }>('SELECT count(*) AS n FROM pg_roles WHERE rolname = ?', role))!.n > 0;

  const logins: LoginsRepo = {
    async connected() {
      return (await sql.get<{ r: string }>('SELECT session_user AS r'))!.r;
    },
    async byLogin() {
      const r = await sql.get<UserRow>(`SELECT ${COLS} FROM users WHERE db_role = session_user`);
      return r && toUser(r);
    },
    async defaultRole(email) {
      const db = (await sql.get<{ d: string }>('SELECT current_database() AS d'))!.d;
      const clean = (s: string) => s.toLowerCase().replace(/[^a-z0-9_]/g, '_');
      const local = clean(email.split('@')[0] ?? '') || 'user';
      const base = `${clean(db)}_${local}`.replace(/^([^a-z_])/, '_$1').slice(0, 58);
      for (let n = 1; ; n++) {
        const name = n === 1 ? base : `${base}_${n}`;
        if (!(await exists(name))) return checkRoleName(name);
      }
    },
    exists: (role) => exists(checkRoleName(role)),
    async create(role, password, crmRole) {
      checkRoleName(role);
      const pass = password === null ? '' : ` PASSWORD ${pg.escapeLiteral(scramVerifier(password))}`;
      if (await exists(role)) await sql.exec(`ALTER ROLE ${id(role)} LOGIN${pass}`);
      else await sql.exec(`CREATE ROLE ${id(role)} LOGIN${pass}`);
      await logins.setGroups(role, crmRole);
    },
    async setGroups(role, crmRole) {
      checkRoleName(role);
      const [app, admin] = [await group('app'), await group('admin')];
      const su = await superuser(role);
      if (crmRole === 'admin') {
        // ADMIN OPTION: an admin's login may put others in the groups (PostgreSQL 16 requires it of a CREATEROLE role).
        await sql.exec(`GRANT ${id(app)}, ${id(admin)} TO ${id(role)} WITH ADMIN OPTION`);
        if (!su) await sql.exec(`ALTER ROLE ${id(role)} CREATEROLE`);
      } else {
        await sql.exec(`GRANT ${id(app)} TO ${id(role)}`);
        const member = await sql.get<{ m: boolean }>(
          'SELECT EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles r ON r.oid = m.member WHERE g.rolname = ? AND r.rolname = ?) AS m', admin, role);
        if (member?.m) await sql.exec(`REVOKE ${id(admin)} FROM ${id(role)}`);
        if (!su) await sql.exec(`ALTER ROLE ${id(role)} NOCREATEROLE`);
      }
    },
    async setLogin(role, enabled) {
      checkRoleName(role);
      if (!(await exists(role)) || (await superuser(role))) return false;
      await sql.exec(`ALTER ROLE ${id(role)} ${enabled ? 'LOGIN' : 'NOLOGIN'}`);
      return true;
    },
    async link(userId, role) {
      if (role !== null) {
        checkRoleName(role);
        const other = await sql.get<{ email: string }>('SELECT email FROM users WHERE db_role = ? AND id <> ?', role, userId);
        if (other) throw new ConflictError(`the database role ${role} is already ${other.email}'s`);
      }
      await sql.run('UPDATE users SET db_role = ? WHERE id = ?', role, userId);
    },
    actAs(userId) {
      sql.actor = userId;
    },
    async check() {
      const tables = await sql.all<{ t: string }>(
        `SELECT c.relname AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = current_schema() AND c.relkind = 'r' AND NOT (c.relrowsecurity AND c.relforcerowsecurity) ORDER BY 1`);
      const groups = await sql.all<{ g: string }>(
        "SELECT crm_role(k) AS g FROM unnest(ARRAY['app', 'admin', 'daemon', 'definer']) k WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = crm_role(k)) ORDER BY 1");
      const users = await sql.all<{ email: string }>(
        `SELECT u.email FROM users u LEFT JOIN pg_roles r ON r.rolname = u.db_role
          WHERE u.active = 1 AND (r.oid IS NULL OR NOT r.rolcanlogin) ORDER BY u.id`);
      return { tablesWithoutRls: tables.map((r) => r.t), missingGroups: groups.map((r) => r.g), usersWithoutLogin: users.map((r) => r.email) };
    },
  };

  return {
    async insert(u) {
      const newId = await sql.insert(
        'INSERT INTO users (name, email, role, manager_id, active, created_at, db_role) VALUES (?, ?, ?, ?, ?, ?, ?)',
        u.name, u.email, u.role, u.managerId, u.active === false ? 0 : 1, u.createdAt, u.dbRole === undefined || u.dbRole === null ? null : checkRoleName(u.dbRole),
      );
      return (await byId(newId))!;
    },
    byId,
    async byEmail(email) {
      const r = await sql.get<UserRow>(`SELECT ${COLS} FROM users WHERE email = ? COLLATE nocase`, email);
      return r && toUser(r);
    },
    async list() {
      return (await sql.all<UserRow>(`SELECT ${COLS} FROM users ORDER BY id`)).map(toUser);
    },
    async update(uid, patch) {
      const map: Record<string, string> = { name: 'name', email: 'email', role: 'role', managerId: 'manager_id', active: 'active' };
      const sets: string[] = [];
      const params: unknown[] = [];
      for (const [k, v] of Object.entries(patch)) {
        if (v === undefined) continue;
        sets.push(`${map[k]} = ?`);
        params.push(typeof v === 'boolean' ? (v ? 1 : 0) : v);
      }
      if (sets.length) await sql.run(`UPDATE users SET ${sets.join(', ')} WHERE id = ?`, ...params, uid);
      return (await byId(uid))!;
    },
    async count() {
      return (await sql.get<{ n: number }>('SELECT count(*) AS n FROM users'))!.n;
    },
    async dbRoles() {
      const rows = await sql.all<{ id: number; db_role: string }>('SELECT id, db_role FROM users WHERE db_role IS NOT NULL');
      return new Map(rows.map((r) => [Number(r.id), r.db_role]));
    },
    logins,
  };
}
