import { CrmError, UsageError, plainText, say, type Words } from '../../errors.js';
import { unneutralize } from '../../io/csv.js';
import type { LeadFields, LeadKind, LeadStatus, LeadType } from '../../domain/leads.js';
import type { Source, Stage } from '../../domain/pipeline.js';
import type { User } from '../../domain/users.js';
import { LEAD_KINDS, LEAD_STATUSES, LEAD_TYPES, MAX_TEXT_CHARS } from '../../domain/leads.js';
import { dedupe, junkByRules } from '../leads/service.js';
import { checkName, normalizeCurrency, normalizeEmail, parseBirthday, parseDate, parseMoney, parseScore } from '../leads/normalize.js';
import type { ColumnMapping, ImportField } from './mapping.js';
import { keyed } from '../../domain/keyed.js';

/** A cell longer than this is refused: no lead field needs it, and it is usually a broken quote. */
export const MAX_CELL_CHARS = MAX_TEXT_CHARS;

/** A row that passed validation: the fields of a new lead, and which of them the row itself gave. */
export interface ValidRow {
  line: number;
  fields: LeadFields;
  /** Fields the row (or a --source/--stage/--tag/--assign default) set: what update/merge may change. */
  given: (keyof LeadFields)[];
  /** No owner in the row: the importer assigns --assign's default (round-robin is stateful). */
  defaultAssign: boolean;
}

export class RowError extends Error {
  /** The reason with its inputs and remedies as data (src/errors.ts), when it names any. */
  readonly words?: Words;
  constructor(message: string | Words) {
    super(plainText(message));
    if (typeof message !== 'string') this.words = message;
  }
}

export interface RowContext {
  columns: ColumnMapping[];
  headerLength: number;
  stages: Map<string, Stage>;
  sources: Map<string, Source>;
  users: User[];
  actor: User;
  settings: { currency: string; junkDomains: string[]; junkWords: string[] };
  phone: (raw: string, field?: string) => string;
  decimalComma: boolean;
  /** The file's encoding was guessed: U+FFFD in a cell means it was guessed wrong. */
  encodingGuessed: boolean;
  defaults: { sourceId?: number; stageId: number; tags: string[] };
  now: string;
}

const oneOf = <T extends string>(raw: string, allowed: readonly T[], field: string): T => {
  const v = raw.trim().toLowerCase();
  if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`invalid ${field} '${raw}'`, `use one of: ${allowed.join(', ')}`);
  return v as T;
};

/** "€ 1.234,50" (decimal comma) or "$1,234.50" → "1234.50"; the digits are checked by parseMoney. */
export function plainAmount(raw: string, decimalComma: boolean): string {
  let s = raw.trim().replace(/^[€$£₹¥]\s*|\s*[€$£₹¥]$/g, '');
  if (decimalComma) s = s.replace(/[.\s\u00a0\u202f']/g, '').replace(',', '.');
  return s;
}

/** A date cell: YYYY-MM-DD, optionally followed by a time (as HubSpot and Salesforce write them). */
function dateCell(raw: string, field: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[ T].*)?$/.exec(raw.trim());
  return parseDate(m ? m[1]! : raw, field);
}

const SPLIT_EMAILS = /[\s,;]+/;
const SPLIT_PHONES = /\s*[,;/|\n]\s*/;
const SPLIT_LIST = /\s*[;,]\s*/;

/**
 * Which of rc.columns feed each field, worked out once per file: validateRow runs once per row
 * (a million times in a big import), so it allocates as little as it can.
 */
const plans = new WeakMap<RowContext, Partial<Record<ImportField, number[]>>>();
function planOf(rc: RowContext): Partial<Record<ImportField, number[]>> {
  let plan = plans.get(rc);
  if (!plan) {
    plan = {};
    rc.columns.forEach((c, k) => {
      if ('field' in c.target) (plan![c.target.field] ??= []).push(k);
    });
    plans.set(rc, plan);
  }
  return plan;
}

/** The cleaned cells of the row being validated, by position in rc.columns ('' = empty); reused row after row. */
let vals: string[] = [];

function firstOf(plan: Partial<Record<ImportField, number[]>>, f: ImportField): string | undefined {
  const cols = plan[f];
  if (cols) for (const k of cols) if (vals[k] !== '') return vals[k];
  return undefined;
}

function allOf(plan: Partial<Record<ImportField, number[]>>, f: ImportField): string[] | undefined {
  const cols = plan[f];
  let out: string[] | undefined;
  if (cols) for (const k of cols) if (vals[k] !== '') (out ??= []).push(vals[k]!);
  return out;
}

/** A field's bad value as a row error naming the column it came from. */
function fieldError(rc: RowContext, f: ImportField, err: unknown): unknown {
  if (!(err instanceof CrmError)) return err;
  return new RowError(`column '${headerOf(rc, f)}': ${err.message}`);
}

function headerOf(rc: RowContext, f: ImportField): string {
  return rc.columns.find((c) => 'field' in c.target && c.target.field === f)?.header ?? f;
}

function check<T>(rc: RowContext, f: ImportField, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw fieldError(rc, f, err);
  }
}

