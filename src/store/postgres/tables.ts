/**
 * Raw table access to a PostgreSQL store for `copyTables` (src/store/copy.ts): a connection of
 * its own, on a database that openPostgresStore has already brought to the current schema.
 * Reads run in one REPEATABLE READ snapshot through cursors; writes in one transaction that
 * holds the store's write lock, with the tables' own triggers disabled until its end (ALTER
 * TABLE is transactional: a copy that fails leaves them as they were).
 */
import pg from 'pg';
import { pgConfig } from './connection.js';
import { StoreError } from '../../errors.js';
import type { CopyBackend, TableReader, TableShape, TableWriter } from '../copy.js';
import { LOCK, openPostgresStore, shownLocation } from './index.js';
import { translate } from './sql.js';

const q = (name: string) => pg.escapeIdentifier(name);

/** Bookkeeping, not records: the schema version. */
const BOOKKEEPING = new Set(['crm_schema']);

interface PgShape extends TableShape {
  /** Columns GENERATED ALWAYS AS IDENTITY (an insert of their values says OVERRIDING SYSTEM VALUE). */
  always: boolean;
}

async function shapes(c: pg.ClientBase): Promise<PgShape[]> {
  const tables = await c.query<{ name: string; oid: number }>(
    `SELECT c.relname AS name, c.oid::int AS oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY c.relname`,
  );
  const cols = await c.query<{ oid: number; name: string; identity: string }>(
    `SELECT a.attrelid::int AS oid, a.attname AS name, a.attidentity AS identity FROM pg_attribute a
      WHERE a.attrelid = ANY($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '' ORDER BY a.attrelid, a.attnum`,
    [tables.rows.map((t) => t.oid)],
  );
  const fks = await c.query<{ oid: number; ref: string; col: string }>(
    `SELECT con.conrelid::int AS oid, r.relname AS ref, a.attname AS col
       FROM pg_constraint con JOIN pg_class r ON r.oid = con.confrelid
       JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = ANY(con.conkey)
      WHERE con.contype = 'f' AND con.conrelid = ANY($1::oid[])`,
    [tables.rows.map((t) => t.oid)],
  );
  const keys = await c.query<{ oid: number; col: string; pos: number }>(
    `SELECT i.indrelid::int AS oid, a.attname AS col, k.pos::int AS pos
       FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, pos)
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
      WHERE i.indisprimary AND i.indrelid = ANY($1::oid[])`,
    [tables.rows.map((t) => t.oid)],
  );
  return tables.rows
    .filter((t) => !BOOKKEEPING.has(t.name))
    .map((t) => {
      const own = fks.rows.filter((f) => f.oid === t.oid);
      const key = keys.rows.filter((k) => k.oid === t.oid).sort((a, b) => a.pos - b.pos).map((k) => k.col);
      const columns = cols.rows.filter((col) => col.oid === t.oid);
      return {
        name: t.name,
        columns: columns.map((col) => col.name),
        refs: [...new Set(own.filter((f) => f.ref !== t.name).map((f) => f.ref))],
        selfRefs: [...new Set(own.filter((f) => f.ref === t.name).map((f) => f.col))],
        key: key.length ? key : ['ctid'],
        always: columns.some((col) => col.identity === 'a'),
      };
    });
}

async function connect(location: string): Promise<pg.Client> {
  const client = new pg.Client(pgConfig(location, { application_name: 'crm-store-copy' }));
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (err) {
    throw new StoreError(`cannot connect to ${shownLocation(location)}: ${(err as Error).message}`);
  }
  return client;
}

