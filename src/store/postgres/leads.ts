// SCAFFOLD (branch only, never on main): replaced by the port of src/store/sqlite/leads.ts.
import type { PgSql } from './sql.js';
import { notPorted } from './scaffold.js';

export function leadsRepo(_sql: PgSql): any {
  return notPorted('leadsRepo');
}
