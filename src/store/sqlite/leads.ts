import type { ContactMatch, Lead, LeadFields, LeadFilterField, LeadFilterNode, LeadQuery, LeadSortKey } from '../../domain/leads.js';
import type { StageOutcome } from '../../domain/pipeline.js';
import type { Store } from '../types.js';
import type { Sql } from './index.js';
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

const SORT_SQL: Record<LeadSortKey, string> = {
  id: 'l.id',
  name: 'l.name COLLATE NOCASE',
  score: 'l.score',
  value: 'l.value_minor',
  created: 'l.created_at',
  updated: 'l.updated_at',
  'expected-close': 'l.expected_close',
  stage: 's.position',
};

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

/** Compiles a resolved filter tree to a parameterised condition (L9). */
export function compileFilter(node: LeadFilterNode, params: unknown[]): string {
  if ('left' in node) {
    return `(${compileFilter(node.left, params)} ${node.kind === 'and' ? 'AND' : 'OR'} ${compileFilter(node.right, params)})`;
  }
  const values = node.kind === 'in' ? node.values : [node.value];
  const negate = node.kind === 'in' ? node.not : node.op === '!=';
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
    const like = `%${q.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conds.push(`(l.name LIKE ? ESCAPE '\\' OR l.business_name LIKE ? ESCAPE '\\'
      OR EXISTS (SELECT 1 FROM lead_emails e WHERE e.lead_id = l.id AND e.email_norm LIKE lower(?) ESCAPE '\\')
      OR EXISTS (SELECT 1 FROM lead_phones p WHERE p.lead_id = l.id AND p.phone LIKE ? ESCAPE '\\'))`);
    params.push(like, like, like, like);
  }
  if (q.filter) conds.push(compileFilter(q.filter, params));
  return { sql: conds.length ? `WHERE ${conds.join(' AND ')}` : '', params };
}

export function leadsRepo(sql: Sql): Store['leads'] {
  function writeChildren(id: number, f: Partial<LeadFields>): void {
    if (f.emails) {
      sql.run('DELETE FROM lead_emails WHERE lead_id = ?', id);
      f.emails.forEach((e, i) => sql.run('INSERT INTO lead_emails (lead_id, position, email, email_norm) VALUES (?, ?, ?, ?)', id, i, e, e.toLowerCase()));
    }
    if (f.phones) {
      sql.run('DELETE FROM lead_phones WHERE lead_id = ?', id);
      f.phones.forEach((p, i) => sql.run('INSERT INTO lead_phones (lead_id, position, phone) VALUES (?, ?, ?)', id, i, p));
    }
    if (f.assigneeIds) {
      sql.run('DELETE FROM lead_assignees WHERE lead_id = ?', id);
      for (const u of new Set(f.assigneeIds)) sql.run('INSERT INTO lead_assignees (lead_id, user_id) VALUES (?, ?)', id, u);
    }
    if (f.tags) {
      sql.run('DELETE FROM lead_tags WHERE lead_id = ?', id);
      for (const name of f.tags) {
        sql.run('INSERT INTO tags (name) VALUES (?) ON CONFLICT (name) DO NOTHING', name);
        sql.run('INSERT OR IGNORE INTO lead_tags (lead_id, tag_id) SELECT ?, id FROM tags WHERE name = ? COLLATE NOCASE', id, name);
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

  /** Loads the list fields of many leads with one query per child table. */
  function hydrate(rows: LeadRow[]): Lead[] {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const marks = ids.map(() => '?').join(', ');
    const group = <T>(q: string): Map<number, T[]> => {
      const m = new Map<number, T[]>();
      for (const r of sql.all<{ lead_id: number; v: T }>(q, ...ids)) {
        const list = m.get(r.lead_id);
        if (list) list.push(r.v);
        else m.set(r.lead_id, [r.v]);
      }
      return m;
    };
    const emails = group<string>(`SELECT lead_id, email AS v FROM lead_emails WHERE lead_id IN (${marks}) ORDER BY lead_id, position`);
    const phones = group<string>(`SELECT lead_id, phone AS v FROM lead_phones WHERE lead_id IN (${marks}) ORDER BY lead_id, position`);
    const tags = group<string>(`SELECT lt.lead_id, t.name AS v FROM lead_tags lt JOIN tags t ON t.id = lt.tag_id WHERE lt.lead_id IN (${marks}) ORDER BY t.name COLLATE NOCASE`);
    const assignees = new Map<number, Lead['assignees']>();
    for (const r of sql.all<{ lead_id: number; id: number; name: string; email: string }>(
      `SELECT la.lead_id, u.id, u.name, u.email FROM lead_assignees la JOIN users u ON u.id = la.user_id WHERE la.lead_id IN (${marks}) ORDER BY u.name`,
      ...ids,
    )) {
      const a = { id: r.id, name: r.name, email: r.email };
      const list = assignees.get(r.lead_id);
      if (list) list.push(a);
      else assignees.set(r.lead_id, [a]);
    }
    return rows.map((r) => ({
      id: r.id,
      type: r.type,
      kind: r.kind,
      name: r.name,
      businessName: r.business_name,
      emails: emails.get(r.id) ?? [],
      phones: phones.get(r.id) ?? [],
      source: r.source,
      stage: r.stage,
      stageOutcome: r.stage_outcome,
      stageProbability: r.stage_probability,
      score: r.score,
      valueMinor: r.value_minor,
      currency: r.currency,
      expectedClose: r.expected_close,
      assignees: assignees.get(r.id) ?? [],
      tags: tags.get(r.id) ?? [],
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
    }));
  }

  return {
    async insert(f, at) {
      const [cols, vals] = scalarColumns(f);
      const res = sql.db
        .prepare(`INSERT INTO leads (${cols.join(', ')}, created_at, updated_at) VALUES (${cols.map(() => '?').join(', ')}, ?, ?)`)
        .run(...vals, at, at);
      const id = Number(res.lastInsertRowid);
      writeChildren(id, f);
      return id;
    },
    async update(id, patch, at) {
      const [cols, vals] = scalarColumns(patch);
      cols.push('updated_at');
      vals.push(at);
      sql.db.prepare(`UPDATE leads SET ${cols.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`).run(...vals, id);
      writeChildren(id, patch);
    },
    async fields(id) {
      const r = sql.get<LeadRow>('SELECT * FROM leads l WHERE id = ?', id);
      if (!r) return undefined;
      const list = (q: string) => sql.all<{ v: string | number }>(q, id).map((x) => x.v);
      return {
        type: r.type,
        kind: r.kind,
        name: r.name,
        businessName: r.business_name,
        emails: list('SELECT email AS v FROM lead_emails WHERE lead_id = ? ORDER BY position') as string[],
        phones: list('SELECT phone AS v FROM lead_phones WHERE lead_id = ? ORDER BY position') as string[],
        sourceId: r.source_id,
        stageId: r.stage_id,
        score: r.score,
        valueMinor: r.value_minor,
        currency: r.currency,
        expectedClose: r.expected_close,
        assigneeIds: list('SELECT user_id AS v FROM lead_assignees WHERE lead_id = ? ORDER BY user_id') as number[],
        tags: list('SELECT t.name AS v FROM lead_tags lt JOIN tags t ON t.id = lt.tag_id WHERE lt.lead_id = ? ORDER BY t.name') as string[],
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
      return hydrate(sql.all<LeadRow>(`${SELECT} WHERE l.id = ?`, id))[0];
    },
    async list(q) {
      const w = where(q);
      const sort = q.sort ?? { key: 'id', desc: true };
      const dir = sort.desc ? 'DESC' : 'ASC';
      const order = sort.key === 'id' ? `l.id ${dir}` : `${SORT_SQL[sort.key]} ${dir} NULLS LAST, l.id ${dir}`;
      const rows = sql.db
        .prepare(`${SELECT} ${w.sql} ORDER BY ${order} LIMIT ? OFFSET ?`)
        .all(...w.params, q.limit ?? -1, q.offset ?? 0) as LeadRow[];
      return hydrate(rows);
    },
    async count(q) {
      const w = where(q);
      return (sql.db.prepare(`SELECT count(*) AS n FROM leads l JOIN stages s ON s.id = l.stage_id ${w.sql}`).get(...w.params) as { n: number }).n;
    },
    async matchContacts(emails, phones) {
      const out: ContactMatch[] = [];
      const q = (table: string, col: string, values: string[], on: ContactMatch['on']) => {
        if (!values.length) return;
        const rows = sql.db
          .prepare(
            `SELECT l.id, l.status, s.outcome, l.deleted_at, c.${col} AS value FROM ${table} c
               JOIN leads l ON l.id = c.lead_id JOIN stages s ON s.id = l.stage_id
              WHERE c.${col} IN (${values.map(() => '?').join(', ')})`,
          )
          .all(...values) as { id: number; status: ContactMatch['status']; outcome: StageOutcome; deleted_at: string | null; value: string }[];
        for (const r of rows) out.push({ id: r.id, status: r.status, stageOutcome: r.outcome, deleted: r.deleted_at !== null, on, value: r.value });
      };
      q('lead_emails', 'email_norm', emails.map((e) => e.toLowerCase()), 'email');
      q('lead_phones', 'phone', phones, 'phone');
      return out;
    },
    async owners(id) {
      return sql.all<{ u: number }>('SELECT user_id AS u FROM lead_assignees WHERE lead_id = ? ORDER BY user_id', id).map((r) => r.u);
    },
    async derived(id) {
      const r = sql.get<{ attempted_at: string | null; furthest_stage_id: number | null }>('SELECT attempted_at, furthest_stage_id FROM leads WHERE id = ?', id);
      return r && { attemptedAt: r.attempted_at, furthestStageId: r.furthest_stage_id };
    },
  };
}
