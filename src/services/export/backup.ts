import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConflictError } from '../../errors.js';
import { assertRole } from '../access.js';
import type { ServiceContext } from '../context.js';

/** I2 backup: SQLite's online backup of the whole store (safe while the daemon writes). Admins only. */
export async function backupStore(ctx: ServiceContext, file: string, opts: { force?: boolean } = {}) {
  assertRole(ctx.actor, ['admin'], 'back up the store');
  const target = resolve(file);
  if (existsSync(target) && !opts.force) throw new ConflictError(`${target} already exists`, 'choose another name, or pass --force to overwrite it');
  if (target === resolve(ctx.store.location)) throw new ConflictError('the backup cannot be the store itself', 'choose another file name');
  const { backupStoreFile } = await import('../../store/sqlite/backup.js');
  return backupStoreFile(ctx.store, target);
}

/** I2 restore: checks the file is a crm store of a schema this crm knows, saves the current store beside it, then swaps. */
export async function restoreStore(file: string, dest: string, now: Date) {
  const { restoreStoreFile } = await import('../../store/sqlite/backup.js');
  return restoreStoreFile(resolve(file), dest, now.toISOString().replace(/[:.]/g, '-'));
}

export async function inspectBackup(file: string) {
  const { inspectStoreFile } = await import('../../store/sqlite/backup.js');
  return inspectStoreFile(resolve(file));
}
