import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { daemonFiles, runningDaemon } from '../../daemon/files.js';
import { ConflictError } from '../../errors.js';
import { runningImports } from '../import/locks.js';
import { assertRole } from '../access.js';
import type { ServiceContext } from '../context.js';

/** I2 backup: SQLite's online backup of the whole store (safe while the daemon writes). Admins only. */
export async function backupStore(ctx: ServiceContext, file: string, opts: { force?: boolean } = {}) {
  assertRole(ctx.actor, ['admin'], 'back up the store');
  const target = resolve(file);
  if (existsSync(target) && !opts.force) throw new ConflictError(`${target} already exists`, { id: 'backup.force' });
  if (target === resolve(ctx.store.location)) throw new ConflictError('the backup cannot be the store itself', 'choose another file name');
  const { backupStoreFile } = await import('../../store/sqlite/backup.js');
  return backupStoreFile(ctx.store, target);
}

/**
 * A restore swaps the store file: a process holding the old one open would go on writing to it
 * (the daemon delivering and taking in leads, an import), and everything it wrote would be lost
 * without a word. So no restore while the store's daemon or one of its imports runs.
 */
export function assertNoWriters(dest: string): void {
  const daemon = runningDaemon(daemonFiles(dest).pid);
  if (daemon) {
    throw new ConflictError(
      `the crm daemon is running for ${dest} (pid ${daemon.pid}): what it writes after the restore would be lost`,
      { id: 'daemon.stop-restore' },
    );
  }
  const [importing] = runningImports(dest);
  if (importing) {
    throw new ConflictError(`an import into ${dest} is running (pid ${importing.pid}, since ${importing.startedAt})`, { id: 'import.wait-restore' });
  }
}

/** I2 restore: checks the file is a crm store of a schema this crm knows and nothing writes to the store, saves the current store beside it, then swaps. */
export async function restoreStore(file: string, dest: string, now: Date) {
  assertNoWriters(dest);
  const { restoreStoreFile } = await import('../../store/sqlite/backup.js');
  return restoreStoreFile(resolve(file), dest, now.toISOString().replace(/[:.]/g, '-'));
}

export async function inspectBackup(file: string) {
  const { inspectStoreFile } = await import('../../store/sqlite/backup.js');
  return inspectStoreFile(resolve(file));
}
