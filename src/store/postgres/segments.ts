// SCAFFOLD (branch only, never on main): replaced by the port of src/store/sqlite/segments.ts.
import type { PgSql } from './sql.js';
import { notPorted } from './scaffold.js';

export function campaignsRepo(_sql: PgSql): any {
  return notPorted('campaignsRepo');
}

export function segmentsRepo(_sql: PgSql): any {
  return notPorted('segmentsRepo');
}
