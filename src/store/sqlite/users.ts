import type { Role, User } from '../../domain/users.js';
import type { Store } from '../types.js';
import type { Sql } from './index.js';

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
  return { id: r.id, name: r.name, email: r.email, role: r.role, managerId: r.manager_id, active: r.active === 1, createdAt: r.created_at };
}

export function usersRepo(sql: Sql): Store['users'] {
  const byId = async (id: number) => {
    const r = sql.get<UserRow>(`SELECT ${COLS} FROM users WHERE id = ?`, id);
    return r && toUser(r);
  };
  return {
    async insert(u) {
      const res = sql.run(
        'INSERT INTO users (name, email, role, manager_id, active, created_at) VALUES (?, ?, ?, ?, ?, ?)',
        u.name, u.email, u.role, u.managerId, u.active === false ? 0 : 1, u.createdAt,
      );
      return (await byId(Number(res.lastInsertRowid)))!;
    },
    byId,
    async byEmail(email) {
      const r = sql.get<UserRow>(`SELECT ${COLS} FROM users WHERE email = ? COLLATE NOCASE`, email);
      return r && toUser(r);
    },
    async list() {
      return sql.all<UserRow>(`SELECT ${COLS} FROM users ORDER BY id`).map(toUser);
    },
    async update(id, patch) {
      const map: Record<string, string> = { name: 'name', email: 'email', role: 'role', managerId: 'manager_id', active: 'active' };
      const sets: string[] = [];
      const params: unknown[] = [];
      for (const [k, v] of Object.entries(patch)) {
        if (v === undefined) continue;
        sets.push(`${map[k]} = ?`);
        params.push(typeof v === 'boolean' ? (v ? 1 : 0) : v);
      }
      if (sets.length) sql.db.prepare(`UPDATE users SET ${sets.join(', ')} WHERE id = ?`).run(...params, id);
      return (await byId(id))!;
    },
    async count() {
      return sql.get<{ n: number }>('SELECT count(*) AS n FROM users')!.n;
    },
    // No database logins: whoever can write the file is every user (the caller names who acts).
    async dbRoles() {
      return new Map();
    },
    logins: null,
  };
}
