/**
 * The PostgreSQL backend's query wrapper: the same shape as the SQLite one (src/store/sqlite/
 * index.ts, `Sql`) but asynchronous. SQL is written with `?` placeholders, as for SQLite, and
 * numbered (`$1`, `$2`…) here, outside quoted strings and identifiers; a statement runs on the
 * connection of the transaction its flow opened (AsyncLocalStorage), else on the pool.
 * PostgreSQL's errors become the same typed errors as SQLite's.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Pool, PoolClient, QueryResultRow } from 'pg';
import { BugError, ConflictError, StoreError } from '../../errors.js';

/** `?` → `$n`, skipping '…' strings, "…" identifiers, -- and block comments, and `??` (kept as a literal `?`). */
export function numbered(sql: string): string {
  let out = '';
  let n = 0;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      const end = sql.indexOf(c, i + 1);
      const stop = end < 0 ? sql.length : end;
      out += sql.slice(i, stop + 1);
      i = stop;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      const stop = end < 0 ? sql.length - 1 : end + 1;
      out += sql.slice(i, stop + 1);
      i = stop;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end < 0 ? sql.length - 1 : end;
      out += sql.slice(i, stop + 1);
      i = stop;
    } else if (c === '?' && sql[i + 1] === '?') {
      out += '?';
      i++;
    } else if (c === '?') {
      out += `$${++n}`;
    } else {
      out += c;
    }
  }
  return out;
}

const WRITE = /^\s*(INSERT|UPDATE|DELETE|WITH)\b/i;

export interface RunResult {
  /** Rows inserted, updated or deleted. */
  changes: number;
}

export class PgSql {
  private cache = new Map<string, string>();
  /** Run when the handle closes, before its pool ends: a repo's own pinned connection is given back (an import's scratch). */
  readonly closers: (() => Promise<void>)[] = [];
  /**
   * The transaction the current flow opened (set by PostgresStore.transaction through within()):
   * its client while it is open. A flow started inside it but not awaited outlives it: once the
   * transaction is over, its client is back in the pool and such a flow is a flow of its own.
   */
  private readonly txs = new AsyncLocalStorage<{ client: PoolClient; open: boolean }>();
  /** `flow.getStore()`: the client of this flow's open transaction, if any (as current()). */
  readonly flow = { getStore: (): PoolClient | undefined => this.current() };
  /** Transaction clients whose savepoint crm_stmt is set (see query). */
  private marked = new WeakSet<PoolClient>();
  /** Set inside unguarded(). */
  private bare = new AsyncLocalStorage<boolean>();
  /**
   * The crm user this handle acts as (users.logins.actAs, an admin's `--as`), or null: the
   * login's own user. Sent as `crm.acting_user`: per transaction with set_config(…, true)
   * (PostgresStore.transaction), and per pooled connection for statements outside one. The
   * database obeys it only for an admin's or the daemon's login (migration 0002, crm_actor()).
   */
  actor: number | null = null;
  private readonly acting = new WeakMap<PoolClient, number | null>();
  constructor(readonly pool: Pool) {}

  /** The value of crm.acting_user to send, or undefined while this handle never acted as anyone (nothing to send). */
  actingUser(): string | undefined {
    if (this.actor !== null) this.acted = true;
    return this.acted ? String(this.actor ?? '') : undefined;
  }
  private acted = false;

  /** A statement outside a transaction: on the pool, or (acting as someone) on a connection told who acts. */
  private async outside<T extends QueryResultRow>(text: string, params: unknown[]) {
    const value = this.actingUser();
    if (value === undefined) return this.pool.query<T>(text, params);
    const client = await this.pool.connect();
    try {
      if ((this.acting.get(client) ?? null) !== this.actor) {
        await client.query("SELECT set_config('crm.acting_user', $1, false)", [value]);
        this.acting.set(client, this.actor);
      }
      return await client.query<T>(text, params);
    } finally {
      client.release();
    }
  }

  private text(sql: string): string {
    let t = this.cache.get(sql);
    if (t === undefined) {
      t = numbered(sql);
      this.cache.set(sql, t);
    }
    return t;
  }

  /** The client of this flow's open transaction, if any. */
  current(): PoolClient | undefined {
    const f = this.txs.getStore();
    return f?.open ? f.client : undefined;
  }

  /** The connection this flow's statements run on: its transaction's, else the pool. */
  runner(): Pool | PoolClient {
    return this.current() ?? this.pool;
  }

