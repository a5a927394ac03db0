import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { StoreFiles } from '../types.js';

/**
 * An SQLite store's side files sit beside the store file, named after it (one daemon per store,
 * and running daemons, scripts and older crm versions find them there): `<store>.daemon.pid`,
 * `.daemon.log`, `.daemon.http.json`, `daemon.env` in the same directory, and
 * `<store>.import-<first 16 hex digits of the file's SHA-256>.lock`.
 */
export function sqliteFiles(file: string): StoreFiles {
  const importPrefix = `${basename(file)}.import-`;
  const daemon = () => ({ pid: `${file}.daemon.pid`, log: `${file}.daemon.log`, http: `${file}.daemon.http.json`, env: join(dirname(file), 'daemon.env') });
  return {
    daemon,
    importLock: (contentHash) => `${file}.import-${contentHash.slice(0, 16)}.lock`,
    importLocks() {
      let names: string[];
      try {
        names = readdirSync(dirname(file));
      } catch {
        return []; // no directory: no store, no imports
      }
      return names.filter((n) => n.startsWith(importPrefix) && n.endsWith('.lock')).map((n) => join(dirname(file), n));
    },
    privatePaths() {
      const d = daemon();
      return [dirname(file), file, `${file}-wal`, `${file}-shm`, d.pid, d.log, d.http, d.env];
    },
  };
}