const lower = (v: string) => v.toLowerCase();
const same = (v: string) => v;

/**
 * Every value of a list field (a cell may hold several, split by `split`), normalised, in order,
 * without repeats (compared by `key`); a bad value is a RowError naming its column.
 */
function valuesOf(rc: RowContext, plan: Partial<Record<ImportField, number[]>>, f: ImportField, split: RegExp, normalize: (part: string) => string, key: (v: string) => string): string[] {
  const out: string[] = [];
  const cells = allOf(plan, f);
  if (!cells) return out;
  try {
    for (const c of cells) {
      for (const part of c.split(split)) {
        if (!part) continue;
        const v = normalize(part);
        const k = key(v);
        if (!out.some((x) => key(x) === k)) out.push(v);
      }
    }
  } catch (err) {
    throw fieldError(rc, f, err);
  }
  return out;
}

function addGiven(given: (keyof LeadFields)[], field: keyof LeadFields): void {
  if (!given.includes(field)) given.push(field);
}

/** Validates one CSV record into lead fields, with the same rules as `crm lead add`; throws RowError. */
export function validateRow(rc: RowContext, cells: string[], line: number): ValidRow {
  if (cells.length > rc.headerLength) {
    for (let i = rc.headerLength; i < cells.length; i++) {
      if (cells[i]!.trim() !== '') throw new RowError(`${cells.length} cells but the header has ${rc.headerLength} columns (an unquoted delimiter inside a cell?)`);
    }
  }
  const plan = planOf(rc);
  const columns = rc.columns;
  if (vals.length !== columns.length) vals = new Array<string>(columns.length);
  const custom: Record<string, string> = keyed();
  for (let k = 0; k < columns.length; k++) {
    vals[k] = '';
    const col = columns[k]!;
    let cell = cells[col.index];
    if (cell === undefined || cell === '') continue;
    if (cell.length > MAX_CELL_CHARS) {
      throw new RowError(`column '${col.header}': a cell of ${cell.length.toLocaleString('en')} characters (at most ${MAX_CELL_CHARS.toLocaleString('en')})`);
    }
    if (rc.encodingGuessed && cell.includes('\ufffd')) {
      throw new RowError(say`column '${col.header}': bytes that are not valid UTF-8 ('${cell}'); ${{ fix: { id: 'import.encoding' } }}`);
    }
    cell = unneutralize(cell.trim());
    if (cell === '') continue;
    const t = col.target;
    if ('ignore' in t) continue;
    if ('custom' in t) {
      custom[t.custom] = cell;
      continue;
    }
    vals[k] = cell;
  }

  const given: (keyof LeadFields)[] = [];
  const first = (f: ImportField) => firstOf(plan, f);

  const emails = valuesOf(rc, plan, 'emails', SPLIT_EMAILS, normalizeEmail, lower);
  const phones = valuesOf(rc, plan, 'phones', SPLIT_PHONES, rc.phone, same);
  const businessName = first('businessName') ?? null;
  const firstName = first('firstName');
  const lastName = first('lastName');
  const joined = firstName && lastName ? `${firstName} ${lastName}` : (firstName ?? lastName ?? '');
  const ownName = first('name');
  const name = ownName ?? (joined || businessName || emails[0] || phones[0]);
  if (!name) throw new RowError('no name, business name, email or phone');
  if (emails.length) given.push('emails');
  if (phones.length) given.push('phones');
  if (ownName || joined || businessName) given.push('name');
  if (businessName) given.push('businessName');
  let checkedName: string;
  try {
    checkedName = checkName(name, 'name');
  } catch (err) {
    throw fieldError(rc, 'name', err);
  }

  const f: LeadFields = {
    type: 'lead', kind: 'person', name: checkedName, businessName, emails, phones,
    sourceId: rc.defaults.sourceId ?? null, stageId: rc.defaults.stageId, score: 0, valueMinor: null, currency: rc.settings.currency,
    expectedClose: null, assigneeIds: [], tags: [], birthday: null, address: null, custom, status: 'active', lostReason: null,
    orderId: null, convertedAt: null, convertedBy: null, createdBy: rc.actor.id, mergedInto: null, deletedAt: null,
  };
  if (Object.keys(custom).length) addGiven(given, 'custom');
    let s: string | undefined;
  if ((s = first('kind'))) {
    f.kind = check(rc, 'kind', () => oneOf<LeadKind>(s!, LEAD_KINDS, 'kind'));
    addGiven(given, 'kind');
  } else if (businessName && !ownName && !joined) f.kind = 'company';
  if ((s = first('type'))) {
    f.type = check(rc, 'type', () => oneOf<LeadType>(s!, LEAD_TYPES, 'type'));
    addGiven(given, 'type');
  }
  if ((s = first('source'))) {
    const src = rc.sources.get(s.toLowerCase());
    if (!src) throw new RowError(say`column '${headerOf(rc, 'source')}': unknown source '${s}' (${{ fix: { id: 'import.add-source', source: s } }})`);
    f.sourceId = src.id;
  }
  if (f.sourceId !== null) addGiven(given, 'sourceId');
  if ((s = first('stage'))) {
    const stage = rc.stages.get(s.toLowerCase());
    if (!stage) throw new RowError(`column '${headerOf(rc, 'stage')}': unknown stage '${s}' (stages are: ${[...rc.stages.values()].map((x) => x.name).join(', ')})`);
    f.stageId = stage.id;
    addGiven(given, 'stageId');
  }
  if ((s = first('status'))) {
    f.status = check(rc, 'status', () => oneOf<LeadStatus>(s!, LEAD_STATUSES, 'status'));
    addGiven(given, 'status');
  }
  if ((s = first('lostReason'))) {
    f.lostReason = s;
    addGiven(given, 'lostReason');
  }
  if ((s = first('score'))) {
    f.score = check(rc, 'score', () => parseScore(s!));
    addGiven(given, 'score');
  }
  if ((s = first('currency'))) {
    f.currency = check(rc, 'currency', () => normalizeCurrency(s!));
    addGiven(given, 'currency');
  }
  if ((s = first('value'))) {
    try {
      f.valueMinor = parseMoney(plainAmount(s, rc.decimalComma), f.currency);
    } catch (err) {
      throw fieldError(rc, 'value', err);
    }
    addGiven(given, 'valueMinor');
    addGiven(given, 'currency');
  }
  if ((s = first('expectedClose'))) {
    f.expectedClose = check(rc, 'expectedClose', () => dateCell(s!, 'expected close date'));
    addGiven(given, 'expectedClose');
  }
  if ((s = first('birthday'))) {
    f.birthday = check(rc, 'birthday', () => parseBirthday(/^\d{4}-\d{2}-\d{2}[ T]/.test(s!) ? s!.slice(0, 10) : s!));
    addGiven(given, 'birthday');
  }
  if ((s = first('address'))) {
    f.address = s;
    addGiven(given, 'address');
  }
  if ((s = first('orderId'))) {
    f.orderId = s;
    addGiven(given, 'orderId');
  }
  if ((s = first('custom'))) {
    const parsed = check(rc, 'custom', () => {
      let obj: unknown;
      try {
        obj = JSON.parse(s!);
      } catch {
        throw new UsageError(`not a JSON object: '${s}'`);
      }
      if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw new UsageError(`not a JSON object: '${s}'`);
      return obj as Record<string, unknown>;
    });
    for (const [k, val] of Object.entries(parsed)) if (val !== null && val !== '') custom[k] = String(val);
    if (Object.keys(custom).length) addGiven(given, 'custom');
  }
  const tagCells = allOf(plan, 'tags');
  const tags = tagCells || rc.defaults.tags.length ? [...(tagCells ?? []).flatMap((c) => c.split(SPLIT_LIST)), ...rc.defaults.tags].filter(Boolean) : [];
  if (tags.length) {
    f.tags = dedupe(tags, (t) => t.toLowerCase());
    addGiven(given, 'tags');
  }
  const assignCells = allOf(plan, 'assign');
  if (assignCells) {
    const ids = assignCells.flatMap((c) => c.split(SPLIT_LIST)).filter(Boolean).map((who) => {
      const key = who.toLowerCase();
      const u = rc.users.find((x) => x.email.toLowerCase() === key) ?? rc.users.find((x) => x.name.toLowerCase() === key);
      if (!u) throw new RowError(say`column '${headerOf(rc, 'assign')}': unknown user '${who}' (${{ fix: { id: 'import.user-list' } }})`);
      if (!u.active) throw new RowError(`column '${headerOf(rc, 'assign')}': user ${u.email} is deactivated`);
      return u.id;
    });
    f.assigneeIds = [...new Set(ids)];
    if (f.assigneeIds.length) addGiven(given, 'assigneeIds');
  }
  if (f.type === 'customer') {
    f.convertedAt = rc.now;
    f.convertedBy = rc.actor.id;
  }
  if ((rc.settings.junkDomains.length || rc.settings.junkWords.length) && junkByRules(rc.settings, f.name, emails)) f.status = 'junk';
  return { line, fields: f, given, defaultAssign: !assignCells };
}
