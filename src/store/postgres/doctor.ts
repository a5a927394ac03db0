/**
 * `doctor` on a PostgreSQL store (Store.checkup): the connection and the server's version, row-level
 * security in force on every table, the store's group roles, who holds the daemon lock.
 */
import type { DaemonHolder, StoreCheck } from '../types.js';
import { shownLocation } from './index.js';
import type { PgSql } from './sql.js';

/** The oldest server crm runs on: 13 (gen_random_uuid in core, EXECUTE FUNCTION triggers, deterministic=false ICU collations). */
export const MIN_SERVER_VERSION = 130000;

/** The group roles every store has (migration 0002: `<database>_crm_<kind>`). */
const GROUPS = ['app', 'admin', 'daemon'] as const;

/** Tables that hold no record of anyone: the schema version only. */
const NO_ROWS_TO_HIDE = new Set(['crm_schema']);

export async function checkupPostgres(sql: PgSql, location: string, holder: () => Promise<DaemonHolder | null>): Promise<StoreCheck[]> {
  const checks: StoreCheck[] = [];
  const server = (await sql.get<{ v: string; n: number; usr: string; db: string }>(
    "SELECT current_setting('server_version') AS v, current_setting('server_version_num')::int AS n, session_user::text AS usr, current_database()::text AS db",
  ))!;
  const version = `PostgreSQL ${server.v.split(' ')[0]}`;
  checks.push(server.n >= MIN_SERVER_VERSION
    ? { check: 'server', ok: true, detail: `${version} at ${shownLocation(location)}, connected as ${server.usr}` }
    : { check: 'server', ok: false, detail: `${version} at ${shownLocation(location)} is too old: PostgreSQL 13 or later is needed; upgrade the server` });

  const tables = await sql.all<{ name: string; rls: boolean; forced: boolean }>(
    `SELECT c.relname::text AS name, c.relrowsecurity AS rls, c.relforcerowsecurity AS forced
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') ORDER BY c.relname`,
  );
  const open = tables.filter((t) => !NO_ROWS_TO_HIDE.has(t.name) && !(t.rls && t.forced));
  const guarded = tables.length - open.length;
  checks.push(open.length === 0
    ? { check: 'rls', ok: true, detail: `row-level security enabled and forced on all ${guarded} tables` }
    : {
      check: 'rls', ok: false,
      detail: `row-level security is not in force on ${open.length} of ${tables.length} tables (${open.slice(0, 8).map((t) => `${t.name}: ${t.rls ? 'not forced' : 'off'}`).join(', ')}${open.length > 8 ? ', …' : ''}): any login sees every row of them; the store's migration 2 (row security) must be run by its owner`,
    });

  const roles = await sql.all<{ kind: string; name: string; present: boolean }>(
    `SELECT k AS kind, (current_database() || '_crm_' || k)::name::text AS name,
            EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = (current_database() || '_crm_' || k)::name) AS present
       FROM unnest(?::text[]) AS k`,
    [...GROUPS],
  );
  const missing = roles.filter((r) => !r.present);
  checks.push(missing.length === 0
    ? { check: 'roles', ok: true, detail: `group roles present: ${roles.map((r) => r.name).join(', ')}` }
    : { check: 'roles', ok: true, warn: true, detail: `group role(s) missing: ${missing.map((r) => r.name).join(', ')}; users cannot be given logins until they exist (they are made by migration 2 run by a role with CREATEROLE)` });

  const h = await holder();
  checks.push(h
    ? { check: 'daemon', ok: true, detail: `the daemon lock is held by pid ${h.pid} on ${h.host}${h.startedAt ? `, since ${h.startedAt}` : ''}` }
    : { check: 'daemon', ok: true, warn: true, detail: 'no daemon holds the lock: notifications are not delivered and jobs do not run until one starts' });
  return checks;
}
