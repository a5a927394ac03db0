// SCAFFOLD (branch only, never on main): replaced by the port of src/store/sqlite/outbox.ts.
import type { PgSql } from './sql.js';
import { notPorted } from './scaffold.js';

export function inboxRepo(_sql: PgSql): any {
  return notPorted('inboxRepo');
}

export function jobsRepo(_sql: PgSql): any {
  return notPorted('jobsRepo');
}

export function optOutsRepo(_sql: PgSql): any {
  return notPorted('optOutsRepo');
}

export function outboxRepo(_sql: PgSql): any {
  return notPorted('outboxRepo');
}

export function remindersRepo(_sql: PgSql): any {
  return notPorted('remindersRepo');
}

export function reportSchedulesRepo(_sql: PgSql): any {
  return notPorted('reportSchedulesRepo');
}

export function ruleMarksRepo(_sql: PgSql): any {
  return notPorted('ruleMarksRepo');
}

export function userPhonesRepo(_sql: PgSql): any {
  return notPorted('userPhonesRepo');
}
