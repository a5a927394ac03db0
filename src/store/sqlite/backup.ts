import { closeSync, existsSync, openSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type Database from 'better-sqlite3';
import { openDatabase } from './driver.js';
import { ConflictError, NotFoundError, StoreError } from '../../errors.js';
import { mkdirPrivate, touchPrivate } from '../../io/private.js';
import type { BackupInfo, RestoreResult } from '../types.js';
import { SCHEMA_VERSION } from './migrations/index.js';
import { openSqliteStore } from './index.js';

type StoreFileInfo = BackupInfo;

const REQUIRED_TABLES = ['settings', 'users', 'stages', 'sources', 'leads', 'lead_emails', 'lead_phones', 'activities'];

/** Opens a file read-only and checks it is a crm store this version understands; throws a StoreError otherwise. */
export function inspectStoreFile(file: string): StoreFileInfo {
  if (!existsSync(file)) throw new NotFoundError(`no such file: ${file}`, { id: 'backup.path' });
  const header = Buffer.alloc(16);
  const fd = openSync(file, 'r');
  let n: number;
  try {
    n = readSync(fd, header, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (n < 16 || header.toString('latin1') !== 'SQLite format 3\0') {
    throw new StoreError(`${file} is not a crm store (not an SQLite database)`, { id: 'backup.file' });
  }
  // A read-only open of a WAL-mode file (every backup is one) creates its -wal and -shm and
  // cannot remove them on close: those it made are removed after it (if nothing was written).
  const made = ['-wal', '-shm'].filter((s) => !existsSync(`${file}${s}`));
  let db: Database.Database;
  try {
    db = openDatabase(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new StoreError(`cannot open ${file}: ${(err as Error).message}`, { id: 'backup.file' });
  }
  try {
    const version = db.pragma('user_version', { simple: true }) as number;
    const tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name));
    const missing = REQUIRED_TABLES.filter((t) => !tables.has(t));
    if (version === 0 || missing.length) {
      throw new StoreError(`${file} is an SQLite database but not a crm store${missing.length ? ` (no ${missing.join(', ')} table)` : ''}`, { id: 'backup.file' });
    }
    if (version > SCHEMA_VERSION) {
      throw new StoreError(`${file} is a crm store of schema version ${version}, newer than this crm understands (${SCHEMA_VERSION})`, 'upgrade crm, then restore');
    }
    const check = db.pragma('quick_check', { simple: true }) as string;
    if (check !== 'ok') throw new StoreError(`${file} is damaged: ${check}`, 'restore an older backup');
    const count = (t: string) => (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
    return { file, schemaVersion: version, leads: count('leads'), users: count('users'), bytes: statSync(file).size };
  } catch (err) {
    if (err instanceof StoreError) throw err;
    throw new StoreError(`${file} cannot be read as a crm store: ${(err as Error).message}`, { id: 'backup.file' });
  } finally {
    db.close();
    removeSideFiles(file, made);
  }
}

/** Removes the -wal/-shm a read-only open made, unless the WAL holds something (another process writing). */
function removeSideFiles(file: string, made: string[]): void {
  if (!made.includes('-wal')) return;
  try {
    if (statSync(`${file}-wal`).size > 0) return;
  } catch {
    // no -wal: nothing in it
  }
  for (const s of made) rmSync(`${file}${s}`, { force: true });
}

/**
 * Replaces the store at `dest` with the backup `src`, never leaving `dest` half-written: the
 * backup is copied (SQLite's backup API) and migrated in a temporary file beside `dest`, the
 * current store is saved next to it, then the temporary file is renamed over it.
 */
export async function restoreStoreFile(src: string, dest: string, stamp: string): Promise<RestoreResult> {
  const restored = inspectStoreFile(src);
  const made = ['-wal', '-shm'].filter((s) => !existsSync(`${src}${s}`));
  mkdirPrivate(dirname(dest));
  const tmp = `${dest}.restore-${process.pid}.tmp`;
  const clean = () => ['', '-wal', '-shm'].forEach((s) => rmSync(`${tmp}${s}`, { force: true }));
  try {
    // Each copy is made into an empty file created 0600: SQLite would create it 0644.
    clean();
    touchPrivate(tmp);
    const source = openDatabase(src, { readonly: true, fileMustExist: true });
    try {
      await source.backup(tmp);
    } finally {
      source.close();
    }
    await openSqliteStore(tmp).close(); // brings an older backup up to this crm's schema
    let replaced: StoreFileInfo | null = null;
    let savedAs: string | null = null;
    if (existsSync(dest)) {
      replaced = inspectStoreFile(dest);
      savedAs = `${dest}.before-restore-${stamp}.db`;
      touchPrivate(savedAs);
      const current = openDatabase(dest, { fileMustExist: true });
      try {
        await current.backup(savedAs);
        current.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        current.close();
      }
    }
    renameSync(tmp, dest);
    for (const s of ['-wal', '-shm']) rmSync(`${dest}${s}`, { force: true });
    return { restored: { ...restored, schemaVersion: SCHEMA_VERSION }, replaced, savedAs };
  } finally {
    clean();
    removeSideFiles(src, made);
  }
}

/** A consistent copy of a live store (SQLite's online backup API), written to a temporary name and renamed when complete. */
export async function backupStoreFile(db: Database.Database, location: string, file: string): Promise<StoreFileInfo> {
  if (resolve(file) === resolve(location)) throw new ConflictError('the backup cannot be the store itself', 'choose another file name');
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    touchPrivate(tmp);
    await db.backup(tmp);
    const info = inspectStoreFile(tmp);
    renameSync(tmp, file);
    return { ...info, file };
  } finally {
    for (const s of ['', '-wal', '-shm']) rmSync(`${tmp}${s}`, { force: true });
  }
}
