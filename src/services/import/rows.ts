import { CrmError, UsageError } from '../../errors.js';
import { unneutralize } from '../../io/csv.js';
import type { LeadFields, LeadKind, LeadStatus, LeadType, Source, Stage, User } from '../../store/types.js';
import { LEAD_KINDS, LEAD_STATUSES, LEAD_TYPES } from '../../store/types.js';
import { dedupe, junkByRules } from '../leads/service.js';
import { nonEmpty, normalizeCurrency, normalizeEmail, parseBirthday, parseDate, parseMoney, parseScore } from '../leads/normalize.js';
import type { ColumnMapping, ImportField } from './mapping.js';

/** A cell longer than this is refused: no lead field needs it, and it is usually a broken quote. */
export const MAX_CELL_CHARS = 64 * 1024;

/** A row that passed validation: the fields of a new lead, and which of them the row itself gave. */
export interface ValidRow {
  line: number;
  fields: LeadFields;
  /** Fields the row (or a --source/--stage/--tag/--assign default) set: what update/merge may change. */
  given: (keyof LeadFields)[];
  /** No owner in the row: the importer assigns --assign's default (round-robin is stateful). */
  defaultAssign: boolean;
}

export class RowError extends Error {}

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

/** Validates one CSV record into lead fields, with the same rules as `crm lead add`; throws RowError. */
export function validateRow(rc: RowContext, cells: string[], line: number): ValidRow {
  if (cells.length > rc.headerLength && cells.slice(rc.headerLength).some((c) => c.trim() !== '')) {
    throw new RowError(`${cells.length} cells but the header has ${rc.headerLength} columns (an unquoted delimiter inside a cell?)`);
  }
  const raw: Partial<Record<ImportField, string[]>> = {};
  const custom: Record<string, string> = {};
  for (const col of rc.columns) {
    let cell = cells[col.index];
    if (cell === undefined || cell === '') continue;
    if (cell.length > MAX_CELL_CHARS) {
      throw new RowError(`column '${col.header}': a cell of ${cell.length.toLocaleString('en')} characters (at most ${MAX_CELL_CHARS.toLocaleString('en')})`);
    }
    if (rc.encodingGuessed && cell.includes('\ufffd')) {
      throw new RowError(`column '${col.header}': bytes that are not valid UTF-8 ('${cell}'); pass --encoding win1252 (or the file's encoding)`);
    }
    cell = unneutralize(cell.trim());
    if (cell === '') continue;
    const t = col.target;
    if ('ignore' in t) continue;
    if ('custom' in t) {
      custom[t.custom] = cell;
      continue;
    }
    (raw[t.field] ??= []).push(cell);
  }

  const given = new Set<keyof LeadFields>();
  const first = (f: ImportField) => raw[f]?.[0];
  const at = (f: ImportField) => rc.columns.find((c) => 'field' in c.target && c.target.field === f)?.header ?? f;
  const check = <T>(f: ImportField, fn: () => T): T => {
    try {
      return fn();
    } catch (err) {
      if (err instanceof CrmError) throw new RowError(`column '${at(f)}': ${err.message}`);
      throw err;
    }
  };

  const emails: string[] = [];
  if (raw.emails) {
    const seen = new Set<string>();
    for (const c of raw.emails) {
      for (const part of c.split(SPLIT_EMAILS)) {
        if (!part) continue;
        const e = check('emails', () => normalizeEmail(part));
        const k = e.toLowerCase();
        if (!seen.has(k)) (seen.add(k), emails.push(e));
      }
    }
  }
  const phones: string[] = [];
  if (raw.phones) {
    for (const c of raw.phones) {
      for (const part of c.split(SPLIT_PHONES)) {
        if (!part) continue;
        const p = check('phones', () => rc.phone(part));
        if (!phones.includes(p)) phones.push(p);
      }
    }
  }
  const businessName = first('businessName') ?? null;
  const joined = [first('firstName'), first('lastName')].filter(Boolean).join(' ');
  const name = first('name') ?? (joined || businessName || emails[0] || phones[0]);
  if (!name) throw new RowError('no name, business name, email or phone');
  if (emails.length) given.add('emails');
  if (phones.length) given.add('phones');
  if (first('name') || joined || businessName) given.add('name');
  if (businessName) given.add('businessName');

  const f: LeadFields = {
    type: 'lead', kind: 'person', name: check('name', () => nonEmpty(name, 'name')), businessName, emails, phones,
    sourceId: rc.defaults.sourceId ?? null, stageId: rc.defaults.stageId, score: 0, valueMinor: null, currency: rc.settings.currency,
    expectedClose: null, assigneeIds: [], tags: [], birthday: null, address: null, custom, status: 'active', lostReason: null,
    orderId: null, convertedAt: null, convertedBy: null, createdBy: rc.actor.id, mergedInto: null, deletedAt: null,
  };
  if (Object.keys(custom).length) given.add('custom');
  const v = (field: ImportField) => first(field);
  let s: string | undefined;
  if ((s = v('kind'))) {
    f.kind = check('kind', () => oneOf<LeadKind>(s!, LEAD_KINDS, 'kind'));
    given.add('kind');
  } else if (businessName && !first('name') && !joined) f.kind = 'company';
  if ((s = v('type'))) {
    f.type = check('type', () => oneOf<LeadType>(s!, LEAD_TYPES, 'type'));
    given.add('type');
  }
  if ((s = v('source'))) {
    const src = rc.sources.get(s.toLowerCase());
    if (!src) throw new RowError(`column '${at('source')}': unknown source '${s}' (add it with crm source add '${s}', or map the column to ignore)`);
    f.sourceId = src.id;
  }
  if (f.sourceId !== null) given.add('sourceId');
  if ((s = v('stage'))) {
    const stage = rc.stages.get(s.toLowerCase());
    if (!stage) throw new RowError(`column '${at('stage')}': unknown stage '${s}' (stages are: ${[...rc.stages.values()].map((x) => x.name).join(', ')})`);
    f.stageId = stage.id;
    given.add('stageId');
  }
  if ((s = v('status'))) {
    f.status = check('status', () => oneOf<LeadStatus>(s!, LEAD_STATUSES, 'status'));
    given.add('status');
  }
  if ((s = v('lostReason'))) {
    f.lostReason = s;
    given.add('lostReason');
  }
  if ((s = v('score'))) {
    f.score = check('score', () => parseScore(s!));
    given.add('score');
  }
  if ((s = v('currency'))) {
    f.currency = check('currency', () => normalizeCurrency(s!));
    given.add('currency');
  }
  if ((s = v('value'))) {
    f.valueMinor = check('value', () => parseMoney(plainAmount(s!, rc.decimalComma), f.currency));
    given.add('valueMinor');
    given.add('currency');
  }
  if ((s = v('expectedClose'))) {
    f.expectedClose = check('expectedClose', () => dateCell(s!, 'expected close date'));
    given.add('expectedClose');
  }
  if ((s = v('birthday'))) {
    f.birthday = check('birthday', () => parseBirthday(/^\d{4}-\d{2}-\d{2}[ T]/.test(s!) ? s!.slice(0, 10) : s!));
    given.add('birthday');
  }
  if ((s = v('address'))) {
    f.address = s;
    given.add('address');
  }
  if ((s = v('orderId'))) {
    f.orderId = s;
    given.add('orderId');
  }
  if ((s = v('custom'))) {
    const parsed = check('custom', () => {
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
    if (Object.keys(custom).length) given.add('custom');
  }
  const tags = [...(raw.tags ?? []).flatMap((c) => c.split(SPLIT_LIST)), ...rc.defaults.tags].filter(Boolean);
  if (tags.length) {
    f.tags = dedupe(tags, (t) => t.toLowerCase());
    given.add('tags');
  }
  if (raw.assign) {
    const ids = raw.assign.flatMap((c) => c.split(SPLIT_LIST)).filter(Boolean).map((who) => {
      const key = who.toLowerCase();
      const u = rc.users.find((x) => x.email.toLowerCase() === key) ?? rc.users.find((x) => x.name.toLowerCase() === key);
      if (!u) throw new RowError(`column '${at('assign')}': unknown user '${who}' (crm user list shows who exists)`);
      if (!u.active) throw new RowError(`column '${at('assign')}': user ${u.email} is deactivated`);
      return u.id;
    });
    f.assigneeIds = [...new Set(ids)];
    if (f.assigneeIds.length) given.add('assigneeIds');
  }
  if (f.type === 'customer') {
    f.convertedAt = rc.now;
    f.convertedBy = rc.actor.id;
  }
  if ((rc.settings.junkDomains.length || rc.settings.junkWords.length) && junkByRules(rc.settings, f.name, emails)) f.status = 'junk';
  return { line, fields: f, given: [...given], defaultAssign: !raw.assign };
}
