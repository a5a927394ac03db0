/**
 * Copies a whole store into another, of either backend (SQLite ⇄ PostgreSQL): every row of every
 * table, ids kept, so a team can start on one laptop and move to a server without loss, and back.
 *
 * The two backends have the same tables and columns (the PostgreSQL schema mirrors SQLite's), so
 * the copy is generic, table by table, through each backend's raw table access
 * (src/store/<backend>/tables.ts): the source is read in one consistent snapshot; the target is a
 * store at the current schema that holds nothing yet, written in ONE transaction with its
 * triggers off (derived tables such as lead_stats are copied as they are, not recomputed), in
 * foreign-key order (a table's self-references — a manager, a merged lead — are set in a second
 * pass), its id sequences moved past the copied ids, and every table's row count checked before
 * the commit. A copy that fails leaves the target as empty as it was (a new SQLite file is
 * written under a temporary name and renamed only when complete).
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import { ConflictError, StoreError } from '../errors.js';

/** A table as the copy sees it. */
export interface TableShape {
  name: string;
  columns: string[];
  /** Other tables its foreign keys reference. */
  refs: string[];
  /** Its columns that reference the table itself (set after every row is in). */
  selfRefs: string[];
  /** The primary key's columns (the second pass finds rows by them). */
  key: string[];
}

/** Reads a store's tables in one consistent snapshot (opened by its backend). */
export interface TableReader {
  /** Every table of records (bookkeeping such as the schema version is not one). */
  tables(): Promise<TableShape[]>;
  count(table: string): Promise<number>;
  /** The rows of a table, as arrays in the order of `columns`, in batches, by primary key. */
  rows(table: TableShape, columns: string[], batch: number): AsyncIterable<unknown[][]>;
  close(): Promise<void>;
}

/** Writes a store's tables: begin() opens the one transaction every other write runs in. */
export interface TableWriter {
  tables(): Promise<TableShape[]>;
  count(table: string): Promise<number>;
  /** Opens the transaction and turns the store's own triggers off inside it. */
  begin(): Promise<void>;
  /** Removes the rows a table holds (those a fresh store's migrations put there). */
  clear(table: string): Promise<void>;
  insert(table: TableShape, columns: string[], rows: unknown[][]): Promise<void>;
  /** Sets `columns` of the rows found by `table.key` (rows: key values, then the columns' values). */
  update(table: TableShape, columns: string[], rows: unknown[][]): Promise<void>;
  /**
   * A target with database logins: links the user `userId` to the connected login (see the
   * PostgreSQL writer); the login linked, or null. Absent on a backend without logins.
   */
  adopt?(userId: number): Promise<string | null>;
  /** Triggers back on, id sequences past the highest id, references checked; still inside the transaction. */
  finish(tables: TableShape[]): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  close(): Promise<void>;
}

/** What a backend offers the copy. */
export interface CopyBackend {
  /** Opens the store at `location` once, bringing it to the current schema (creating it when `create`). */
  prepare(location: string, create: boolean): Promise<void>;
  reader(location: string): Promise<TableReader>;
  writer(location: string): Promise<TableWriter>;
  /**
   * After the commit, on a store with database logins: puts each copied user's login in this
   * store's groups (they are named after the database); returns the logins that do not exist on
   * this server (the users cannot log in until an admin gives them one).
   */
  settle?(location: string): Promise<string[]>;
}

/**
 * Tables that a fresh store's migrations fill (a generated secret): a store with rows only in
 * these holds nothing yet, and the copy replaces their rows with the source's.
 */
export const SEEDED_TABLES = new Set(['campaign_secrets']);

export interface CopiedTable {
  table: string;
  rows: number;
}

export interface CopyResult {
  from: string;
  to: string;
  /** Every table copied, with its row count (checked equal in both stores). */
  tables: CopiedTable[];
  leads: number;
  users: number;
  /** Tables or columns of the source that the target does not have (`table` or `table.column`), left behind. */
  skipped: string[];
  /** The target's database login now linked to the user who copied (a server target), or null. */
  login: string | null;
  /** Logins the copied users have that do not exist on the target's server (`email: role`). */
  missingLogins: string[];
}

export interface CopyOptions {
  /** Rows per insert (default 500). */
  batch?: number;
  /** Called after each table is copied (progress). */
  onTable?(table: CopiedTable): void;
  /** The id of the user who copies: on a target with database logins, linked to the connected login when it is no user's yet. */
  actorId?: number;
}

export interface CopyEnds {
  from: { location: string; shown: string; backend: CopyBackend };
  to: { location: string; shown: string; backend: CopyBackend; file: boolean };
}

