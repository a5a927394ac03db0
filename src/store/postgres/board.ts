// SCAFFOLD (branch only, never on main): replaced by the port of src/store/sqlite/board.ts.
import type { PgSql } from './sql.js';
import { notPorted } from './scaffold.js';

export function boardRepo(_sql: PgSql): any {
  return notPorted('boardRepo');
}
