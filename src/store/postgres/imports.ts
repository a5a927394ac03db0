import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { BugError } from '../../errors.js';
import { isContactAttempt } from '../../domain/activity.js';
import type { ImportProgress, ImportRecord } from '../../domain/imports.js';
import type { ContactMatch } from '../../domain/leads.js';
import type { StageOutcome } from '../../domain/pipeline.js';
import type { Store } from '../types.js';
import { translate, type PgSql } from './sql.js';

interface ImportRow {
  id: number;
  file: string;
  content_hash: string;
  bytes: number;
  status: ImportRecord['status'];
  options: string;
  user_id: number | null;
  user: string | null;
  started_at: string;
  finished_at: string | null;
  last_line: number;
  rows: number;
  imported: number;
  junk: number;
  reengaged: number;
  updated: number;
  merged: number;
  skipped: number;
  rejected: number;
  suppressed: number;
  rejects_file: string | null;
  rejects_bytes: number;
}

const SELECT = 'SELECT i.*, u.email AS user FROM imports i LEFT JOIN users u ON u.id = i.user_id';

const PROGRESS_COLUMNS: Record<keyof ImportProgress, string> = {
  rows: 'rows',
  imported: 'imported',
  junk: 'junk',
  reengaged: 'reengaged',
  updated: 'updated',
  merged: 'merged',
  skipped: 'skipped',
  rejected: 'rejected',
  suppressed: 'suppressed',
  status: 'status',
  lastLine: 'last_line',
  rejectsBytes: 'rejects_bytes',
  finishedAt: 'finished_at',
  rejectsFile: 'rejects_file',
};

function toRecord(r: ImportRow): ImportRecord {
  return {
    id: r.id,
    file: r.file,
    contentHash: r.content_hash,
    bytes: r.bytes,
    status: r.status,
    options: JSON.parse(r.options) as Record<string, unknown>,
    userId: r.user_id,
    user: r.user,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    lastLine: r.last_line,
    rows: r.rows,
    imported: r.imported,
    junk: r.junk,
    reengaged: r.reengaged,
    updated: r.updated,
    merged: r.merged,
    skipped: r.skipped,
    rejected: r.rejected,
    suppressed: Number(r.suppressed ?? 0),
    rejectsFile: r.rejects_file,
    rejectsBytes: r.rejects_bytes,
  };
}

/** COPY's text format: a column's value (\\N is NULL; backslash, tab, newline and carriage return escaped). */
function field(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'number') return String(v);
  const t = String(v);
  return /[\\\t\n\r]/.test(t) ? t.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : t;
}

/** Rows of one table in COPY's text format, built as the batch is read. */
class CopyRows {
  private parts: string[] = [];
  constructor(
    readonly table: string,
    readonly columns: string,
  ) {}
  add(...values: unknown[]): void {
    let line = field(values[0]);
    for (let i = 1; i < values.length; i++) line += `\t${field(values[i])}`;
    this.parts.push(`${line}\n`);
  }
  /** Streams the rows into the table with one COPY … FROM STDIN on the transaction's client. */
  async write(client: PoolClient): Promise<void> {
    if (!this.parts.length) return;
    const { from } = await copyStreams();
    const stream = client.query(from(`COPY ${this.table} (${this.columns}) FROM STDIN`));
    // In slices of about 64 KB (node-postgres sends each as one CopyData message); pipeline
    // waits for the server's answer and fails with its error.
    const parts = this.parts;
    await pipeline(Readable.from((function* () {
      let chunk = '';
      for (const p of parts) {
        chunk += p;
        if (chunk.length >= 65_536) {
          yield chunk;
          chunk = '';
        }
      }
      if (chunk) yield chunk;
    })()), stream);
  }
}

/** pg-copy-streams, loaded on the first bulk insert only. */
let copyModule: Promise<typeof import('pg-copy-streams')> | undefined;
const copyStreams = () => (copyModule ??= import('pg-copy-streams'));

