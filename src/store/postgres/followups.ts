// SCAFFOLD (branch only, never on main): replaced by the port of src/store/sqlite/followups.ts.
import type { PgSql } from './sql.js';
import { notPorted } from './scaffold.js';

export function followUpRulesRepo(_sql: PgSql): any {
  return notPorted('followUpRulesRepo');
}

export function followUpSeriesRepo(_sql: PgSql): any {
  return notPorted('followUpSeriesRepo');
}

export function followUpsRepo(_sql: PgSql): any {
  return notPorted('followUpsRepo');
}
