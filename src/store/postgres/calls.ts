// SCAFFOLD (branch only, never on main): replaced by the port of src/store/sqlite/calls.ts.
import type { PgSql } from './sql.js';
import { notPorted } from './scaffold.js';

export function callsRepo(_sql: PgSql): any {
  return notPorted('callsRepo');
}