  async query<T extends QueryResultRow>(sql: string, params: unknown[]): Promise<{ rows: T[]; rowCount: number }> {
    const tx = this.current();
    // A failed statement aborts a PostgreSQL transaction (SQLite's goes on): a write inside one
    // runs under a savepoint, so a caller that catches its error (a duplicate refused) can go on.
    // The savepoint is kept after a write and moved before the next one (RELEASE + SAVEPOINT in
    // one round trip): two round trips per write instead of three.
    const guarded = tx !== undefined && WRITE.test(sql) && !this.bare.getStore();
    try {
      if (guarded) {
        await tx.query(this.marked.has(tx) ? 'RELEASE SAVEPOINT crm_stmt; SAVEPOINT crm_stmt' : 'SAVEPOINT crm_stmt');
        this.marked.add(tx);
      }
      const res = tx ? await tx.query<T>(this.text(sql), params) : await this.outside<T>(this.text(sql), params);
      return { rows: res.rows, rowCount: res.rowCount ?? 0 };
    } catch (err) {
      if (guarded) await tx.query('ROLLBACK TO SAVEPOINT crm_stmt').catch(() => undefined);
      throw translate(err);
    }
  }
  /**
   * Runs `fn` in the current flow's transaction `client`, with no savepoint yet: PostgresStore.
   * transaction calls it right after BEGIN.
   */
  async within<T>(client: PoolClient, fn: () => Promise<T>): Promise<T> {
    this.marked.delete(client);
    const tx = { client, open: true };
    try {
      return await this.txs.run(tx, fn);
    } finally {
      tx.open = false;
    }
  }
  /**
   * Runs `fn` with its writes unguarded: no savepoint per statement, so a failed statement aborts
   * the whole transaction (the caller must let the error reach transaction(), which rolls back).
   * For bulk writes (an import's batch): each savepoint is a round trip and a subtransaction, and
   * past 64 subtransactions PostgreSQL's snapshots of every other session get slower.
   */
  unguarded<T>(fn: () => Promise<T>): Promise<T> {
    return this.bare.run(true, fn);
  }
  async all<T extends QueryResultRow>(sql: string, ...params: unknown[]): Promise<T[]> {
    return (await this.query<T>(sql, params)).rows;
  }
  async get<T extends QueryResultRow>(sql: string, ...params: unknown[]): Promise<T | undefined> {
    return (await this.query<T>(sql, params)).rows[0];
  }
  async run(sql: string, ...params: unknown[]): Promise<RunResult> {
    return { changes: (await this.query(sql, params)).rowCount };
  }
  /** An INSERT with `RETURNING id` appended: the new row's id. */
  async insert(sql: string, ...params: unknown[]): Promise<number> {
    const row = await this.get<{ id: number }>(`${sql} RETURNING id`, ...params);
    return Number(row!.id);
  }
  /** Several statements in one text, no parameters (schema, migrations). */
  async exec(sql: string): Promise<void> {
    try {
      await this.runner().query(sql);
    } catch (err) {
      throw translate(err);
    }
  }
}

/** PostgreSQL's errors (SQLSTATE codes) become typed errors with a message a user can act on. */
export function translate(err: unknown): unknown {
  if (!(err instanceof Error) || !('code' in err)) return err;
  const code = String((err as { code: unknown }).code);
  const e = err as Error & { detail?: string; constraint?: string };
  if (code === '23505') return new ConflictError(`already exists: ${e.detail ?? e.constraint ?? e.message}`);
  if (code.startsWith('23')) return new BugError(`store constraint failed: ${e.message}${e.detail ? ` (${e.detail})` : ''}`);
  if (code === '42501') return new StoreError(`the database refused: ${e.message}`, 'ask an admin for the privilege, or connect as a role that has it');
  if (code === '40001' || code === '40P01') return new StoreError(`the store is busy (${e.message})`, 'try again');
  if (code === '57P01' || code === '08006' || code === '08003') return new StoreError(`the connection to the database was lost: ${e.message}`, 'try again');
  if (code === '53300' || code === '57P03') return new StoreError(`the database server takes no more connections now: ${e.message}`, 'try again, or ask an admin to raise max_connections');
  if (code === '57014') return new StoreError(`the database cancelled the statement: ${e.message}`, 'try again');
  return err;
}
