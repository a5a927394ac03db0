/**
 * The JSON store: a single seat's CRM as one plain, diffable file (SPEC "Shape"; issue #21).
 *
 * The file is the data; SQLite, in memory, is the query engine. On open the document is loaded
 * into an in-memory database made by the SQLite backend's own migrations, and the SQLite
 * repositories serve every call: one implementation of the store contract, not two that drift.
 * Every unit of work (a `transaction`, or a repository call made outside one) runs:
 *
 *   lock the file (a lock file beside it, shared by every process: CLI, daemon, scripts)
 *   → reload the document if another process changed it since this one loaded or wrote it
 *   → BEGIN → the work → write the tables it changed into the document (atomically: temporary
 *     file, fsync, rename) → COMMIT → unlock.
 *
 * A failed write rolls the work back, so memory and file never disagree. Nothing is cached
 * across processes but the file itself: a hand edit is picked up by the next command.
 *
 * Why not lowdb, which the design names: lowdb keeps the data as JS objects and would need every
 * query of the contract written again against arrays; its writer has no lock between processes
 * (its author: two processes can corrupt the file), no fsync and the umask's file mode. What we
 * take from its design is the shape: the whole data set in memory, written whole, atomically.
 */
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { dirname, resolve } from 'node:path';
import type Database from 'better-sqlite3';
import lockfile from 'proper-lockfile';
import { ConflictError, StoreError } from '../../errors.js';
import { mkdirPrivate } from '../../io/private.js';
import type { BackupInfo, Store } from '../types.js';
import { openDatabase } from '../sqlite/driver.js';
import { migrations, SCHEMA_VERSION } from '../sqlite/migrations/index.js';
import { SqliteStore, translate, type Db } from '../sqlite/index.js';
import { documentParts, documentText, linesText, parseDocument, recordLine, sections, tableText, writeAtomically, type Part, type Snapshot } from './file.js';
import { jsonFiles, type JsonFiles } from './files.js';

