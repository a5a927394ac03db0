/**
 * Raw table access to a JSON store for `copyTables` (src/store/copy.ts): the document loaded into
 * an in-memory database of its own, read or written through the SQLite backend's table access;
 * a writer holds the file's lock from its opening to its closing and writes the document whole
 * at the commit.
 */
import type { CopyBackend } from '../copy.js';
import { SqliteTables } from '../sqlite/tables.js';
import type { Db } from '../sqlite/index.js';
import { openJsonStore, readStore, snapshotText, takeLock } from './index.js';
import { writeAtomically } from './file.js';

class JsonTables extends SqliteTables {
  constructor(db: Db, private readonly file: string, private readonly release: () => void) {
    super(db);
  }
  override async commit(): Promise<void> {
    writeAtomically(this.file, snapshotText(this.db));
    await super.commit();
  }
  override async close(): Promise<void> {
    try {
      await super.close();
    } finally {
      this.release();
    }
  }
}

export const jsonCopyBackend: CopyBackend = {
  async prepare(location, create) {
    await (await openJsonStore(location, { create })).close();
  },
  async reader(location) {
    const release = await takeLock(location, 10_000, () => undefined);
    let db: Db;
    try {
      db = readStore(location).db;
    } finally {
      release();
    }
    const t = new SqliteTables(db);
    t.snapshot();
    return t;
  },
  async writer(location) {
    const release = await takeLock(location, 10_000, () => undefined);
    try {
      return new JsonTables(readStore(location).db, location, release);
    } catch (err) {
      release();
      throw err;
    }
  },
};
