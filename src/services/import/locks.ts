import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ConflictError } from '../../errors.js';
import { acquirePidLock, liveHolder, type PidInfo } from '../../io/pidlock.js';

/**
 * An import holds `<store>.import-<first 16 hex digits of the file's SHA-256>.lock` beside the
 * store while it runs: the same bytes are never imported into one store twice at once, `crm
 * import list` tells a running import from an interrupted one, and a restore waits for imports.
 */
export function importLockFile(storeFile: string, contentHash: string): string {
  return `${storeFile}.import-${contentHash.slice(0, 16)}.lock`;
}

export function takeImportLock(storeFile: string, contentHash: string, display: string): () => void {
  return acquirePidLock(importLockFile(storeFile, contentHash), { pid: process.pid, startedAt: new Date().toISOString(), db: storeFile }, {
    held: (other) =>
      new ConflictError(
        `${display} is already being imported into this store (pid ${other.pid}, since ${other.startedAt})`,
        { id: 'import.wait' },
      ),
    starting: () => new ConflictError(`${display} is being imported into this store by another process that is just starting`, { id: 'import.wait-starting' }),
  });
}

/** The process importing these bytes into the store, if one is running. */
export function importHolder(storeFile: string, contentHash: string): PidInfo | undefined {
  return liveHolder(importLockFile(storeFile, contentHash));
}

/** Every import running into the store (whatever its file). */
export function runningImports(storeFile: string): PidInfo[] {
  const prefix = `${basename(storeFile)}.import-`;
  let names: string[];
  try {
    names = readdirSync(dirname(storeFile));
  } catch {
    return []; // no directory: no store, no imports
  }
  return names
    .filter((n) => n.startsWith(prefix) && n.endsWith('.lock'))
    .map((n) => liveHolder(join(dirname(storeFile), n)))
    .filter((h): h is PidInfo => h !== undefined);
}