/** Past this many leads the JSON store refuses to grow: every write rewrites the whole file. */
export const MAX_LEADS = 25_000;

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** What tells one version of the file from another: a rename makes a new inode. */
function signature(file: string): string | null {
  try {
    const s = statSync(file, { bigint: true });
    return `${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

export interface TableInfo {
  name: string;
  columns: Set<string>;
  /** ORDER BY of its records in the file. */
  order: string;
  /** A rowid table (not WITHOUT ROWID): its records are tracked one by one. */
  rowid: boolean;
  /** Its INTEGER PRIMARY KEY (the rowid), when that is its first column: each line then starts with it. */
  idColumn: string | null;
}

/** The tables of records (SQLite's own bookkeeping is not one). */
export function tablesOf(db: Db): TableInfo[] {
  const names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name").all() as { name: string }[];
  return names.map(({ name }) => {
    const cols = db.prepare('SELECT name, type, pk FROM pragma_table_info(?) ORDER BY cid').all(name) as { name: string; type: string; pk: number }[];
    const key = cols.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => q(c.name));
    let rowid = true;
    try {
      db.prepare(`SELECT rowid FROM ${q(name)} LIMIT 0`);
    } catch {
      rowid = false;
    }
    const first = cols[0];
    const idColumn = rowid && key.length === 1 && first && first.pk === 1 && first.type.toUpperCase() === 'INTEGER' ? first.name : null;
    return { name, columns: new Set(cols.map((c) => c.name)), order: key.length ? key.join(', ') : 'rowid', rowid, idColumn };
  });
}

/**
 * The records' lines of a table's text as the file has it (linesText), by id: for a table whose
 * lines start with its INTEGER PRIMARY KEY. Undefined when a line is not of that shape (a hand edit).
 */
function linesOfSection(section: Buffer, idColumn: string): Map<number, string> | undefined {
  const lines = section.toString('utf8').split('\n');
  const out = new Map<number, string>();
  const prefix = `{${JSON.stringify(idColumn)}:`;
  for (let i = 1; i < lines.length - 1; i++) {
    let line = lines[i]!.trimStart();
    if (line.endsWith(',')) line = line.slice(0, -1);
    if (!line.startsWith(prefix)) return undefined;
    const id = Number.parseInt(line.slice(prefix.length), 10);
    if (!Number.isSafeInteger(id)) return undefined;
    out.set(id, line);
  }
  return out;
}

/** An in-memory database at schema `version`, made by the SQLite backend's migrations. */
function memoryDb(version: number): Db {
  const db = openDatabase(':memory:');
  db.pragma('foreign_keys = ON');
  db.exec('BEGIN');
  for (let v = 0; v < version; v++) {
    db.exec(migrations[v]!);
  }
  db.pragma(`user_version = ${version}`);
  db.exec('COMMIT');
  return db;
}

/** A value from the file as SQLite keeps it (a hand edit's true/false or nested JSON is taken too). */
function dbValue(v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'object' && !Buffer.isBuffer(v)) return JSON.stringify(v);
  return v;
}

/**
 * Replaces every record of `db` with the snapshot's, in one transaction with the store's
 * triggers off (derived tables such as lead_stats are loaded as the file has them) and foreign
 * keys checked at the end. Throws a StoreError naming the table, record and column at fault.
 */
export function loadSnapshot(db: Db, file: string, snap: Snapshot): void {
  const tables = new Map(tablesOf(db).map((t) => [t.name, t]));
  for (const name of Object.keys(snap.tables)) {
    if (!tables.has(name)) throw new StoreError(`${file}: there is no table "${name}" in a crm store of schema version ${snap.schemaVersion}`, 'fix the file by hand, or restore a backup of it');
  }
  db.pragma('foreign_keys = OFF');
  db.exec('BEGIN');
  try {
    const triggers = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name").all() as { name: string; sql: string }[];
    for (const t of triggers) db.exec(`DROP TRIGGER ${q(t.name)}`);
    for (const t of tables.keys()) db.prepare(`DELETE FROM ${q(t)}`).run();
    for (const [name, rows] of Object.entries(snap.tables)) {
      const info = tables.get(name)!;
      const stmts = new Map<string, Database.Statement>();
      rows.forEach((row, i) => {
        const keys = Object.keys(row);
        const bad = keys.find((k) => !info.columns.has(k));
        if (bad) throw new StoreError(`${file}: record ${i + 1} of "${name}" has a field "${bad}" that the table has no column for`, 'fix the file by hand, or restore a backup of it');
        const sig = keys.join('\0');
        let stmt = stmts.get(sig);
        if (!stmt) {
          stmt = db.prepare(`INSERT INTO ${q(name)} (${keys.map(q).join(', ')}) VALUES (${keys.map(() => '?').join(', ')})`);
          stmts.set(sig, stmt);
        }
        try {
          stmt.run(keys.map((k) => dbValue(row[k])));
        } catch (err) {
          throw new StoreError(`${file}: record ${i + 1} of "${name}" cannot be stored: ${(err as Error).message}`, 'fix the file by hand, or restore a backup of it');
        }
      });
    }
    for (const t of triggers) db.exec(t.sql);
    const broken = db.prepare('PRAGMA foreign_key_check').all() as { table: string; rowid: number; parent: string }[];
    if (broken.length) {
      const b = broken[0]!;
      throw new StoreError(`${file}: ${broken.length} record(s) point at records that are not there (first: a record of "${b.table}" → "${b.parent}")`, 'fix the file by hand, or restore a backup of it');
    }
    db.exec('COMMIT');
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw err;
  } finally {
    db.pragma('foreign_keys = ON');
  }
}

/** Every record of `db` as the file keeps it. */
export function snapshotText(db: Db, texts: Map<string, string> = new Map(), only?: Set<string>, tables: TableInfo[] = tablesOf(db)): string {
  for (const t of tables) {
    if (only && !only.has(t.name) && texts.has(t.name)) continue;
    texts.set(t.name, tableText(t.name, db.prepare(`SELECT * FROM ${q(t.name)} ORDER BY ${t.order}`).all() as Record<string, unknown>[]));
  }
  return documentText(db.pragma('user_version', { simple: true }) as number, tables.map((t) => texts.get(t.name)!));
}

/** Reads and checks the document at `file`; brings a store of an older crm up to this one's schema (in memory). */
export function readStore(file: string): { db: Db; upgraded: boolean } {
  const snap = parseDocument(file, readFileSync(file, 'utf8'));
  if (snap.schemaVersion > SCHEMA_VERSION) {
    throw new StoreError(`the store ${file} is at schema version ${snap.schemaVersion}, newer than this crm understands (${SCHEMA_VERSION})`, 'upgrade crm; it never downgrades a store');
  }
  if (snap.schemaVersion < 1) throw new StoreError(`${file}: schemaVersion ${snap.schemaVersion} is not a version of this store format`, { id: 'store.other-file' });
  const db = memoryDb(snap.schemaVersion);
  try {
    loadSnapshot(db, file, snap);
    if (snap.schemaVersion < SCHEMA_VERSION) {
      db.exec('BEGIN');
      for (let v = snap.schemaVersion; v < SCHEMA_VERSION; v++) {
        db.exec(migrations[v]!);
        db.pragma(`user_version = ${v + 1}`);
      }
      db.exec('COMMIT');
    }
  } catch (err) {
    db.close();
    throw err;
  }
  return { db, upgraded: snap.schemaVersion < SCHEMA_VERSION };
}

export interface JsonOpenOptions {
  /** Create the file if it does not exist (only `crm init` does). */
  create?: boolean;
  /** How long to wait for another process's lock (default 10 s). */
  busyTimeoutMs?: number;
}

/** The lock around every unit of work: held by one process at a time, recovered when its holder died (stale after 10 s). */
export async function takeLock(file: string, waitMs: number, onCompromised: (err: Error) => void): Promise<() => void> {
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      const release = lockfile.lockSync(file, { realpath: false, stale: 10_000, onCompromised });
      return () => {
        try {
          release();
        } catch {
          // already released (compromised): nothing to give back
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ELOCKED') throw new StoreError(`cannot lock ${file}: ${(err as Error).message}`, 'check that its directory is writable');
      if (Date.now() - started > waitMs) {
        throw new StoreError(`the store ${file} is busy (another crm process has held its lock for ${Math.round(waitMs / 1000)} s)`, 'try again');
      }
      // Short, jittered waits: a unit of work holds the lock for milliseconds. A newcomer backs off
      // up to ~25 ms; a process that has waited over a second polls every 1-4 ms, so it wins the
      // lock over newcomers instead of losing to them again and again (under 8 writers and the
      // daemon on a slow 2-core machine, one waiter lost for 10 s when every wait grew alike;
      // every waiter polling every few ms costs a quarter more CPU for the same work).
      const pause = Date.now() - started > 1000 ? 1 + Math.random() * 3 : Math.min(2 + attempt, 20) + Math.random() * 5;
      await new Promise((r) => setTimeout(r, pause));
    }
  }
}

export class JsonStore extends SqliteStore {
  override readonly backend: string = 'json';
  override readonly files: JsonFiles;
  /** The file as this process last loaded or wrote it. */
  private seen: string | null;
  /** Each table's text in the document as last written (tables not changed since are not serialised again). */
  private texts = new Map<string, Part>();
  /** Where each table's text lies in the file `seen` (known when this process wrote it, or from the cache). */
  private sections: Map<string, [number, number]> | null;
  /** The version of the file the cache beside it holds (null: none, or unknown). */
  private cached: string | null;
  /** The lines of rowid tables' records as last written, by rowid. */
  private lines = new Map<string, Map<number, string>>();
  private compromised: Error | null = null;
  /** The tables of records (the schema does not change while a store is open). */
  private readonly tables: TableInfo[];

  constructor(db: Db, file: string, private readonly waitMs: number, loaded: Loaded) {
    super(db, file);
    this.files = jsonFiles(file);
    // Deleted records are overwritten in memory, so the cache saved from it holds no trace of
    // what was erased (crm contact erase).
    this.db.pragma('secure_delete = ON');
    this.seen = loaded.signature;
    this.sections = loaded.sections;
    this.cached = loaded.fromCache ? loaded.signature : null;
    this.tables = tablesOf(this.db);
    // Changes are tracked by temporary triggers (this connection only): the tables touched, and
    // in rowid tables the records, so a write serialises only the records that changed and
    // reuses every other line. (Not INSERT OR IGNORE: an outer statement's conflict clause, as
    // in INSERT OR REPLACE, would override it.)
    this.db.exec('CREATE TEMP TABLE IF NOT EXISTS crm_dirty (name TEXT PRIMARY KEY) WITHOUT ROWID');
    this.db.exec('CREATE TEMP TABLE IF NOT EXISTS crm_dirty_rows (name TEXT NOT NULL, rid INTEGER NOT NULL, PRIMARY KEY (name, rid)) WITHOUT ROWID');
    for (const t of this.tables) {
      const lit = `'${t.name.replace(/'/g, "''")}'`;
      const table = `INSERT INTO crm_dirty SELECT ${lit} WHERE NOT EXISTS (SELECT 1 FROM crm_dirty WHERE name = ${lit});`;
      const row = (r: string) => (t.rowid ? `INSERT INTO crm_dirty_rows SELECT ${lit}, ${r}.rowid WHERE NOT EXISTS (SELECT 1 FROM crm_dirty_rows WHERE name = ${lit} AND rid = ${r}.rowid);` : '');
      const body: Record<string, string> = { INSERT: row('NEW'), UPDATE: row('OLD') + row('NEW'), DELETE: row('OLD') };
      for (const op of ['INSERT', 'UPDATE', 'DELETE']) {
        this.db.exec(`CREATE TEMP TRIGGER IF NOT EXISTS ${q(`crm_dirty_${op}_${t.name}`)} AFTER ${op} ON main.${q(t.name)} BEGIN ${table} ${body[op]} END`);
      }
    }
    // Every repository call made outside a transaction is a unit of work of its own.
    // (Repositories are the plain objects among the store's fields; `files` names side files.)
    for (const key of Object.keys(this) as (keyof this)[]) {
      const repo = this[key];
      if (key === 'files' || !repo || typeof repo !== 'object' || Object.getPrototypeOf(repo) !== Object.prototype) continue;
      this[key] = this.units(repo as object) as this[keyof this];
    }
  }

  private units<T extends object>(repo: T): T {
    const wrapped: Record<string, unknown> = {};
    for (const [name, fn] of Object.entries(repo)) {
      if (typeof fn !== 'function') {
        wrapped[name] = fn;
        continue;
      }
      const call = (args: unknown[]) => (fn as (...a: unknown[]) => Promise<unknown>).apply(repo, args);
      // While a transaction is open on the connection, a call outside it runs at once, as it does
      // on SQLite's one connection (a read need not wait behind queued transactions); otherwise
      // it is a unit of work of its own.
      wrapped[name] = (...args: unknown[]) => (this.current !== undefined && this.db.inTransaction ? call(args) : this.transaction(() => call(args)));
    }
    return wrapped as T;
  }

  protected override async open<T>(fn: () => Promise<T>): Promise<T> {
    const release = await takeLock(this.location, this.waitMs, (err) => (this.compromised = err));
    try {
      this.refresh();
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn();
        const written = this.write();
        this.db.exec('COMMIT');
        if (written) written();
        return result;
      } catch (err) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        this.clearDirty();
        throw translate(err);
      }
    } finally {
      release();
    }
  }

  /** Reloads the document when another process (or a person with an editor) changed the file. */
  private refresh(): void {
    const now = signature(this.location);
    if (now === this.seen) return;
    if (now === null) throw new StoreError(`the store ${this.location} is gone (deleted or moved while it was open)`, 'put the file back, or restore it from a backup');
    const snap = parseDocument(this.location, readFileSync(this.location, 'utf8'));
    if (snap.schemaVersion !== SCHEMA_VERSION) {
      throw new StoreError(`the store ${this.location} was changed to schema version ${snap.schemaVersion} by a newer version while this one (${SCHEMA_VERSION}) had it open`, 'run the command again with the version that matches the store');
    }
    loadSnapshot(this.db, this.location, snap);
    this.clearDirty();
    this.texts = new Map();
    this.lines = new Map();
    this.sections = null;
    this.seen = now;
  }

  private clearDirty(): void {
    this.db.exec('DELETE FROM temp.crm_dirty; DELETE FROM temp.crm_dirty_rows');
  }

  /**
   * Inside the open transaction: writes the document if the work changed anything. Returns what
   * to remember of it once committed (the tables' texts and records' lines), or null.
   */
  private write(): (() => void) | null {
    if (this.compromised) throw new StoreError(`the lock of ${this.location} was lost (${this.compromised.message}); nothing was written`, 'try again');
    const dirty = new Set((this.db.prepare('SELECT name FROM temp.crm_dirty').all() as { name: string }[]).map((r) => r.name));
    if (dirty.size === 0) return null;
    if (dirty.has('leads')) {
      const n = (this.db.prepare('SELECT count(*) AS n FROM leads').get() as { n: number }).n;
      if (n > MAX_LEADS) {
        throw new StoreError(`a JSON store holds at most ${MAX_LEADS.toLocaleString('en')} leads (this change would make ${n.toLocaleString('en')}); nothing was written`, { id: 'store.move-to-sqlite', file: this.location });
      }
    }
    const texts = new Map(this.texts);
    const lines = new Map<string, Map<number, string>>();
    // Tables not written by this process yet are taken from the file as it is (where its
    // sections are known), not serialised again.
    let before: Buffer | undefined;
    const section = (name: string): Buffer | undefined => {
      const at = this.sections?.get(name);
      if (!at) return undefined;
      before ??= readFileSync(this.location);
      return before.subarray(at[0], at[1]);
    };
    for (const t of this.tables) {
      if (!dirty.has(t.name)) {
        if (texts.has(t.name)) continue;
        const kept = section(t.name);
        if (kept) {
          texts.set(t.name, kept);
          continue;
        }
      }
      if (!t.rowid) {
        texts.set(t.name, tableText(t.name, this.db.prepare(`SELECT * FROM ${q(t.name)} ORDER BY ${t.order}`).all() as Record<string, unknown>[]));
        continue;
      }
      // The records' order, then a line for each: kept when the record did not change.
      let known = this.lines.get(t.name);
      if (!known && t.idColumn) {
        const kept = section(t.name);
        if (kept) known = linesOfSection(kept, t.idColumn);
      }
      const ids = this.db.prepare(`SELECT rowid FROM ${q(t.name)} ORDER BY ${t.order}`).pluck().all() as number[];
      const changed = known
        ? new Set(this.db.prepare('SELECT rid FROM temp.crm_dirty_rows WHERE name = ?').pluck().all(t.name) as number[])
        : null;
      const one = this.db.prepare(`SELECT * FROM ${q(t.name)} WHERE rowid = ?`);
      const next = new Map<number, string>();
      const out: string[] = new Array(ids.length);
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i]!;
        let line = changed && !changed.has(id) ? known!.get(id) : undefined;
        if (line === undefined) line = recordLine(one.get(id) as Record<string, unknown>);
        next.set(id, line);
        out[i] = line;
      }
      lines.set(t.name, next);
      texts.set(t.name, linesText(t.name, out));
    }
    const version = this.db.pragma('user_version', { simple: true }) as number;
    const parts = documentParts(version, this.tables.map((t) => texts.get(t.name)!));
    writeAtomically(this.location, parts);
    // A cache of an older version is gone at once (it may hold what this write erased).
    rmSync(this.files.cache, { force: true });
    this.cached = null;
    this.clearDirty();
    this.seen = signature(this.location);
    const at = sections(parts);
    return () => {
      this.texts = texts;
      for (const [name, m] of lines) this.lines.set(name, m);
      this.sections = new Map(this.tables.map((t, i) => [t.name, at[i]!]));
      this.cacheSoon();
    };
  }

  /**
   * Saves the in-memory database beside the file (`<store>.cache`, 0600) for the version of the
   * file it holds, so the next process opens it without parsing and loading the JSON: a 10,000-lead
   * store opens in milliseconds instead of a quarter of a second. Checked by the file's version
   * and a CRC on open; a hand edit of the file makes it stale, and stale means unused.
   */
  private async saveCache(): Promise<void> {
    if (this.seen === null || this.cached === this.seen || !this.db.open) return;
    let release: (() => void) | undefined;
    try {
      // Under the file's lock: a write by another process (which removes the cache of the version
      // it replaces) comes wholly before or wholly after, so no cache of an older version is left.
      release = await takeLock(this.location, 100, () => undefined); // briefly: under contention a cache would be old soon anyway
      // Only between units of work of this process, and only for the version on disk.
      if (this.current !== undefined || this.db.inTransaction || !this.db.open) return;
      if (signature(this.location) !== this.seen) return;
      const image = this.db.serialize();
      const header = JSON.stringify({ v: CACHE_FORMAT, sig: this.seen, schema: SCHEMA_VERSION, bytes: image.length, crc: crc32(image), sections: this.sections ? Object.fromEntries(this.sections) : null });
      writeAtomically(this.files.cache, [`${header}\n`, image], { sync: false });
      this.cached = this.seen;
    } catch {
      // a cache is an optimisation: the store is whole without it
    } finally {
      release?.();
    }
  }

  /** A long-running process (the daemon) saves the cache a few seconds after it wrote, not only when it closes. */
  private cacheTimer?: NodeJS.Timeout;
  private cacheSoon(): void {
    this.cacheTimer ??= setTimeout(() => {
      this.cacheTimer = undefined;
      void this.saveCache();
    }, 3_000).unref();
  }

  override async close(): Promise<void> {
    clearTimeout(this.cacheTimer);
    await this.saveCache();
    await super.close();
  }

  /** Counts change whenever the file does: a board or dashboard refreshes on another process's write too. */
  override async changeToken(): Promise<string> {
    return String(signature(this.location));
  }

  /** A copy of the document as it is now (under the lock, so never half of another process's write). */
  override async backup(file: string): Promise<BackupInfo> {
    if (resolve(file) === resolve(this.location)) throw new ConflictError('the backup cannot be the store itself', 'choose another file name');
    return this.transaction(async () => {
      const text = snapshotText(this.db);
      writeAtomically(file, text);
      return jsonFileInfo(file);
    });
  }
}

