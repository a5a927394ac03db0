// SCAFFOLD (branch only, never on main): replaced by the port of src/store/sqlite/routing.ts.
import type { PgSql } from './sql.js';
import { notPorted } from './scaffold.js';

export function routingRepo(_sql: PgSql): any {
  return notPorted('routingRepo');
}

export function scoringRepo(_sql: PgSql): any {
  return notPorted('scoringRepo');
}

export function welcomeRepo(_sql: PgSql): any {
  return notPorted('welcomeRepo');
}
