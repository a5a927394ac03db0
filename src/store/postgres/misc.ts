// SCAFFOLD (branch only, never on main): replaced by the port of src/store/sqlite/misc.ts.
import type { PgSql } from './sql.js';
import { notPorted } from './scaffold.js';

export function activitiesRepo(_sql: PgSql): any {
  return notPorted('activitiesRepo');
}

export function settingsRepo(_sql: PgSql): any {
  return notPorted('settingsRepo');
}
