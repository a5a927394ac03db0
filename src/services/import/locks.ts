import { ConflictError } from '../../errors.js';
import { acquirePidLock, liveHolder, type PidInfo } from '../../io/pidlock.js';
import type { StoreFiles } from '../../store/types.js';

/**
 * An import holds its store's import lock for its bytes (StoreFiles.importLock) while it runs:
 * the same bytes are never imported into one store twice at once, `crm import list` tells a
 * running import from an interrupted one, and a restore waits for imports.
 */
export function takeImportLock(files: StoreFiles, location: string, contentHash: string, display: string): () => void {
  return acquirePidLock(files.importLock(contentHash), { pid: process.pid, startedAt: new Date().toISOString(), db: location }, {
    held: (other) =>
      new ConflictError(
        `${display} is already being imported into this store (pid ${other.pid}, since ${other.startedAt})`,
        { id: 'import.wait' },
      ),
    starting: () => new ConflictError(`${display} is being imported into this store by another process that is just starting`, { id: 'import.wait-starting' }),
  });
}

/** The process importing these bytes into the store, if one is running. */
export function importHolder(files: StoreFiles, contentHash: string): PidInfo | undefined {
  return liveHolder(files.importLock(contentHash));
}

/** Every import running into the store (whatever its file); a lock left by a process that died is not one. */
export function runningImports(files: StoreFiles): PidInfo[] {
  return files.importLocks().map((f) => liveHolder(f)).filter((h): h is PidInfo => h !== undefined);
}