export function importsRepo(sql: PgSql): Store['imports'] {
  // Tag ids by lower-cased name, for the life of the handle (tags are never renamed mid-import).
  const tagIds = new Map<string, number>();
  const tagId = async (name: string): Promise<number> => {
    const key = name.toLowerCase();
    let id = tagIds.get(key);
    if (id === undefined) {
      await sql.run('INSERT INTO tags (name) VALUES (?) ON CONFLICT (name) DO NOTHING', name);
      id = (await sql.get<{ id: number }>('SELECT id FROM tags WHERE name = ? COLLATE NOCASE', name))!.id;
      tagIds.set(key, id);
    }
    return id;
  };

  // The leads' sequence (looked up once).
  let seq: string | undefined;

  // A dry run's scratch: a temporary table lives on one connection, so the handle keeps one
  // connection of its pool for it (from the first recall or remember until the handle closes).
  // PostgreSQL keeps a temporary table in the session's temp buffers and spills it to disk.
  let scratch: Promise<PoolClient> | undefined;
  const scratchClient = (): Promise<PoolClient> => {
    scratch ??= (async () => {
      const client = await sql.pool.connect();
      try {
        await client.query('CREATE TEMP TABLE IF NOT EXISTS import_scratch (key text PRIMARY KEY, owner bigint NOT NULL)');
      } catch (err) {
        client.release(true);
        scratch = undefined;
        throw translate(err);
      }
      sql.closers.push(async () => {
        client.release(true);
      });
      return client;
    })();
    return scratch;
  };

  return {
    async create(rec) {
      const r = await sql.get<{ id: number }>(
        `INSERT INTO imports (file, content_hash, bytes, status, options, user_id, started_at, rejects_file) VALUES (?, ?, ?, 'running', ?, ?, ?, ?) RETURNING id`,
        rec.file, rec.contentHash, rec.bytes, JSON.stringify(rec.options), rec.userId, rec.startedAt, rec.rejectsFile,
      );
      return toRecord((await sql.get<ImportRow>(`${SELECT} WHERE i.id = ?`, r!.id))!);
    },
    async get(id) {
      const r = await sql.get<ImportRow>(`${SELECT} WHERE i.id = ?`, id);
      return r && toRecord(r);
    },
    async latestByHash(hash) {
      const r = await sql.get<ImportRow>(`${SELECT} WHERE i.content_hash = ? ORDER BY i.id DESC LIMIT 1`, hash);
      return r && toRecord(r);
    },
    async list(limit = 100) {
      return (await sql.all<ImportRow>(`${SELECT} ORDER BY i.id DESC LIMIT ?`, limit)).map(toRecord);
    },
    async progress(id, patch) {
      const entries = Object.entries(patch).filter(([, v]) => v !== undefined) as [keyof ImportProgress, unknown][];
      if (!entries.length) return;
      await sql.run(`UPDATE imports SET ${entries.map(([k]) => `${PROGRESS_COLUMNS[k]} = ?`).join(', ')} WHERE id = ?`, ...entries.map(([, v]) => v), id);
    },
    async matchContacts(emailsNorm, phones) {
      // The whole batch in one statement per table (its values as one array), one indexed lookup
      // per value: the lateral subquery (OFFSET 0 keeps it one) is run for each value, so the
      // planner cannot turn the batch into a scan of every stored contact and a hash join, which
      // it prefers for a few thousand values, more so while the table's statistics are stale
      // (an import that grows it), and which grows with the store's size batch after batch.
      const out: ContactMatch[] = [];
      const look = async (table: string, col: string, values: string[], on: ContactMatch['on']) => {
        if (!values.length) return;
        const rows = await sql.all<{ lead_id: number; status: ContactMatch['status']; outcome: StageOutcome; deleted: boolean; value: string }>(
          `SELECT m.* FROM unnest(?::text[]) v(value) CROSS JOIN LATERAL (
             SELECT c.lead_id, l.status, s.outcome, l.deleted_at IS NOT NULL AS deleted, c.${col} AS value
               FROM ${table} c JOIN leads l ON l.id = c.lead_id JOIN stages s ON s.id = l.stage_id
              WHERE c.${col} = v.value OFFSET 0) m`,
          values,
        );
        for (const r of rows) out.push({ id: r.lead_id, status: r.status, stageOutcome: r.outcome, deleted: r.deleted, on, value: r.value });
      };
      await look('lead_emails', 'email_norm', emailsNorm, 'email');
      await look('lead_phones', 'phone', phones, 'phone');
      return out;
    },
    async beginBulk() {
      // Nothing to tune: PostgreSQL's settings that would speed a bulk load (synchronous_commit
      // off, unlogged tables) trade durability away; the batches commit as any transaction does.
    },
    async recall(keys) {
      const client = await scratchClient();
      const out = new Map<string, number>();
      if (!keys.length) return out;
      const res = await client.query<{ key: string; owner: number }>('SELECT s.key, s.owner FROM unnest($1::text[]) v(key) JOIN import_scratch s ON s.key = v.key', [keys]).catch((err: unknown) => {
        throw translate(err);
      });
      for (const r of res.rows) out.set(r.key, Number(r.owner));
      return out;
    },
    async remember(entries) {
      const client = await scratchClient();
      if (!entries.length) return;
      // One row per key (the last entry wins, as one after another would): ON CONFLICT DO UPDATE
      // may not touch a row twice in one statement.
      const last = new Map(entries);
      await client.query(
        'INSERT INTO import_scratch (key, owner) SELECT * FROM unnest($1::text[], $2::bigint[]) ON CONFLICT (key) DO UPDATE SET owner = excluded.owner',
        [[...last.keys()], [...last.values()]],
      ).catch((err: unknown) => {
        throw translate(err);
      });
    },
    async insertLeads(leads, at) {
      if (!leads.length) return [];
      const client = sql.flow.getStore();
      if (!client) throw new BugError('imports.insertLeads must run inside a transaction');
      const ids: number[] = [];
      try {
        // Not durable at commit (only this transaction): a crash may lose the last batches, whose
        // rows and progress (imports.last_line) commit together, so the run resumes where the
        // database is; the import's final commit ('done') is synchronous and flushes them all.
        await client.query('SET LOCAL synchronous_commit = off');
        // The batch's ids are taken from the leads' sequence first (one statement), so every
        // row is known before anything is written. The batch goes to a temporary table by one
        // COPY … FROM STDIN (COPY FROM is refused on a table with row-level security, which every
        // login but a superuser is under), and from there into each table by one INSERT … SELECT,
        // all in one round trip (policies checked once per statement, lead_stats kept by the
        // statement-level trigger on leads once for the batch).
        seq ??= (await client.query<{ s: string }>("SELECT pg_get_serial_sequence('leads', 'id') AS s")).rows[0]!.s;
        const reserved = await client.query<{ id: number }>('SELECT nextval($1::regclass) AS id FROM generate_series(1, $2)', [seq, leads.length]);
        const fresh = reserved.rows.map((r) => Number(r.id)).sort((a, b) => a - b);
        const stage = new CopyRows('crm_import_stage', STAGE_COLUMNS);
        // A lead's only entry is its 'created' one (from its import_* columns, no row: migration
        // 0005): attempted then only if creating counts as an attempt.
        const attemptedAt = isContactAttempt('created') ? at : null;
        for (let n = 0; n < leads.length; n++) {
          const { fields: f, importId, line, createdAt } = leads[n]!;
          const created = createdAt ?? at;
          const id = fresh[n]!;
          const tags = new Set<number>();
          for (const t of f.tags) tags.add(await tagId(t));
          stage.add(
            id, f.type, f.kind, f.name, f.businessName, f.sourceId, f.stageId, f.score, f.valueMinor, f.currency, f.expectedClose, f.birthday, f.address,
            Object.keys(f.custom).length ? JSON.stringify(f.custom) : '{}', f.status, f.lostReason, f.orderId, f.convertedAt, f.convertedBy, f.createdBy, f.mergedInto, f.deletedAt,
            created, at, attemptedAt && created, importId, line, f.status === 'junk' ? 1 : 0,
            textArray(f.emails), textArray(f.emails.map((e) => e.toLowerCase())), textArray(f.phones),
            // A list naming one user or tag twice gives one row.
            `{${[...new Set(f.assigneeIds)].join(',')}}`, `{${[...tags].join(',')}}`,
          );
          ids.push(id);
        }
        await client.query(STAGE_TABLE);
        await stage.write(client);
        await client.query(`
          INSERT INTO leads (${LEAD_COLUMNS}) SELECT ${LEAD_COLUMNS} FROM crm_import_stage ORDER BY id;
          INSERT INTO lead_emails (lead_id, position, email, email_norm)
            SELECT s.id, e.n - 1, e.email, e.norm FROM crm_import_stage s, unnest(s.emails, s.emails_norm) WITH ORDINALITY e(email, norm, n) ORDER BY 1, 2;
          INSERT INTO lead_phones (lead_id, position, phone)
            SELECT s.id, p.n - 1, p.phone FROM crm_import_stage s, unnest(s.phones) WITH ORDINALITY p(phone, n) ORDER BY 1, 2;
          INSERT INTO lead_assignees (lead_id, user_id) SELECT s.id, a.u FROM crm_import_stage s, unnest(s.assignees) a(u) ORDER BY 1, 2;
          INSERT INTO lead_tags (lead_id, tag_id) SELECT s.id, t.t FROM crm_import_stage s, unnest(s.tags) t(t) ORDER BY 1, 2;
          TRUNCATE crm_import_stage`);
      } catch (err) {
        throw translate(err);
      }
      return ids;
    },
  };
}

