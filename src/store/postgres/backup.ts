/**
 * Backup and restore of a PostgreSQL store with PostgreSQL's own tools: `pg_dump` (custom
 * format) and `pg_restore`, from the PostgreSQL client package, found on PATH.
 *
 * - A backup is one `pg_dump --format=custom` of the store's database, taken in a snapshot this
 *   module exports (pg_export_snapshot): the counts it reports (leads, users, schema version) are
 *   those of exactly the rows dumped. Written under a temporary name (mode 0600: the store holds
 *   secrets) and renamed when complete.
 * - What a backup holds is read from the file itself, nothing beside it: `pg_restore --list`
 *   shows it is a dump of a crm store (its tables), and the data of crm_schema, users and leads
 *   (`pg_restore --data-only`) give the schema version and the counts.
 * - A restore first dumps the database it replaces (the safety copy, in the store's local state
 *   directory), then runs `pg_restore --clean --if-exists --single-transaction --exit-on-error`:
 *   every crm table is dropped and made again from the backup in one transaction, so a restore
 *   that fails changes nothing. The store is then migrated to this crm's schema.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { pgConfig } from './connection.js';
import { ConflictError, NotFoundError, StoreError } from '../../errors.js';
import { mkdirPrivate, touchPrivate } from '../../io/private.js';
import type { BackupInfo, RestoreResult } from '../types.js';
import { parseHolderName } from './events.js';
import { postgresStateDir } from './files.js';
import { SCHEMA_VERSION } from './migrations/index.js';
import { createDatabase, LOCK, openPostgresStore, shownLocation, type PostgresStore } from './index.js';

/** Tables every crm store has: a dump without them is not a crm store's. */
const REQUIRED_TABLES = ['crm_schema', 'settings', 'users', 'stages', 'sources', 'leads', 'lead_emails', 'lead_phones', 'activities'];

const INSTALL = 'install the PostgreSQL client tools, of the server’s major version or newer (Debian/Ubuntu: apt-get install postgresql-client; macOS: brew install libpq), or put them on PATH';

/** The location without its password, and the password for the tool's environment (never on its command line). */
function toolConnection(location: string): { url: string; env: NodeJS.ProcessEnv } {
  const env: NodeJS.ProcessEnv = { ...process.env };
  let url = location;
  try {
    const u = new URL(location);
    if (u.password) {
      env.PGPASSWORD = decodeURIComponent(u.password);
      u.password = '';
      url = u.toString();
    }
  } catch {
    // not a URL libpq would read either: passed as it is
  }
  return { url, env };
}

/** A long option of pg_dump or pg_restore (`--name` or `--name=value`). */
function opt(name: string, value?: string): string {
  const dashes = '-'.repeat(2);
  return value === undefined ? `${dashes}${name}` : `${dashes}${name}=${value}`;
}

interface ToolRun {
  code: number;
  stderr: string;
}

/** Runs a PostgreSQL client tool; a missing tool is a StoreError that names it and how to install it. */
function runTool(tool: 'pg_dump' | 'pg_restore', args: string[], env: NodeJS.ProcessEnv, onStdout?: (chunk: Buffer) => void): Promise<ToolRun> {
  return new Promise((resolvePromise, reject) => {
    let child;
    try {
      child = spawn(tool, args, { env, stdio: ['ignore', onStdout ? 'pipe' : 'ignore', 'pipe'] });
    } catch (err) {
      reject(toolError(tool, err));
      return;
    }
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => {
      if (stderr.length < 64_000) stderr += d.toString('utf8');
    });
    if (onStdout) child.stdout!.on('data', onStdout);
    child.on('error', (err) => reject(toolError(tool, err)));
    child.on('close', (code) => resolvePromise({ code: code ?? 1, stderr }));
  });
}

function toolError(tool: string, err: unknown): StoreError {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'ENOENT') return new StoreError(`${tool} is not installed (not found on PATH): a PostgreSQL store is backed up and restored with pg_dump and pg_restore`, INSTALL);
  return new StoreError(`cannot run ${tool}: ${e.message}`, INSTALL);
}

/** The tool's own words, last lines first-trimmed, for a message. */
function said(stderr: string): string {
  const lines = stderr.trim().split('\n').filter(Boolean);
  return lines.slice(-3).join(' ').replace(/\s+/g, ' ') || 'no reason given';
}

function toolFailed(tool: string, what: string, run: ToolRun): StoreError {
  const text = said(run.stderr);
  if (/server version mismatch|unsupported version/i.test(text)) return new StoreError(`${what}: ${tool} is older than the server (${text})`, INSTALL);
  return new StoreError(`${what}: ${tool} failed (${text})`);
}

