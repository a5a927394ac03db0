// SCAFFOLD (branch only, never on main): replaced by the port of src/store/sqlite/reports.ts.
import type { PgSql } from './sql.js';
import { notPorted } from './scaffold.js';

export function reportsRepo(_sql: PgSql): any {
  return notPorted('reportsRepo');
}