const LEAD_COLUMNS = `id, type, kind, name, business_name, source_id, stage_id, score, value_minor, currency, expected_close, birthday, address,
  custom, status, lost_reason, order_id, converted_at, converted_by, created_by, merged_into, deleted_at, created_at, updated_at, attempted_at,
  import_id, import_line, import_junk`;
const STAGE_COLUMNS = `${LEAD_COLUMNS}, emails, emails_norm, phones, assignees, tags`;
/** The staging table: a session's own (no row-level security), emptied after each batch and at commit. */
const STAGE_TABLE = `CREATE TEMP TABLE IF NOT EXISTS crm_import_stage (
  id bigint, type text, kind text, name text, business_name text, source_id bigint, stage_id bigint, score bigint, value_minor bigint,
  currency text, expected_close text, birthday text, address text, custom text, status text, lost_reason text, order_id text,
  converted_at text, converted_by bigint, created_by bigint, merged_into bigint, deleted_at text, created_at text, updated_at text,
  attempted_at text, import_id bigint, import_line bigint, import_junk bigint, emails text[], emails_norm text[], phones text[], assignees bigint[], tags bigint[]
) ON COMMIT DELETE ROWS`;
/** A text[] literal (each element quoted, backslash and double quote escaped), for a COPY field. */
function textArray(values: readonly string[]): string {
  if (!values.length) return '{}';
  let out = '{';
  for (let i = 0; i < values.length; i++) out += `${i ? ',' : ''}"${values[i]!.replace(/[\\"]/g, '\\$&')}"`;
  return `${out}}`;
}

export function maintenanceRepo(sql: PgSql): Store['maintenance'] {
  return {
    async customKeys() {
      return (await sql.all<{ key: string }>("SELECT DISTINCT j.key COLLATE \"C\" AS key FROM leads l, jsonb_object_keys(l.custom::jsonb) j(key) WHERE l.custom <> '{}' ORDER BY 1")).map((r) => r.key);
    },
  };
}
