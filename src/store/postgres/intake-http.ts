// SCAFFOLD (branch only, never on main): replaced by the port of src/store/sqlite/intake-http.ts.
import type { PgSql } from './sql.js';
import { notPorted } from './scaffold.js';

export function inboundMessagesRepo(_sql: PgSql): any {
  return notPorted('inboundMessagesRepo');
}

export function intakeFormsRepo(_sql: PgSql): any {
  return notPorted('intakeFormsRepo');
}

export function intakeLogRepo(_sql: PgSql): any {
  return notPorted('intakeLogRepo');
}
