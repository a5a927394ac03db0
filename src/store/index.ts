/**
 * The store layer's front door: opens a store by its location (`--db`, `CRM_DB`, the config
 * file), names its side files, inspects and restores backups. The only place outside a backend
 * folder that knows which backends exist; each backend's module is loaded on first use (the
 * SQLite one loads better-sqlite3, which `crm --help` must not pay for).
 */
import { ConflictError, StoreError } from '../errors.js';
import { databaseKey, postgresFiles } from './postgres/files.js';
import { sqliteFiles } from './sqlite/files.js';
import { jsonFiles } from './json/files.js';
import type { CopyBackend, CopyOptions, CopyResult } from './copy.js';
import type { BackupInfo, RestoreResult, Store, StoreFiles } from './types.js';

export interface OpenStoreOptions {
  /** Create the store if it does not exist (only `crm init` does). */
  create?: boolean;
  busyTimeoutMs?: number;
}

type Backend = 'sqlite' | 'postgres' | 'json';

/** A location with a scheme (`postgres://…`), as opposed to a file path. */
export function isUrlLocation(location: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(location);
}

/** A location fit for messages: a URL's password is never printed. */
export function shown(location: string): string {
  return location.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/@:]*):[^/@]*@/i, '$1:***@');
}

/** Which backend serves a location; a backend this version does not have is refused here, before anything is opened or created. */
function backendOf(location: string): Backend {
  if (/^postgres(ql)?:\/\//i.test(location)) return 'postgres';
  if (/\.json$/i.test(location)) return 'json';
  if (isUrlLocation(location)) {
    throw new StoreError(`${shown(location)}: no store backend for this kind of location`, 'use an SQLite store file (a path such as ~/crm/crm.db), a JSON store file (~/crm/crm.json) or a PostgreSQL URL (postgres://user@host/database)');
  }
  return 'sqlite';
}

export async function openStore(location: string, options: OpenStoreOptions = {}): Promise<Store> {
  const backend = backendOf(location);
  if (backend === 'postgres') {
    const { openPostgresStore } = await import('./postgres/index.js');
    return openPostgresStore(location, { create: options.create });
  }
  if (backend === 'json') {
    const { openJsonStore } = await import('./json/index.js');
    return openJsonStore(location, options);
  }
  const { openSqliteStore } = await import('./sqlite/index.js');
  return openSqliteStore(location, options);
}

/** The side files of the store at `location` (daemon, import locks), without opening it: `crm daemon stop` and `crm restore` work on a store they do not open. */
export function storeFiles(location: string): StoreFiles {
  const backend = backendOf(location);
  return backend === 'postgres' ? postgresFiles(location) : backend === 'json' ? jsonFiles(location) : sqliteFiles(location);
}

/** Checks that `file` is a backup a store at `location` can be restored from, and what it holds. */
export async function inspectBackup(file: string, location: string): Promise<BackupInfo> {
  if (backendOf(location) === 'postgres') {
    const { inspectPostgresBackup } = await import('./postgres/backup.js');
    return inspectPostgresBackup(file);
  }
  if (backendOf(location) === 'json') {
    const { inspectJsonBackup } = await import('./json/backup.js');
    return inspectJsonBackup(file);
  }
  const { inspectStoreFile } = await import('./sqlite/backup.js');
  return inspectStoreFile(file);
}

/**
 * Replaces the store at `location` with the backup `file` (brought up to this crm's schema); the
 * store replaced is kept as a backup named with `stamp`. Not a method of a handle: the store is
 * swapped under it, so nothing may hold it open — the caller closes its handle and checks that
 * no daemon or import holds the store's side files.
 */
export async function restoreBackup(file: string, location: string, stamp: string): Promise<RestoreResult> {
  if (backendOf(location) === 'postgres') {
    const { restorePostgresBackup } = await import('./postgres/backup.js');
    return restorePostgresBackup(file, location, stamp);
  }
  if (backendOf(location) === 'json') {
    const { restoreJsonBackup } = await import('./json/backup.js');
    return restoreJsonBackup(file, location, stamp);
  }
  const { restoreStoreFile } = await import('./sqlite/backup.js');
  return restoreStoreFile(file, location, stamp);
}

/** Whether a store (or, for a server, a database) is at `location` already: a restore there replaces one. */
export async function storeExists(location: string): Promise<boolean> {
  if (backendOf(location) === 'postgres') {
    const { postgresDatabaseExists } = await import('./postgres/backup.js');
    return postgresDatabaseExists(location);
  }
  const { existsSync } = await import('node:fs');
  return existsSync(location);
}

async function copyBackend(location: string): Promise<CopyBackend> {
  if (backendOf(location) === 'postgres') return (await import('./postgres/tables.js')).postgresCopyBackend;
  if (backendOf(location) === 'json') return (await import('./json/tables.js')).jsonCopyBackend;
  return (await import('./sqlite/tables.js')).sqliteCopyBackend;
}

/**
 * Copies every record of the store at `from` into a new or empty store at `to`, of either
 * backend, ids kept, row counts checked (src/store/copy.ts). A ConflictError if `to` holds
 * records, or is `from` itself.
 */
export async function copyStore(from: string, to: string, options: CopyOptions = {}): Promise<CopyResult> {
  const toFile = backendOf(to) !== 'postgres';
  const { resolve } = await import('node:path');
  const target = toFile ? resolve(to) : to;
  const same = toFile ? backendOf(from) !== 'postgres' && resolve(from) === target : backendOf(from) === 'postgres' && databaseKey(from) === databaseKey(to);
  if (same) throw new ConflictError('a store cannot be copied onto itself', 'name a new SQLite file or another, empty database as the target');
  const { copyTables } = await import('./copy.js');
  return copyTables(
    {
      from: { location: from, shown: shown(from), backend: await copyBackend(from) },
      to: { location: target, shown: shown(target), backend: await copyBackend(target), file: toFile },
    },
    options,
  );
}