class PgReader implements TableReader {
  private n = 0;
  constructor(private c: pg.Client) {}
  async tables(): Promise<TableShape[]> {
    return shapes(this.c);
  }
  async count(table: string): Promise<number> {
    const r = await this.c.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${q(table)}`);
    return r.rows[0]!.n;
  }
  async *rows(table: TableShape, columns: string[], batch: number): AsyncIterable<unknown[][]> {
    const cursor = `crm_copy_${++this.n}`;
    const order = table.key.map(q).join(', ');
    await this.c.query(`DECLARE ${cursor} NO SCROLL CURSOR FOR SELECT ${columns.map(q).join(', ')} FROM ${q(table.name)} ORDER BY ${order}`);
    try {
      for (;;) {
        const r = await this.c.query({ text: `FETCH ${batch} FROM ${cursor}`, rowMode: 'array' });
        if (!r.rows.length) break;
        yield r.rows as unknown[][];
        if (r.rows.length < batch) break;
      }
    } finally {
      await this.c.query(`CLOSE ${cursor}`).catch(() => undefined);
    }
  }
  async close(): Promise<void> {
    await this.c.query('ROLLBACK').catch(() => undefined);
    await this.c.end().catch(() => undefined);
  }
}

/** A value read from SQLite as PostgreSQL takes it (a BLOB is bytea; everything else as it is). */
function pgValue(v: unknown): unknown {
  return v === undefined ? null : v;
}

/** pg-copy-streams, loaded by the first copy only. */
let copyModule: Promise<typeof import('pg-copy-streams')> | undefined;
const copyStreams = () => (copyModule ??= import('pg-copy-streams'));

/** A value in COPY's text format: \N for NULL, backslash escapes, a BLOB as bytea hex. */
export function copyText(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  if (Buffer.isBuffer(v)) return `\\\\x${v.toString('hex')}`;
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (typeof v === 'object') v = JSON.stringify(v);
  return String(v).replace(/[\\\n\r\t]/g, (c) => (c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t'));
}

class PgWriter implements TableWriter {
  private shapes: PgShape[] = [];
  private open = false;
  constructor(private c: pg.Client) {}
  async tables(): Promise<TableShape[]> {
    this.shapes = await shapes(this.c);
    return this.shapes;
  }
  async count(table: string): Promise<number> {
    const r = await this.c.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${q(table)}`);
    return r.rows[0]!.n;
  }
  private async run(text: string, params: unknown[] = []): Promise<void> {
    try {
      await this.c.query(text, params);
    } catch (err) {
      throw translate(err);
    }
  }
  async begin(): Promise<void> {
    if (!this.shapes.length) await this.tables();
    await this.run('BEGIN');
    this.open = true;
    await this.run('SELECT pg_advisory_xact_lock($1)', [LOCK.write]);
    // Row-level security is forced on every table (the owner obeys it too): lifted for this
    // transaction only, so the owner writes every row whoever it is about; forced again in finish().
    const forced = await this.c.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.relforcerowsecurity`,
    );
    this.forced = forced.rows.map((r) => r.name);
    try {
      for (const t of this.forced) await this.c.query(`ALTER TABLE ${q(t)} NO FORCE ROW LEVEL SECURITY`);
      for (const t of this.shapes) await this.c.query(`ALTER TABLE ${q(t.name)} DISABLE TRIGGER USER`);
    } catch (err) {
      const e = err as Error & { code?: string };
      if (e.code === '42501') {
        throw new StoreError(
          `only the owner of the database's tables can copy a store into it (${e.message})`,
          'connect as the role that created the store there (it ran the migrations), or copy into a new, empty database',
        );
      }
      throw translate(err);
    }
  }
  private forced: string[] = [];
  /**
   * A target with database logins (users.db_role): the user who runs the copy gets the connected
   * login, when that user has none and no user has that login yet — as the first admin of a new
   * store gets the login that ran crm init. Returns the login linked, or null.
   */
  async adopt(userId: number): Promise<string | null> {
    if (!this.shapes.find((t) => t.name === 'users')?.columns.includes('db_role')) return null;
    const r = await this.c.query<{ role: string }>(
      `UPDATE users SET db_role = session_user WHERE id = $1 AND db_role IS NULL
          AND NOT EXISTS (SELECT 1 FROM users WHERE db_role = session_user) RETURNING db_role AS role`,
      [userId],
    );
    return r.rows[0]?.role ?? null;
  }
  async clear(table: string): Promise<void> {
    await this.run(`DELETE FROM ${q(table)}`);
  }
  async insert(table: TableShape, columns: string[], rows: unknown[][]): Promise<void> {
    // COPY … FROM STDIN: several times faster than INSERT for a whole store (identity values are
    // taken as given, as with OVERRIDING SYSTEM VALUE). The owner may COPY into a table under
    // row-level security only because begin() lifted FORCE for this transaction.
    const { from } = await copyStreams();
    const stream = this.c.query(from(`COPY ${q(table.name)} (${columns.map(q).join(', ')}) FROM STDIN`));
    const done = new Promise<void>((resolve, reject) => {
      stream.on('finish', resolve);
      stream.on('error', reject);
    });
    let chunk = '';
    for (const row of rows) {
      chunk += row.map(copyText).join('\t') + '\n';
      if (chunk.length > 1 << 16) {
        if (!stream.write(chunk)) await Promise.race([new Promise((r) => stream.once('drain', r)), done.catch(() => undefined)]);
        chunk = '';
      }
    }
    stream.end(chunk);
    try {
      await done;
    } catch (err) {
      throw translate(err);
    }
  }
  async update(table: TableShape, columns: string[], rows: unknown[][]): Promise<void> {
    const n = table.key.length;
    for (const row of rows) {
      const params = row.map(pgValue);
      await this.run(
        `UPDATE ${q(table.name)} SET ${columns.map((c, i) => `${q(c)} = $${n + i + 1}`).join(', ')} WHERE ${table.key.map((k, i) => `${q(k)} = $${i + 1}`).join(' AND ')}`,
        params,
      );
    }
  }
  async finish(tables: TableShape[]): Promise<void> {
    for (const t of this.shapes) await this.run(`ALTER TABLE ${q(t.name)} ENABLE TRIGGER USER`);
    for (const t of this.forced) await this.run(`ALTER TABLE ${q(t)} FORCE ROW LEVEL SECURITY`);
    // Each identity or serial column's sequence goes past the highest id copied: the next
    // record gets a new id, never one of the copied records'.
    const seqs = await this.c.query<{ tbl: string; col: string; seq: string }>(
      `SELECT c.relname AS tbl, a.attname AS col, pg_get_serial_sequence(quote_ident(c.relname), a.attname) AS seq
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid
        WHERE n.nspname = current_schema() AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
          AND pg_get_serial_sequence(quote_ident(c.relname), a.attname) IS NOT NULL`,
    );
    const copied = new Set(tables.map((t) => t.name));
    for (const s of seqs.rows) {
      if (!copied.has(s.tbl)) continue;
      await this.run(`SELECT setval($1::regclass, coalesce((SELECT max(${q(s.col)}) FROM ${q(s.tbl)}), 0) + 1, false)`, [s.seq]);
    }
  }
  async commit(): Promise<void> {
    await this.run('COMMIT');
    this.open = false;
  }
  async rollback(): Promise<void> {
    if (!this.open) return;
    this.open = false;
    await this.c.query('ROLLBACK').catch(() => undefined);
  }
  async close(): Promise<void> {
    await this.rollback();
    await this.c.end().catch(() => undefined);
  }
}

