import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { mkdirPrivate } from '../../io/private.js';
import type { StoreFiles } from '../types.js';

/**
 * A PostgreSQL store keeps its side files on this machine, in a state directory named after the
 * database (host, port and database name; not the user: every login of a team on this machine
 * shares them): `$CRM_HOME/stores/<id>/` or `${XDG_STATE_HOME:-~/.local/state}/crm/stores/<id>/`,
 * where `<id>` is the first 16 hex digits of the SHA-256 of `host:port/database`. The daemon's pid file here only tells
 * `crm daemon stop` which local process to signal; one daemon per database is enforced by an
 * advisory lock in the database itself.
 */
export function postgresStateDir(location: string, env: Record<string, string | undefined> = process.env): string {
  const id = createHash('sha256').update(databaseKey(location, env)).digest('hex').slice(0, 16);
  const base = env.CRM_HOME
    ? join(resolve(env.CRM_HOME), 'stores')
    : join(env.XDG_STATE_HOME || join(env.HOME || homedir(), '.local', 'state'), 'crm', 'stores');
  return join(base, id);
}

export function postgresFiles(location: string): StoreFiles {
  // Named on first use, from the environment as it is now: the hash loads node:crypto (~3 ms),
  // and most commands (lead show, list, add…) never ask for these files.
  const env = { ...process.env };
  let named: string | undefined;
  const dir = (): string => {
    if (named === undefined) {
      named = postgresStateDir(location, env);
      // Private (it holds the daemon's secrets too), and there as soon as anything in it is named,
      // as an SQLite store's directory exists with its file.
      mkdirPrivate(named);
    }
    return named;
  };
  const daemon = () => ({ pid: join(dir(), 'daemon.pid'), log: join(dir(), 'daemon.log'), http: join(dir(), 'daemon.http.json'), env: join(dir(), 'daemon.env') });
  return {
    daemon,
    importLock(contentHash) {
      return join(dir(), `import-${contentHash.slice(0, 16)}.lock`);
    },
    importLocks() {
      try {
        return readdirSync(dir()).filter((n) => n.startsWith('import-') && n.endsWith('.lock')).map((n) => join(dir(), n));
      } catch {
        return [];
      }
    },
    privatePaths() {
      const d = daemon();
      return [dir(), d.pid, d.log, d.http, d.env];
    },
  };
}

/** `host:port/database` of a postgres:// location, with libpq's defaults (PGHOST, PGPORT, PGDATABASE, the user name). */
export function databaseKey(location: string, env: Record<string, string | undefined> = process.env): string {
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    return location;
  }
  const q = url.searchParams;
  const user = decodeURIComponent(url.username) || q.get('user') || env.PGUSER || env.USER || '';
  const host = decodeURIComponent(url.hostname) || q.get('host') || env.PGHOST || 'localhost';
  const port = url.port || q.get('port') || env.PGPORT || '5432';
  const db = decodeURIComponent(url.pathname.replace(/^\//, '')) || q.get('dbname') || env.PGDATABASE || user;
  return `${host}:${port}/${db}`;
}