/** What a JSON store file holds, checked by loading it (schema, records, references). */
export function jsonFileInfo(file: string): BackupInfo {
  const { db } = readStore(file);
  try {
    const count = (t: string) => (db.prepare(`SELECT count(*) AS n FROM ${q(t)}`).get() as { n: number }).n;
    return { file, schemaVersion: SCHEMA_VERSION, leads: count('leads'), users: count('users'), bytes: statSync(file).size };
  } finally {
    db.close();
  }
}

export async function openJsonStore(file: string, options: JsonOpenOptions = {}): Promise<Store> {
  const waitMs = options.busyTimeoutMs ?? 10_000;
  if (!existsSync(file)) {
    if (!options.create) throw new StoreError(`no crm store at ${file}`, { id: 'store.init' });
    mkdirPrivate(dirname(file));
    const release = await takeLock(file, waitMs, () => undefined);
    try {
      // Another process may have made it while this one waited for the lock.
      if (!existsSync(file)) {
        const db = memoryDb(SCHEMA_VERSION);
        try {
          writeAtomically(file, snapshotText(db));
        } finally {
          db.close();
        }
      }
    } finally {
      release();
    }
  }
  const sig = signature(file);
  const cache = sig ? loadCache(jsonFiles(file).cache, sig) : undefined;
  if (cache) return new JsonStore(cache.db, file, waitMs, { signature: sig, sections: cache.sections, fromCache: true });
  const release = await takeLock(file, waitMs, () => undefined);
  let db: Db;
  let loaded: Loaded;
  try {
    // The version is read under the lock, before the file: what is loaded is that version.
    const at = signature(file);
    const read = readStore(file);
    db = read.db;
    loaded = { signature: at, sections: null, fromCache: false };
    // A store of an older crm is written back at this one's schema at once, as SQLite's is migrated in place.
    if (read.upgraded) {
      writeAtomically(file, snapshotText(db));
      loaded.signature = signature(file);
    }
  } finally {
    release();
  }
  return new JsonStore(db, file, waitMs, loaded);
}

/** How a store came to be in memory: the file's version it holds, and where its tables lie in that file. */
interface Loaded {
  signature: string | null;
  sections: Map<string, [number, number]> | null;
  fromCache: boolean;
}

const CACHE_FORMAT = 1;

/** The cached database of the file's version `sig`, or undefined (none, stale, damaged, of another schema). */
function loadCache(cacheFile: string, sig: string): { db: Db; sections: Map<string, [number, number]> | null } | undefined {
  try {
    const buf = readFileSync(cacheFile);
    const nl = buf.indexOf(10);
    if (nl < 0) return undefined;
    const h = JSON.parse(buf.subarray(0, nl).toString('utf8')) as { v: number; sig: string; schema: number; bytes: number; crc: number; sections: Record<string, [number, number]> | null };
    if (h.v !== CACHE_FORMAT || h.sig !== sig || h.schema !== SCHEMA_VERSION) return undefined;
    const image = buf.subarray(nl + 1);
    if (image.length !== h.bytes || crc32(image) !== h.crc) return undefined;
    const db = openDatabase(image);
    db.pragma('foreign_keys = ON');
    return { db, sections: h.sections ? new Map(Object.entries(h.sections)) : null };
  } catch {
    return undefined;
  }
}
