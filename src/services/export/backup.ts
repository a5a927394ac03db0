import { existsSync } from 'node:fs';
import { audit } from '../audit/service.js';
import { resolve } from 'node:path';
import { ConflictError } from '../../errors.js';
import { liveHolder } from '../../io/pidlock.js';
import { inspectBackup as inspectStoreBackup, restoreBackup, storeExists, storeFiles } from '../../store/index.js';
import { runningImports } from '../import/locks.js';
import { assertRole } from '../access.js';
import type { ServiceContext } from '../context.js';

/** I2 backup: an online copy of the whole store (safe while the daemon writes). Admins only. */
export async function backupStore(ctx: ServiceContext, file: string, opts: { force?: boolean } = {}) {
  assertRole(ctx.actor, ['admin'], 'back up the store');
  const target = resolve(file);
  if (existsSync(target) && !opts.force) throw new ConflictError(`${target} already exists`, { id: 'backup.force' });
  // Recorded first, so that the backup holds its own entry (and a store restored from it says so).
  await audit(ctx, 'backup', null, { file: target });
  return ctx.store.backup(target);
}

/**
 * A restore swaps the store: a process holding the old one open would go on writing to it
 * (the daemon delivering and taking in leads, an import), and everything it wrote would be lost
 * without a word. So no restore while the store's daemon or one of its imports runs (their lock
 * files are the store's side files).
 */
export function assertNoWriters(location: string): void {
  const files = storeFiles(location);
  const daemon = liveHolder(files.daemon().pid);
  if (daemon) {
    throw new ConflictError(
      `the crm daemon is running for ${location} (pid ${daemon.pid}): what it writes after the restore would be lost`,
      { id: 'daemon.stop-restore' },
    );
  }
  const [importing] = runningImports(files);
  if (importing) {
    throw new ConflictError(`an import into ${location} is running (pid ${importing.pid}, since ${importing.startedAt})`, { id: 'import.wait-restore' });
  }
}

/** I2 restore: checks the file is a crm store of a schema this crm knows and nothing writes to the store, saves the current store beside it, then swaps. */
export async function restoreStore(file: string, location: string, now: Date) {
  assertNoWriters(location);
  return restoreBackup(resolve(file), location, now.toISOString().replace(/[:.]/g, '-'));
}

/** What a backup file holds, checked against the store it would be restored into. */
export async function inspectBackup(file: string, location: string) {
  return inspectStoreBackup(resolve(file), location);
}

/** Whether a store is at `location` already (a file; a database with crm's schema): a restore there replaces it. */
export async function storeAt(location: string): Promise<boolean> {
  return storeExists(location);
}
