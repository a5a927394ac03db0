/**
 * Raw table access to an SQLite store for `copyTables` (src/store/copy.ts): a connection of its
 * own, opened on a store that openSqliteStore has already brought to the current schema.
 */
import type Database from 'better-sqlite3';
import { openDatabase } from './driver.js';
import { StoreError } from '../../errors.js';
import type { CopyBackend, TableReader, TableShape, TableWriter } from '../copy.js';
import { openSqliteStore } from './index.js';

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

function shapes(db: Database.Database): TableShape[] {
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")
    .all() as { name: string }[];
  return tables.map(({ name }) => {
    const cols = db.prepare(`SELECT name, pk FROM pragma_table_info(?) ORDER BY cid`).all(name) as { name: string; pk: number }[];
    const fks = db.prepare(`SELECT "table" AS ref, "from" AS col FROM pragma_foreign_key_list(?)`).all(name) as { ref: string; col: string }[];
    const key = cols.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
    return {
      name,
      columns: cols.map((c) => c.name),
      refs: [...new Set(fks.filter((f) => f.ref !== name).map((f) => f.ref))],
      selfRefs: [...new Set(fks.filter((f) => f.ref === name).map((f) => f.col))],
      key: key.length ? key : ['rowid'],
    };
  });
}

/** A value read from PostgreSQL as SQLite keeps it (booleans 0/1, times and JSON as text). */
function sqliteValue(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return v.toISOString();
  if (Buffer.isBuffer(v)) return v;
  if (typeof v === 'object') return JSON.stringify(v);
  return v;
}

export class SqliteTables implements TableReader, TableWriter {
  private triggers: { name: string; sql: string }[] = [];
  constructor(protected db: Database.Database) {}

  async tables(): Promise<TableShape[]> {
    return shapes(this.db);
  }
  async count(table: string): Promise<number> {
    return (this.db.prepare(`SELECT count(*) AS n FROM ${q(table)}`).get() as { n: number }).n;
  }

  /** A read transaction: every read after the first sees the same snapshot (WAL). */
  snapshot(): void {
    this.db.exec('BEGIN');
    this.db.prepare('SELECT count(*) FROM sqlite_master').get();
  }

  async *rows(table: TableShape, columns: string[], batch: number): AsyncIterable<unknown[][]> {
    const order = table.key.map(q).join(', ');
    const stmt = this.db.prepare(`SELECT ${columns.map(q).join(', ')} FROM ${q(table.name)} ORDER BY ${order}`).raw(true);
    let rows: unknown[][] = [];
    for (const row of stmt.iterate() as Iterable<unknown[]>) {
      rows.push(row);
      if (rows.length >= batch) {
        // iterate() holds the statement: the batch is handed over as it is, the next one built anew.
        yield rows;
        rows = [];
      }
    }
    if (rows.length) yield rows;
  }

  async begin(): Promise<void> {
    // Foreign keys stay on: rows go in in reference order. The store's triggers (derived
    // tables kept up to date) are dropped inside the transaction and made again before the
    // commit, as a bulk import does: the derived tables are copied as they are.
    this.db.exec('BEGIN IMMEDIATE');
    this.triggers = this.db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name").all() as { name: string; sql: string }[];
    for (const t of this.triggers) this.db.exec(`DROP TRIGGER ${q(t.name)}`);
  }
  async clear(table: string): Promise<void> {
    this.db.prepare(`DELETE FROM ${q(table)}`).run();
  }
  async insert(table: TableShape, columns: string[], rows: unknown[][]): Promise<void> {
    const stmt = this.db.prepare(`INSERT INTO ${q(table.name)} (${columns.map(q).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
    for (const row of rows) stmt.run(row.map(sqliteValue));
  }
  async update(table: TableShape, columns: string[], rows: unknown[][]): Promise<void> {
    const n = table.key.length;
    const stmt = this.db.prepare(`UPDATE ${q(table.name)} SET ${columns.map((c) => `${q(c)} = ?`).join(', ')} WHERE ${table.key.map((k) => `${q(k)} = ?`).join(' AND ')}`);
    for (const row of rows) stmt.run([...row.slice(n), ...row.slice(0, n)].map(sqliteValue));
  }
  async finish(): Promise<void> {
    for (const t of this.triggers) this.db.exec(t.sql);
    this.triggers = [];
    const broken = this.db.prepare('PRAGMA foreign_key_check').all() as { table: string; parent: string }[];
    if (broken.length) {
      const b = broken[0]!;
      throw new StoreError(`the copy has ${broken.length} row(s) whose references point nowhere (first: ${b.table} → ${b.parent}); nothing was copied`, 'report this as a bug');
    }
  }
  async commit(): Promise<void> {
    this.db.exec('COMMIT');
  }
  async rollback(): Promise<void> {
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
  }
  async close(): Promise<void> {
    if (!this.db.open) return;
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
    this.db.close();
  }
}

export const sqliteCopyBackend: CopyBackend = {
  async prepare(location, create) {
    await openSqliteStore(location, { create }).close();
  },
  async reader(location) {
    const t = new SqliteTables(openDatabase(location, { readonly: true, fileMustExist: true }));
    t.snapshot();
    return t;
  },
  async writer(location) {
    let db: Database.Database;
    try {
      db = openDatabase(location, { fileMustExist: true, timeout: 10_000 });
    } catch (err) {
      throw new StoreError(`cannot open ${location}: ${(err as Error).message}`);
    }
    db.pragma('foreign_keys = ON');
    return new SqliteTables(db);
  },
};
