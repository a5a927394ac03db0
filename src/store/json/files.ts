import { sqliteFiles } from '../sqlite/files.js';
import type { StoreFiles } from '../types.js';

export interface JsonFiles extends StoreFiles {
  /** The in-memory database saved for the file's current version (src/store/json/index.ts). */
  cache: string;
}

/** A JSON store's side files: an SQLite store file's (daemon, import locks) and its cache, beside it. */
export function jsonFiles(file: string): JsonFiles {
  const base = sqliteFiles(file);
  const cache = `${file}.cache`;
  return { ...base, cache, privatePaths: () => [...base.privatePaths().filter((p) => !p.endsWith('-wal') && !p.endsWith('-shm')), cache] };
}
