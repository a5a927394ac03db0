// SCAFFOLD (branch only, never on main): replaced by the port of src/store/sqlite/mailbox.ts.
import type { PgSql } from './sql.js';
import { notPorted } from './scaffold.js';

export function mailboxesRepo(_sql: PgSql): any {
  return notPorted('mailboxesRepo');
}
