// SCAFFOLD (branch only): pg_dump based backup.
import type { BackupInfo } from '../types.js';
export async function backupPostgres(_store: unknown, _file: string): Promise<BackupInfo> {
  throw new Error('postgres backup not built yet');
}
