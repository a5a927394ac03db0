// SCAFFOLD (branch only, never on main): replaced by the port of src/store/sqlite/appointments.ts.
import type { PgSql } from './sql.js';
import { notPorted } from './scaffold.js';

export function appointmentsRepo(_sql: PgSql): any {
  return notPorted('appointmentsRepo');
}
