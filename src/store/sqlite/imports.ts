import { BugError } from '../../errors.js';
import { isContactAttempt } from '../../domain/activity.js';
import type { ImportProgress, ImportRecord } from '../../domain/imports.js';
import type { ContactMatch } from '../../domain/leads.js';
import type { StageOutcome } from '../../domain/pipeline.js';
import type { Store } from '../types.js';
import type { Sql } from './index.js';

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

/** A multi-row INSERT: its head, the placeholders of one row, and how many values a row has. */
interface MultiInsert {
  head: string;
  row: string;
  width: number;
  /** The statement's text for n rows, made once: a full chunk's is ~40 KB, and the statement cache hashes it on every lookup (V8 keeps a string's hash, so only the first lookup of one string pays). */
  texts?: Map<number, string>;
}

const LEAD_INSERT: MultiInsert = {
  head: `INSERT INTO leads (id, type, kind, name, business_name, source_id, stage_id, score, value_minor, currency, expected_close, birthday, address,
           custom, status, lost_reason, order_id, converted_at, converted_by, created_by, merged_into, deleted_at, created_at, updated_at, attempted_at,
           import_id, import_line, import_junk) VALUES `,
  row: `(${Array(28).fill('?').join(', ')})`,
  width: 28,
};
const EMAIL_INSERT: MultiInsert = { head: 'INSERT INTO lead_emails (lead_id, position, email, email_norm) VALUES ', row: '(?, ?, ?, ?)', width: 4 };
const PHONE_INSERT: MultiInsert = { head: 'INSERT INTO lead_phones (lead_id, position, phone) VALUES ', row: '(?, ?, ?)', width: 3 };
const ASSIGNEE_INSERT: MultiInsert = { head: 'INSERT OR IGNORE INTO lead_assignees (lead_id, user_id) VALUES ', row: '(?, ?)', width: 2 };
const TAG_INSERT: MultiInsert = { head: 'INSERT OR IGNORE INTO lead_tags (lead_id, tag_id) VALUES ', row: '(?, ?)', width: 2 };

const ROWS_PER_INSERT = 50;

/** Writes rows (their values one after another) ROWS_PER_INSERT rows per statement. */
function insertMany(sql: Sql, ins: MultiInsert, values: unknown[]): void {
  const rows = values.length / ins.width;
  for (let r = 0; r < rows; r += ROWS_PER_INSERT) {
    const n = Math.min(ROWS_PER_INSERT, rows - r);
    // Statements are cached by their text: at most two per table (a full chunk and a batch's remainder).
    const texts = (ins.texts ??= new Map());
    let text = texts.get(n);
    if (text === undefined) texts.set(n, (text = ins.head + Array<string>(n).fill(ins.row).join(', ')));
    const stmt = sql.stmt(text);
    stmt.run(n === rows ? values : values.slice(r * ins.width, (r + n) * ins.width));
  }
}