async function connect(location: string): Promise<pg.Client> {
  const client = new pg.Client(pgConfig(location, { application_name: 'crm-backup' }));
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/** Counts of the store as one snapshot sees them. */
async function countsOf(c: pg.ClientBase): Promise<{ schemaVersion: number; leads: number; users: number }> {
  const r = await c.query<{ v: number; leads: number; users: number }>(
    'SELECT (SELECT max(version) FROM crm_schema)::int AS v, (SELECT count(*) FROM leads)::int AS leads, (SELECT count(*) FROM users)::int AS users',
  );
  const row = r.rows[0]!;
  return { schemaVersion: row.v, leads: row.leads, users: row.users };
}

/**
 * pg_dump of the database at `location` into `file` (custom format), in a snapshot whose counts
 * are returned with it: through `client` when given (a store's pooled connection), else a new one.
 */
async function dumpDatabase(location: string, file: string, client?: pg.ClientBase): Promise<BackupInfo> {
  const tmp = `${file}.${process.pid}.tmp`;
  const own = client ? undefined : await connect(location);
  const c = client ?? own!;
  let open = false;
  try {
    await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    open = true;
    const snap = (await c.query<{ s: string }>('SELECT pg_export_snapshot() AS s')).rows[0]!.s;
    const counts = await countsOf(c);
    rmSync(tmp, { force: true });
    touchPrivate(tmp);
    const { url, env } = toolConnection(location);
    // Row-level security is forced on every table, its owner included: without this pg_dump
    // refuses (it would dump only what the policies show). An admin's login, the only one that
    // may back up, sees every row and secret under them; a superuser bypasses them anyway.
    const run = await runTool('pg_dump', [opt('format', 'custom'), opt('no-password'), opt('enable-row-security'), opt('snapshot', snap), opt('file', tmp), opt('dbname', url)], env);
    if (run.code !== 0) throw toolFailed('pg_dump', `backing up ${shownLocation(location)} failed`, run);
    renameSync(tmp, file);
    return { file, ...counts, bytes: statSync(file).size };
  } finally {
    if (open) await c.query('COMMIT').catch(() => undefined);
    await own?.end().catch(() => undefined);
    rmSync(tmp, { force: true });
  }
}

/** `crm backup` on PostgreSQL: pg_dump of the store's database, in a snapshot (see the module comment). */
export async function backupPostgres(store: PostgresStore, file: string): Promise<BackupInfo> {
  // A backup is a file: the store's own location (or any URL) is not one to write over.
  if (file === store.location || /^[a-z][a-z0-9+.-]*:\/\//i.test(file)) {
    throw new ConflictError('cannot back up a store onto itself or onto another database', { id: 'backup.path' });
  }
  const client = await store.sql.pool.connect();
  try {
    return await dumpDatabase(store.location, file, client);
  } finally {
    client.release();
  }
}

/** Checks that `file` is a pg_dump of a crm store this crm can restore, and what it holds. */
export async function inspectPostgresBackup(file: string): Promise<BackupInfo> {
  if (!existsSync(file)) throw new NotFoundError(`no such file: ${file}`, { id: 'backup.path' });
  const header = Buffer.alloc(16);
  const fd = openSync(file, 'r');
  let n: number;
  try {
    n = readSync(fd, header, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (n >= 16 && header.toString('latin1') === 'SQLite format 3\0') {
    throw new StoreError(
      `${file} is a backup of an SQLite store; this store is on PostgreSQL`,
      'restore it into an SQLite store file, then copy that store into this database',
    );
  }
  if (n < 5 || header.toString('latin1', 0, 5) !== 'PGDMP') {
    throw new StoreError(`${file} is not a backup of a PostgreSQL crm store (not a pg_dump custom-format file)`, { id: 'backup.file' });
  }
  const list = { out: '' };
  const listed = await runTool('pg_restore', [opt('list'), file], process.env, (d) => {
    list.out += d.toString('utf8');
  });
  if (listed.code !== 0) throw new StoreError(`${file} cannot be read as a PostgreSQL dump: ${said(listed.stderr)}`, { id: 'backup.file' });
  const tables = new Set<string>();
  for (const line of list.out.split('\n')) {
    const m = /^\d+; \d+ \d+ TABLE (\S+) (\S+) /.exec(line);
    if (m) tables.add(m[2]!);
  }
  const missing = REQUIRED_TABLES.filter((t) => !tables.has(t));
  if (missing.length) throw new StoreError(`${file} is a PostgreSQL dump but not of a crm store (no ${missing.join(', ')} table)`, { id: 'backup.file' });

  // The rows of crm_schema, users and leads, as pg_restore writes them (COPY … FROM stdin; one
  // line a row, newlines inside values escaped; `\.` ends a table), counted as they stream by.
  const counts: Record<string, number> = {};
  let versionLine = '';
  let current: string | null = null;
  let rest = '';
  const take = (line: string) => {
    if (current === null) {
      const m = /^COPY (?:[^ ]+\.)?"?([a-z_]+)"? \(/.exec(line);
      if (m) {
        current = m[1]!;
        counts[current] = 0;
      }
    } else if (line === '\\.') {
      current = null;
    } else {
      counts[current]!++;
      if (current === 'crm_schema' && !versionLine) versionLine = line;
    }
  };
  const data = await runTool('pg_restore', [opt('data-only'), opt('table', 'crm_schema'), opt('table', 'users'), opt('table', 'leads'), opt('file', '-'), file], process.env, (d) => {
    const text = rest + d.toString('utf8');
    const lines = text.split('\n');
    rest = lines.pop()!;
    for (const l of lines) take(l);
  });
  if (rest) take(rest);
  if (data.code !== 0) throw new StoreError(`${file} cannot be read as a PostgreSQL dump: ${said(data.stderr)}`, { id: 'backup.file' });
  const version = Number.parseInt(versionLine.split('\t')[0] ?? '', 10);
  if (!Number.isInteger(version) || version < 1) throw new StoreError(`${file} is a dump of a crm store with no schema version`, { id: 'backup.file' });
  if (version > SCHEMA_VERSION) {
    throw new StoreError(`${file} is a crm store of schema version ${version}, newer than this crm understands (${SCHEMA_VERSION})`, 'upgrade crm, then restore');
  }
  return { file, schemaVersion: version, leads: counts.leads ?? 0, users: counts.users ?? 0, bytes: statSync(file).size };
}

/** Whether a crm store is at `location`: the database exists and has crm's schema table. */
export async function postgresDatabaseExists(location: string): Promise<boolean> {
  let c: pg.Client;
  try {
    c = await connect(location);
  } catch (err) {
    if ((err as { code?: string }).code === '3D000') return false;
    throw new StoreError(`cannot connect to ${shownLocation(location)}: ${(err as Error).message}`);
  }
  try {
    return (await c.query<{ ok: boolean }>("SELECT to_regclass('crm_schema') IS NOT NULL AS ok")).rows[0]!.ok;
  } finally {
    await c.end().catch(() => undefined);
  }
}

/**
 * `crm restore` on PostgreSQL (see the module comment): the database of `location` (created when
 * it does not exist) becomes the backup `file`; what it held is saved first as
 * `<state dir>/before-restore-<stamp>.dump`.
 */
export async function restorePostgresBackup(file: string, location: string, stamp: string): Promise<RestoreResult> {
  const restored = await inspectPostgresBackup(file);
  const where = shownLocation(location);
  let replaced: BackupInfo | null = null;
  let savedAs: string | null = null;

  let c: pg.Client | undefined;
  try {
    c = await connect(location);
  } catch (err) {
    if ((err as { code?: string }).code !== '3D000') throw new StoreError(`cannot connect to ${where}: ${(err as Error).message}`);
    // As crm init makes it (collation "C"), not with the server's default collation.
    await createDatabase(location, 'restore again');
  }
  if (c) {
    try {
      const crm = (await c.query<{ ok: boolean }>("SELECT to_regclass('crm_schema') IS NOT NULL AS ok")).rows[0]!.ok;
      if (!crm) {
        const other = (await c.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = current_schema()')).rows[0]!.n;
        if (other > 0) throw new StoreError(`${where} is a PostgreSQL database but not a crm store (it has tables of its own): nothing was restored`, 'restore into a new database, or an empty one');
      } else {
        // The one daemon of a database holds its advisory lock, wherever it runs.
        // (the daemon's lock connection names its holder in application_name: src/store/postgres/events.ts).
        const daemon = await c.query<{ pid: number; name: string | null }>(
          `SELECT l.pid, a.application_name AS name FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND l.classid = $1 AND l.objid = $2 AND l.objsubid = 1 LIMIT 1`,
          [Math.floor(LOCK.daemon / 2 ** 32), LOCK.daemon % 2 ** 32],
        );
        if (daemon.rows.length) {
          const d = daemon.rows[0]!;
          const h = parseHolderName(d.name);
          throw new ConflictError(
            `a daemon is running for ${where} (${h ? `pid ${h.pid} on ${h.host || 'an unnamed host'}` : `database session ${d.pid}`}): what it writes after the restore would be lost`,
            { id: 'daemon.stop-restore' },
          );
        }
        const dir = postgresStateDir(location);
        mkdirPrivate(dir);
        // Never over an earlier safety dump (the one being restored, it may be).
        savedAs = join(dir, `before-restore-${stamp}.dump`);
        for (let i = 2; existsSync(savedAs); i++) savedAs = join(dir, `before-restore-${stamp}-${i}.dump`);
        replaced = await dumpDatabase(location, savedAs);
      }
    } finally {
      await c.end().catch(() => undefined);
    }
  }

  const { url, env } = toolConnection(location);
  // Waits at most a minute for a table another session holds (an open transaction) rather than forever.
  env.PGOPTIONS = `${env.PGOPTIONS ?? ''} -c lock_timeout=60000`.trim();
  const run = await runTool('pg_restore', [opt('clean'), opt('if-exists'), opt('single-transaction'), opt('exit-on-error'), opt('no-password'), opt('dbname', url), file], env);
  if (run.code !== 0) {
    throw toolFailed('pg_restore', `restoring ${file} into ${where} failed, nothing changed${savedAs ? ` (the store as it was is also saved as ${savedAs})` : ''}`, run);
  }
  await (await openPostgresStore(location)).close(); // brings an older backup up to this crm's schema
  return { restored: { ...restored, schemaVersion: SCHEMA_VERSION }, replaced, savedAs };
}

