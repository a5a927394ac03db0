// SCAFFOLD (branch only, never on main): replaced by the port of src/store/sqlite/imports.ts.
import type { PgSql } from './sql.js';
import { notPorted } from './scaffold.js';

export function importsRepo(_sql: PgSql): any {
  return notPorted('importsRepo');
}

export function maintenanceRepo(_sql: PgSql): any {
  return notPorted('maintenanceRepo');
}
