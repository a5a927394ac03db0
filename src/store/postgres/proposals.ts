// SCAFFOLD (branch only, never on main): replaced by the port of src/store/sqlite/proposals.ts.
import type { PgSql } from './sql.js';
import { notPorted } from './scaffold.js';

export function proposalsRepo(_sql: PgSql): any {
  return notPorted('proposalsRepo');
}

export function proposalTemplatesRepo(_sql: PgSql): any {
  return notPorted('proposalTemplatesRepo');
}
