// SCAFFOLD (branch only, never on main): replaced by the port of src/store/sqlite/users.ts.
import type { PgSql } from './sql.js';
import { notPorted } from './scaffold.js';

export function usersRepo(_sql: PgSql): any {
  return notPorted('usersRepo');
}
