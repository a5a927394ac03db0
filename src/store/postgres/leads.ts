/**
 * Leads on PostgreSQL: the port of src/store/sqlite/leads.ts (same SQL where the dialects agree).
 * Differences: LIKE cannot run on a nondeterministic (nocase) collation, so the search matches
 * under "C" with ILIKE (ASCII case folded, as SQLite's LIKE does); long id lists travel as one
 * array parameter (`= ANY(?)`), so a page of any size stays under PostgreSQL's 65,535 parameters;
 * text sorted binary on SQLite is sorted COLLATE "C" here, whatever the database's collation, and
 * text sorted NOCASE by NOCASE_ORDER (the nocase collation still serves equality).
 */
import type { ContactMatch, Lead, LeadFields, LeadFilterField, LeadFilterNode, LeadQuery, LeadSortKey } from '../../domain/leads.js';
import type { StageOutcome } from '../../domain/pipeline.js';
import type { Store } from '../types.js';
import type { PgSql } from './sql.js';
import { keyed } from '../../domain/keyed.js';

interface LeadRow {
  id: number;
  type: Lead['type'];
  kind: Lead['kind'];
  name: string;
  business_name: string | null;
  source_id: number | null;
  source: string | null;
  stage_id: number;
  stage: string;
  stage_outcome: StageOutcome;
  stage_probability: number;
  score: number;
  value_minor: number | null;
  currency: string;
  expected_close: string | null;
  birthday: string | null;
  address: string | null;
  custom: string;
  status: Lead['status'];
  lost_reason: string | null;
  order_id: string | null;
  converted_at: string | null;
  converted_by: number | null;
  created_by: number | null;
  created_by_email: string | null;
  merged_into: number | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

const SELECT = `SELECT l.*, s.name AS stage, s.outcome AS stage_outcome, s.probability AS stage_probability,
       src.name AS source, cu.email AS created_by_email
  FROM leads l
  JOIN stages s ON s.id = l.stage_id
  LEFT JOIN sources src ON src.id = l.source_id
  LEFT JOIN users cu ON cu.id = l.created_by`;

/**
 * SQLite's NOCASE order: ASCII letters folded, then byte (code point) order. lower() under "C"
 * folds ASCII only, so this sorts exactly as SQLite does ('Émile' after 'zebra', '_x' before 'a'),
 * where the ICU nocase collation would sort linguistically.
 */
export const NOCASE_ORDER = (col: string) => `lower(${col} COLLATE "C")`;

const SORT_SQL: Record<LeadSortKey, string> = {
  id: 'l.id',
  name: NOCASE_ORDER('l.name'),
  score: 'l.score',
  value: 'l.value_minor',
  created: 'l.created_at',
  updated: 'l.updated_at',
  'expected-close': 'l.expected_close',
  stage: 's.position',
};

/**
 * A lead's list fields, for the lead row `${alias}`, in SQLite's orders: emails and phones by
 * position, tags NOCASE, assignees by name (BINARY). json_agg keeps ids numbers.
 */
const childColumns = (alias: string) => `
    (SELECT array_agg(e.email ORDER BY e.position) FROM lead_emails e WHERE e.lead_id = ${alias}.id) AS emails,
    (SELECT array_agg(p.phone ORDER BY p.position) FROM lead_phones p WHERE p.lead_id = ${alias}.id) AS phones,
    (SELECT array_agg(t.name ORDER BY lower(t.name COLLATE "C")) FROM lead_tags lt JOIN tags t ON t.id = lt.tag_id WHERE lt.lead_id = ${alias}.id) AS tags,
    (SELECT json_agg(json_build_object('id', u.id, 'name', u.name, 'email', u.email) ORDER BY u.name COLLATE "C")
       FROM lead_assignees la JOIN users u ON u.id = la.user_id WHERE la.lead_id = ${alias}.id) AS assignees`;
/** The list fields of the leads whose ids are the one array parameter. */
const CHILDREN = `SELECT i.id, ${childColumns('i')} FROM unnest(?::bigint[]) AS i(id)`;
/** One lead with its list fields: one round trip. */
const SELECT_ONE = SELECT.replace('SELECT l.*,', `SELECT l.*, ${childColumns('l')},`);

interface Children {
  emails: string[] | null;
  phones: string[] | null;
  tags: string[] | null;
  assignees: Lead['assignees'] | null;
}

/** Column for each scalar field of LeadFields; list fields live in child tables. */
const COLUMNS: Partial<Record<keyof LeadFields, string>> = {
  type: 'type',
  kind: 'kind',
  name: 'name',
  businessName: 'business_name',
  sourceId: 'source_id',
  stageId: 'stage_id',
  score: 'score',
  valueMinor: 'value_minor',
  currency: 'currency',
  expectedClose: 'expected_close',
  birthday: 'birthday',
  address: 'address',
  custom: 'custom',
  status: 'status',
  lostReason: 'lost_reason',
  orderId: 'order_id',
  convertedAt: 'converted_at',
  convertedBy: 'converted_by',
  createdBy: 'created_by',
  mergedInto: 'merged_into',
  deletedAt: 'deleted_at',
};

/** SQL for one segment filter field; values always travel as parameters. */
const FILTER_COLUMN: Record<LeadFilterField, string> = {
  stage: 'l.stage_id',
  source: 'l.source_id',
  score: 'l.score',
  value: 'l.value_minor',
  status: 'l.status',
  type: 'l.type',
  created: 'substr(l.created_at, 1, 10)',
  tag: '',
  assigned: '',
  payment: '',
};
const MEMBER: Partial<Record<LeadFilterField, string>> = {
  tag: 'SELECT 1 FROM lead_tags lt JOIN tags t ON t.id = lt.tag_id WHERE lt.lead_id = l.id AND t.name COLLATE NOCASE',
  assigned: 'SELECT 1 FROM lead_assignees la WHERE la.lead_id = l.id AND la.user_id',
  // An invoice (a billed order: drafts are not invoices) of the lead in one of the statuses.
  payment: 'SELECT 1 FROM orders o WHERE o.lead_id = l.id AND o.invoice_number IS NOT NULL AND o.status',
};
const OPS = new Set(['=', '!=', '<', '<=', '>', '>=']);

/** Compiles a resolved filter tree to a parameterised condition (L9): the twin of SQLite's, same SQL. */
export function compileFilter(node: LeadFilterNode, params: unknown[]): string {
  if ('left' in node) {
    return `(${compileFilter(node.left, params)} ${node.kind === 'and' ? 'AND' : 'OR'} ${compileFilter(node.right, params)})`;
  }
  const values = node.kind === 'in' ? node.values : [node.value];
  const negate = node.kind === 'in' ? node.not : node.op === '!=';
  // SQLite takes an empty IN () (never true); PostgreSQL refuses it: the same truth value here.
  if (values.length === 0) return negate ? 'TRUE' : 'FALSE';
  const marks = values.map(() => '?').join(', ');
  params.push(...values);
  const member = MEMBER[node.field];
  if (member) return `${negate ? 'NOT ' : ''}EXISTS (${member} IN (${marks}))`;
  const col = FILTER_COLUMN[node.field];
  if (!col) throw new Error(`unknown filter field ${String(node.field)}`);
  if (node.kind === 'cmp' && node.op !== '=' && node.op !== '!=') {
    if (!OPS.has(node.op)) throw new Error(`unknown filter operator ${String(node.op)}`);
    return `${col} ${node.op} ?`;
  }
  // A missing value (no source, no value) is "not equal" to everything: NULL-safe negation.
  return negate ? `(${col} IS NULL OR ${col} NOT IN (${marks}))` : `${col} IN (${marks})`;
}

export function where(q: LeadQuery): { sql: string; params: unknown[] } {
  const conds: string[] = [];
  const params: unknown[] = [];
  const deleted = q.deleted ?? 'exclude';
  if (deleted === 'exclude') conds.push('l.deleted_at IS NULL');
  if (deleted === 'only') conds.push('l.deleted_at IS NOT NULL');
  if (q.afterId !== undefined) {
    conds.push('l.id > ?');
    params.push(q.afterId);
  }
  if (q.beforeId !== undefined) {
    conds.push('l.id < ?');
    params.push(q.beforeId);
  }
  if (q.type) {
    conds.push('l.type = ?');
    params.push(q.type);
  }
  const inList = (col: string, values: unknown[]) => {
    conds.push(`${col} IN (${values.map(() => '?').join(', ')})`);
    params.push(...values);
  };
  if (q.stageIds?.length) inList('l.stage_id', q.stageIds);
  if (q.sourceIds?.length) inList('l.source_id', q.sourceIds);
  if (q.statuses?.length) inList('l.status', q.statuses);
  if (q.tag) {
    conds.push('EXISTS (SELECT 1 FROM lead_tags lt JOIN tags t ON t.id = lt.tag_id WHERE lt.lead_id = l.id AND t.name = ? COLLATE NOCASE)');
    params.push(q.tag);
  }
  for (const userId of [q.assigneeId, q.visibleTo]) {
    if (userId === undefined) continue;
    conds.push('EXISTS (SELECT 1 FROM lead_assignees la WHERE la.lead_id = l.id AND la.user_id = ?)');
    params.push(userId);
  }
  if (q.minScore !== undefined) {
    conds.push('l.score >= ?');
    params.push(q.minScore);
  }
  if (q.maxScore !== undefined) {
    conds.push('l.score <= ?');
    params.push(q.maxScore);
  }
  if (q.search) {
    // SQLite's LIKE ignores ASCII case: ILIKE under "C" does the same (and runs on nocase columns too).
    const like = `%${q.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conds.push(`(l.name COLLATE "C" ILIKE ? ESCAPE '\\' OR l.business_name COLLATE "C" ILIKE ? ESCAPE '\\'
      OR EXISTS (SELECT 1 FROM lead_emails e WHERE e.lead_id = l.id AND e.email_norm COLLATE "C" ILIKE ? ESCAPE '\\')
      OR EXISTS (SELECT 1 FROM lead_phones p WHERE p.lead_id = l.id AND p.phone COLLATE "C" ILIKE ? ESCAPE '\\'))`);
    params.push(like, like, like, like);
  }
  if (q.filter) conds.push(compileFilter(q.filter, params));
  return { sql: conds.length ? `WHERE ${conds.join(' AND ')}` : '', params };
}

export function leadsRepo(sql: PgSql): Store['leads'] {
  /**
   * Writes the list fields given (each list replaced whole), one statement per list: the values
   * travel as arrays. A new lead (fresh) has no rows to delete first.
   */
  async function writeChildren(id: number, f: Partial<LeadFields>, fresh = false): Promise<void> {
    if (f.emails) {
      if (!fresh) await sql.run('DELETE FROM lead_emails WHERE lead_id = ?', id);
      if (f.emails.length) {
        await sql.run(
          `INSERT INTO lead_emails (lead_id, position, email, email_norm)
           SELECT ?::bigint, x.n - 1, x.email, x.norm FROM unnest(?::text[], ?::text[]) WITH ORDINALITY AS x(email, norm, n)`,
          id, f.emails, f.emails.map((e) => e.toLowerCase()),
        );
      }
    }
    if (f.phones) {
      if (!fresh) await sql.run('DELETE FROM lead_phones WHERE lead_id = ?', id);
      if (f.phones.length) {
        await sql.run(
          'INSERT INTO lead_phones (lead_id, position, phone) SELECT ?::bigint, x.n - 1, x.phone FROM unnest(?::text[]) WITH ORDINALITY AS x(phone, n)',
          id, f.phones,
        );
      }
    }
    if (f.assigneeIds) {
      if (!fresh) await sql.run('DELETE FROM lead_assignees WHERE lead_id = ?', id);
      if (f.assigneeIds.length) await sql.run('INSERT INTO lead_assignees (lead_id, user_id) SELECT ?::bigint, unnest(?::bigint[])', id, [...new Set(f.assigneeIds)]);
    }
    if (f.tags) {
      if (!fresh) await sql.run('DELETE FROM lead_tags WHERE lead_id = ?', id);
      if (f.tags.length) {
        // In list order, so of two spellings of a new tag the first names it (as SQLite's loop does).
        await sql.run('INSERT INTO tags (name) SELECT x.name FROM unnest(?::text[]) WITH ORDINALITY AS x(name, n) ORDER BY x.n ON CONFLICT (name) DO NOTHING', f.tags);
        await sql.run('INSERT INTO lead_tags (lead_id, tag_id) SELECT ?::bigint, id FROM tags WHERE name COLLATE NOCASE = ANY(?::text[]) ON CONFLICT DO NOTHING', id, f.tags);
      }
    }
  }

  function scalarColumns(f: Partial<LeadFields>): [string[], unknown[]] {
    const cols: string[] = [];
    const vals: unknown[] = [];
    for (const [key, col] of Object.entries(COLUMNS) as [keyof LeadFields, string][]) {
      const v = f[key];
      if (v === undefined) continue;
      cols.push(col);
      vals.push(key === 'custom' ? JSON.stringify(v) : v);
    }
    return [cols, vals];
  }

  /** Loads the list fields of many leads in one query (the ids as one array parameter). */
  async function hydrate(rows: LeadRow[]): Promise<Lead[]> {
    if (rows.length === 0) return [];
    const children = new Map<number, Children>();
    for (const c of await sql.all<Children & { id: number }>(CHILDREN, rows.map((r) => r.id))) children.set(c.id, c);
    return rows.map((r) => toLead(r, children.get(r.id)));
  }

  function toLead(r: LeadRow, c: Children | undefined): Lead {
    return {
      id: r.id,
      type: r.type,
      kind: r.kind,
      name: r.name,
      businessName: r.business_name,
      emails: c?.emails ?? [],
      phones: c?.phones ?? [],
      source: r.source,
      stage: r.stage,
      stageOutcome: r.stage_outcome,
      stageProbability: r.stage_probability,
      score: r.score,
      valueMinor: r.value_minor,
      currency: r.currency,
      expectedClose: r.expected_close,
      assignees: c?.assignees ?? [],
      tags: c?.tags ?? [],
      birthday: r.birthday,
      address: r.address,
      custom: keyed(JSON.parse(r.custom) as Record<string, string>),
      status: r.status,
      lostReason: r.lost_reason,
      orderId: r.order_id,
      convertedAt: r.converted_at,
      createdBy: r.created_by_email,
      mergedInto: r.merged_into,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      deletedAt: r.deleted_at,
    };
  }

  return {
    async insert(f, at) {
      const [cols, vals] = scalarColumns(f);
      const id = await sql.insert(
        `INSERT INTO leads (${cols.join(', ')}, created_at, updated_at) VALUES (${cols.map(() => '?').join(', ')}, ?, ?)`,
        ...vals, at, at,
      );
      await writeChildren(id, f, true);
      return id;
    },
    async update(id, patch, at) {
      const [cols, vals] = scalarColumns(patch);
      cols.push('updated_at');
      vals.push(at);
      await sql.run(`UPDATE leads SET ${cols.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`, ...vals, id);
      await writeChildren(id, patch);
    },
    async fields(id) {
      const r = await sql.get<LeadRow>('SELECT * FROM leads l WHERE id = ?', id);
      if (!r) return undefined;
      const list = async (q: string) => (await sql.all<{ v: string | number }>(q, id)).map((x) => x.v);
      return {
        type: r.type,
        kind: r.kind,
        name: r.name,
        businessName: r.business_name,
        emails: (await list('SELECT email AS v FROM lead_emails WHERE lead_id = ? ORDER BY position')) as string[],
        phones: (await list('SELECT phone AS v FROM lead_phones WHERE lead_id = ? ORDER BY position')) as string[],
        sourceId: r.source_id,
        stageId: r.stage_id,
        score: r.score,
        valueMinor: r.value_minor,
        currency: r.currency,
        expectedClose: r.expected_close,
        assigneeIds: (await list('SELECT user_id AS v FROM lead_assignees WHERE lead_id = ? ORDER BY user_id')) as number[],
        // tags.name is COLLATE NOCASE: SQLite sorts by the column's collation, so the same order here.
        tags: (await list(`SELECT t.name AS v FROM lead_tags lt JOIN tags t ON t.id = lt.tag_id WHERE lt.lead_id = ? ORDER BY ${NOCASE_ORDER('t.name')}`)) as string[],
        birthday: r.birthday,
        address: r.address,
        custom: keyed(JSON.parse(r.custom) as Record<string, string>),
        status: r.status,
        lostReason: r.lost_reason,
        orderId: r.order_id,
        convertedAt: r.converted_at,
        convertedBy: r.converted_by,
        createdBy: r.created_by,
        mergedInto: r.merged_into,
        deletedAt: r.deleted_at,
      };
    },
    async get(id) {
      const r = await sql.get<LeadRow & Children>(`${SELECT_ONE} WHERE l.id = ?`, id);
      return r && toLead(r, r);
    },
    async list(q) {
      const w = where(q);
      const sort = q.sort ?? { key: 'id', desc: true };
      const dir = sort.desc ? 'DESC' : 'ASC';
      const order = sort.key === 'id' ? `l.id ${dir}` : `${SORT_SQL[sort.key]} ${dir} NULLS LAST, l.id ${dir}`;
      // LIMIT NULL is no limit (SQLite's LIMIT -1).
      const rows = await sql.all<LeadRow>(`${SELECT} ${w.sql} ORDER BY ${order} LIMIT ? OFFSET ?`, ...w.params, q.limit ?? null, q.offset ?? 0);
      return hydrate(rows);
    },
    async count(q) {
      const w = where(q);
      return (await sql.get<{ n: number }>(`SELECT count(*) AS n FROM leads l JOIN stages s ON s.id = l.stage_id ${w.sql}`, ...w.params))!.n;
    },
    async matchContacts(emails, phones) {
      if (!emails.length && !phones.length) return [];
      // Through crm_contact_matches (migration 0002, SECURITY DEFINER): a rep's login sees only
      // its own leads, yet a contact already stored on another rep's lead must be found, so the
      // duplicate is refused rather than stored twice. It tells only id, state and which value.
      const rows = await sql.all<{ id: number; status: ContactMatch['status']; outcome: StageOutcome; deleted_at: string | null; value: string; kind: ContactMatch['on'] }>(
        'SELECT id, status, outcome, deleted_at, value, kind FROM crm_contact_matches(?::text[], ?::text[])',
        emails.map((e) => e.toLowerCase()), phones,
      );
      const order = (k: string) => (k === 'email' ? 0 : 1);
      return rows
        .sort((x, y) => order(x.kind) - order(y.kind))
        .map((r) => ({ id: Number(r.id), status: r.status, stageOutcome: r.outcome, deleted: r.deleted_at !== null, on: r.kind, value: r.value }));
    },
    async owners(id) {
      return (await sql.all<{ u: number }>('SELECT crm_lead_owners AS u FROM crm_lead_owners(?)', id)).map((r) => Number(r.u));
    },
    async derived(id) {
      const r = await sql.get<{ attempted_at: string | null; furthest_stage_id: number | null }>('SELECT attempted_at, furthest_stage_id FROM leads WHERE id = ?', id);
      return r && { attemptedAt: r.attempted_at, furthestStageId: r.furthest_stage_id };
    },
  };
}