/** Copies every record of the store `from` into the empty store `to` (see the module comment). */
export async function copyTables(ends: CopyEnds, options: CopyOptions = {}): Promise<CopyResult> {
  const { from, to } = ends;
  const batch = options.batch ?? 500;
  // A new SQLite file is made under a temporary name: nothing that looks like a store is at
  // the target's path until the copy is complete.
  const fresh = to.file && !existsSync(to.location);
  const target = fresh ? `${to.location}.copy-${process.pid}.tmp` : to.location;
  const cleanTmp = () => {
    if (fresh) for (const s of ['', '-wal', '-shm']) rmSync(`${target}${s}`, { force: true });
  };
  cleanTmp();
  let reader: TableReader | undefined;
  let writer: TableWriter | undefined;
  try {
    await from.backend.prepare(from.location, false);
    await to.backend.prepare(target, true);
    reader = await from.backend.reader(from.location);
    writer = await to.backend.writer(target);

    const sourceTables = await reader.tables();
    const targetTables = new Map((await writer.tables()).map((t) => [t.name, t]));
    await assertEmpty(writer, [...targetTables.keys()], to.shown);

    const skipped: string[] = [];
    const plan: { source: TableShape; target: TableShape; columns: string[] }[] = [];
    for (const s of sourceTables) {
      const t = targetTables.get(s.name);
      if (!t) {
        if ((await reader.count(s.name)) > 0) skipped.push(s.name);
        continue;
      }
      const columns = s.columns.filter((c) => t.columns.includes(c));
      for (const c of s.columns) if (!t.columns.includes(c)) skipped.push(`${s.name}.${c}`);
      plan.push({ source: s, target: t, columns });
    }
    const ordered = foreignKeyOrder(plan.map((p) => p.target));
    const byName = new Map(plan.map((p) => [p.target.name, p]));

    const copied: CopiedTable[] = [];
    let login: string | null = null;
    await writer.begin();
    try {
      for (const t of ordered) {
        const p = byName.get(t.name)!;
        const later = p.columns.filter((c) => t.selfRefs.includes(c));
        const keyAt = t.key.map((k) => p.columns.indexOf(k));
        const laterAt = later.map((c) => p.columns.indexOf(c));
        const pending: unknown[][] = [];
        await writer.clear(t.name);
        try {
          for await (const rows of reader.rows(p.source, p.columns, batch)) {
            if (laterAt.length) {
              for (const row of rows) {
                if (laterAt.some((i) => row[i] !== null)) pending.push([...keyAt.map((i) => row[i]), ...laterAt.map((i) => row[i])]);
                for (const i of laterAt) row[i] = null;
              }
            }
            await writer.insert(t, p.columns, rows);
          }
          for (let i = 0; i < pending.length; i += batch) await writer.update(t, later, pending.slice(i, i + batch));
        } catch (err) {
          throw tableError(t.name, err);
        }
        const expected = await reader.count(t.name);
        const got = await writer.count(t.name);
        if (got !== expected) {
          throw new StoreError(`copying ${t.name} went wrong: ${got} rows arrived of ${expected}; nothing was copied`, 'report this as a bug');
        }
        const done = { table: t.name, rows: got };
        copied.push(done);
        options.onTable?.(done);
      }
      if (options.actorId !== undefined && writer.adopt) login = await writer.adopt(options.actorId);
      await writer.finish(ordered);
      await writer.commit();
    } catch (err) {
      await writer.rollback().catch(() => undefined);
      throw err;
    }
    await writer.close();
    writer = undefined;
    await reader.close();
    reader = undefined;
    if (fresh) {
      if (existsSync(to.location)) throw new ConflictError(`${to.location} appeared while the store was being copied; nothing was written to it`, 'copy again into a new file');
      renameSync(target, to.location);
      cleanTmp();
    }
    const missingLogins = (await to.backend.settle?.(to.location)) ?? [];
    copied.sort((a, b) => a.table.localeCompare(b.table));
    const rowsOf = (name: string) => copied.find((c) => c.table === name)?.rows ?? 0;
    return { from: from.shown, to: to.shown, tables: copied, leads: rowsOf('leads'), users: rowsOf('users'), skipped, login, missingLogins };
  } finally {
    await writer?.close().catch(() => undefined);
    await reader?.close().catch(() => undefined);
    cleanTmp();
  }
}

/** A target with rows in any table (but those its migrations seed) is a store in use: never overwritten. */
async function assertEmpty(writer: TableWriter, tables: string[], shown: string): Promise<void> {
  const held: string[] = [];
  // Leads and users first: what a person recognises of a store.
  const first = ['leads', 'users'].filter((t) => tables.includes(t));
  for (const t of [...first, ...tables.filter((t) => !first.includes(t))]) {
    if (SEEDED_TABLES.has(t)) continue;
    const n = await writer.count(t);
    if (n > 0) held.push(`${n.toLocaleString('en')} ${t}`);
  }
  if (held.length) {
    throw new ConflictError(
      `${shown} is not empty (it holds ${held.slice(0, 4).join(', ')}${held.length > 4 ? ', …' : ''}): a copy goes only into a new, empty store`,
      'copy into a new SQLite file or an empty PostgreSQL database (created with createdb), or back that store up and empty it first',
    );
  }
}

function tableError(table: string, err: unknown): unknown {
  if (err instanceof StoreError || err instanceof ConflictError) return err;
  const e = err as Error;
  return new StoreError(`copying the table ${table} failed: ${e.message}; nothing was copied`, 'fix the cause named above and copy again into a new, empty store');
}

/** Tables ordered so that each comes after every table its foreign keys reference. */
export function foreignKeyOrder(tables: TableShape[]): TableShape[] {
  const names = new Set(tables.map((t) => t.name));
  const byName = new Map(tables.map((t) => [t.name, t]));
  const out: TableShape[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (t: TableShape, path: string[]) => {
    const s = state.get(t.name);
    if (s === 'done') return;
    if (s === 'visiting') throw new StoreError(`the tables ${[...path, t.name].join(' → ')} reference each other in a cycle: this copy cannot order them`, 'report this as a bug');
    state.set(t.name, 'visiting');
    for (const r of [...t.refs].sort()) if (r !== t.name && names.has(r)) visit(byName.get(r)!, [...path, t.name]);
    state.set(t.name, 'done');
    out.push(t);
  };
  for (const t of [...tables].sort((a, b) => a.name.localeCompare(b.name))) visit(t, []);
  return out;
}