export const postgresCopyBackend: CopyBackend = {
  async prepare(location, create) {
    // Opening runs the migrations (and, for a target, creates the database and the schema).
    const store = await openPostgresStore(location, { create, maxConnections: 1 });
    await store.close();
  },
  async reader(location) {
    const c = await connect(location);
    await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    return new PgReader(c);
  },
  async writer(location) {
    return new PgWriter(await connect(location));
  },
  async settle(location) {
    // The group roles are this database's (`<database>_crm_app`…): a login copied from another
    // store is a member of that store's groups only.
    const store = await openPostgresStore(location, { maxConnections: 1 });
    try {
      const logins = store.users.logins;
      if (!logins) return [];
      const roles = await store.users.dbRoles();
      if (!roles.size) return [];
      const users = new Map((await store.users.list()).map((u) => [u.id, u]));
      const missing: string[] = [];
      try {
        await store.transaction(async () => {
          for (const [id, role] of roles) {
            const user = users.get(id);
            if (!user) continue;
            if (!(await logins.exists(role))) missing.push(`${user.email}: ${role}`);
            else await logins.setGroups(role, user.role);
          }
        });
      } catch (err) {
        // The records are copied and committed: a login left out of the groups is said, not fatal.
        return [...roles.entries()].map(([id, role]) => `${users.get(id)?.email ?? id}: ${role} (${(err as Error).message})`);
      }
      return missing;
    } finally {
      await store.close();
    }
  },
};
