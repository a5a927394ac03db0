// SCAFFOLD (branch only, never on main): replaced by the port of src/store/sqlite/intake.ts.
import type { PgSql } from './sql.js';
import { notPorted } from './scaffold.js';

export function marketplacesRepo(_sql: PgSql): any {
  return notPorted('marketplacesRepo');
}

export function roundRobinRepo(_sql: PgSql): any {
  return notPorted('roundRobinRepo');
}