export function importsRepo(sql: Sql): Store['imports'] {
  // Tag ids by lower-cased name, for the life of the process (tags are never renamed mid-import).
  const tagIds = new Map<string, number>();
  const tagId = (name: string): number => {
    const key = name.toLowerCase();
    let id = tagIds.get(key);
    if (id === undefined) {
      sql.run('INSERT INTO tags (name) VALUES (?) ON CONFLICT (name) DO NOTHING', name);
      id = sql.get<{ id: number }>('SELECT id FROM tags WHERE name = ? COLLATE NOCASE', name)!.id;
      tagIds.set(key, id);
    }
    return id;
  };

  let scratch = false;
  const ensureScratch = () => {
    if (scratch) return;
    // On disk (a private temporary file SQLite deletes on close), with its own small page cache:
    // a dry run of millions of rows keeps millions of keys here.
    // (Not inside a transaction, where SQLite refuses it: the JSON store's in-memory database runs every call in one.)
    if (!sql.db.inTransaction) sql.db.pragma('temp_store = FILE');
    sql.db.exec('CREATE TEMP TABLE IF NOT EXISTS import_scratch (key TEXT PRIMARY KEY, owner INTEGER NOT NULL) WITHOUT ROWID');
    scratch = true;
  };
  let tuned = false;
  let bulkTriggers: { name: string; sql: string }[] | undefined;
  return {
    async create(rec) {
      const res = sql.run(
        `INSERT INTO imports (file, content_hash, bytes, status, options, user_id, started_at, rejects_file) VALUES (?, ?, ?, 'running', ?, ?, ?, ?)`,
        rec.file, rec.contentHash, rec.bytes, JSON.stringify(rec.options), rec.userId, rec.startedAt, rec.rejectsFile,
      );
      return toRecord(sql.get<ImportRow>(`${SELECT} WHERE i.id = ?`, Number(res.lastInsertRowid))!);
    },
    async get(id) {
      const r = sql.get<ImportRow>(`${SELECT} WHERE i.id = ?`, id);
      return r && toRecord(r);
    },
    async latestByHash(hash) {
      const r = sql.get<ImportRow>(`${SELECT} WHERE i.content_hash = ? ORDER BY i.id DESC LIMIT 1`, hash);
      return r && toRecord(r);
    },
    async list(limit = 100) {
      return sql.all<ImportRow>(`${SELECT} ORDER BY i.id DESC LIMIT ?`, limit).map(toRecord);
    },
    async progress(id, patch) {
      const entries = Object.entries(patch).filter(([, v]) => v !== undefined) as [keyof ImportProgress, unknown][];
      if (!entries.length) return;
      sql.run(`UPDATE imports SET ${entries.map(([k]) => `${PROGRESS_COLUMNS[k]} = ?`).join(', ')} WHERE id = ?`, ...entries.map(([, v]) => v), id);
    },
    async matchContacts(emailsNorm, phones) {
      // The whole batch in one statement per table (its values as one JSON array): one indexed
      // lookup per value inside SQLite, and rows as arrays, not objects.
      const lookup = (table: string, col: string) =>
        sql.stmt(
          `SELECT c.lead_id, l.status, s.outcome, l.deleted_at IS NOT NULL, c.${col} FROM json_each(?) v
             JOIN ${table} c ON c.${col} = v.value JOIN leads l ON l.id = c.lead_id JOIN stages s ON s.id = l.stage_id`,
        ).raw(true);
      const out: ContactMatch[] = [];
      const look = (stmt: ReturnType<typeof lookup>, values: string[], on: ContactMatch['on']) => {
        if (!values.length) return;
        for (const r of stmt.all(JSON.stringify(values)) as [number, ContactMatch['status'], StageOutcome, number, string][]) {
          out.push({ id: r[0], status: r[1], stageOutcome: r[2], deleted: r[3] === 1, on, value: r[4] });
        }
      };
      look(lookup('lead_emails', 'email_norm'), emailsNorm, 'email');
      look(lookup('lead_phones', 'phone'), phones, 'phone');
      return out;
    },
    async beginBulk() {
      if (tuned) return;
      // Measured on 100k leads: with temp_store = FILE every statement journal (the leads insert
      // fires triggers, so each insert keeps one) was written to a temporary file, ~16 pwrite()s
      // per lead and about half of the import's CPU time in the kernel; in memory it costs nothing.
      if (!sql.db.inTransaction) sql.db.pragma('temp_store = MEMORY');
      // Random-order inserts into the email and phone indexes: a bigger page cache keeps their
      // pages in memory, and fewer, larger checkpoints mean fewer fsyncs.
      sql.db.pragma('cache_size = -32768');
      sql.db.pragma('wal_autocheckpoint = 10000');
      // The store's memory map would make every page an import touches count in its RSS (up to
      // 256 MB more on a large store); the page cache above is bounded.
      sql.db.pragma('mmap_size = 0');
      tuned = true;
    },
    async recall(keys) {
      ensureScratch();
      const out = new Map<string, number>();
      if (!keys.length) return out;
      for (const [k, owner] of sql.stmt('SELECT s.key, s.owner FROM json_each(?) v JOIN temp.import_scratch s ON s.key = v.value').raw(true).all(JSON.stringify(keys)) as [string, number][]) {
        out.set(k, owner);
      }
      return out;
    },
    async remember(entries) {
      ensureScratch();
      if (!entries.length) return;
      sql.run(
        'INSERT INTO temp.import_scratch (key, owner) SELECT v.value ->> 0, v.value ->> 1 FROM json_each(?) v WHERE true ON CONFLICT (key) DO UPDATE SET owner = excluded.owner',
        JSON.stringify(entries),
      );
    },
    async insertLeads(leads, at) {
      if (!leads.length) return [];
      // Outside a transaction the triggers dropped below could be committed missing.
      if (!sql.db.inTransaction) throw new BugError('imports.insertLeads must run inside a transaction');
      const ids: number[] = [];
      // Triggers cost even when they do nothing: measured with callgrind on 20k leads, the ones that
      // fired on these inserts (lead_stats_insert, then off by a bulk switch, and the former
      // activities_attempted, whose WHEN skipped 'created') took ~80k of ~230k instructions per lead.
      // Inside this transaction lead_stats_insert is dropped and re-created before it commits (DDL is
      // transactional in SQLite), so no other connection ever sees the schema without it; lead_stats
      // gets the batch in one grouped statement below.
      bulkTriggers ??= sql.all<{ name: string; sql: string }>(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name = 'lead_stats_insert'`);
      for (const t of bulkTriggers) sql.db.exec(`DROP TRIGGER ${t.name}`);
      try {
        // The batch's ids are chosen here (max + 1 onwards, what SQLite would choose: this is the
        // only writer inside the transaction), so every table's rows can be written in
        // multi-row INSERTs, ROWS_PER_INSERT at a time: one statement step per 50 leads instead of
        // ~4 per lead. Measured on 200k leads: 29.7 → 24.5 µs per lead in all, commits included.
        let id = (sql.get<{ m: number }>('SELECT coalesce(max(id), 0) AS m FROM leads')!.m) + 1;
        const leadRows: unknown[] = [];
        const emailRows: unknown[] = [];
        const phoneRows: unknown[] = [];
        const assigneeRows: unknown[] = [];
        const tagRows: unknown[] = [];
        // A lead's only entry is its 'created' one (from its import_* columns, no row: migration
        // 0021): attempted then only if creating counts as an attempt.
        const attemptedAt = isContactAttempt('created') ? at : null;
        for (const { fields: f, importId, line, createdAt } of leads) {
          const created = createdAt ?? at;
          leadRows.push(
            id, f.type, f.kind, f.name, f.businessName, f.sourceId, f.stageId, f.score, f.valueMinor, f.currency, f.expectedClose, f.birthday, f.address,
            Object.keys(f.custom).length ? JSON.stringify(f.custom) : '{}', f.status, f.lostReason, f.orderId, f.convertedAt, f.convertedBy, f.createdBy, f.mergedInto, f.deletedAt,
            created, at, attemptedAt && created, importId, line, f.status === 'junk' ? 1 : 0,
          );
          for (let i = 0; i < f.emails.length; i++) emailRows.push(id, i, f.emails[i], f.emails[i]!.toLowerCase());
          for (let i = 0; i < f.phones.length; i++) phoneRows.push(id, i, f.phones[i]);
          for (const u of f.assigneeIds) assigneeRows.push(id, u);
          for (const t of f.tags) tagRows.push(id, tagId(t));
          ids.push(id++);
        }
        insertMany(sql, LEAD_INSERT, leadRows);
        insertMany(sql, EMAIL_INSERT, emailRows);
        insertMany(sql, PHONE_INSERT, phoneRows);
        insertMany(sql, ASSIGNEE_INSERT, assigneeRows);
        insertMany(sql, TAG_INSERT, tagRows);
      } finally {
        // After an error SQLite may have rolled the transaction back already (the triggers with it).
        if (sql.db.inTransaction) for (const t of bulkTriggers) sql.db.exec(t.sql);
      }
      // Rowids are max + 1 inside one write transaction, so the batch is exactly this id range.
      sql.run(
        `INSERT INTO lead_stats (stage_id, source_id, type, status, currency, furthest_stage_id, count, valued, value_minor, not_attempted, converted, cycle_days)
           SELECT stage_id, coalesce(source_id, 0), type, status, currency, coalesce(furthest_stage_id, 0),
                  count(*), count(value_minor), coalesce(sum(value_minor), 0), count(*) FILTER (WHERE attempted_at IS NULL),
                  count(converted_at), coalesce(sum(julianday(converted_at) - julianday(created_at)), 0)
             FROM leads WHERE id BETWEEN ? AND ? AND deleted_at IS NULL
            GROUP BY 1, 2, 3, 4, 5, 6
         ON CONFLICT DO UPDATE SET count = count + excluded.count, valued = valued + excluded.valued,
           value_minor = value_minor + excluded.value_minor, not_attempted = not_attempted + excluded.not_attempted,
           converted = converted + excluded.converted, cycle_days = cycle_days + excluded.cycle_days`,
        ids[0], ids[ids.length - 1],
      );
      return ids;
    },
  };
}

export function maintenanceRepo(sql: Sql): Store['maintenance'] {
  return {
    async customKeys() {
      return sql.all<{ key: string }>("SELECT DISTINCT j.key FROM leads l, json_each(l.custom) j WHERE l.custom <> '{}' ORDER BY j.key").map((r) => r.key);
    },
  };
}
