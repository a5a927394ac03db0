/**
 * Backups of a JSON store are JSON store files themselves (`crm backup` writes one under the
 * store's lock); restoring one checks it by loading it, brings it to this crm's schema, keeps
 * the store it replaces beside it, and writes it over the store atomically.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { NotFoundError } from '../../errors.js';
import { mkdirPrivate } from '../../io/private.js';
import type { BackupInfo, RestoreResult } from '../types.js';
import { writeAtomically } from './file.js';
import { jsonFileInfo, readStore, snapshotText, takeLock } from './index.js';

export async function inspectJsonBackup(file: string): Promise<BackupInfo> {
  if (!existsSync(file)) throw new NotFoundError(`no such file: ${file}`, { id: 'backup.path' });
  return jsonFileInfo(file);
}

export async function restoreJsonBackup(src: string, dest: string, stamp: string): Promise<RestoreResult> {
  const restored = await inspectJsonBackup(src);
  const { db } = readStore(src);
  let text: string;
  try {
    text = snapshotText(db);
  } finally {
    db.close();
  }
  mkdirPrivate(dirname(dest));
  const release = await takeLock(dest, 10_000, () => undefined);
  try {
    let replaced: BackupInfo | null = null;
    let savedAs: string | null = null;
    if (existsSync(dest)) {
      replaced = jsonFileInfo(dest);
      savedAs = `${dest}.before-restore-${stamp}.json`;
      writeAtomically(savedAs, readFileSync(dest, 'utf8'));
    }
    writeAtomically(dest, text);
    return { restored, replaced, savedAs };
  } finally {
    release();
  }
}
