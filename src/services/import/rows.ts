import { consentValue, type ConsentChannel } from '../../domain/consent.js';
import { contactHash, SUPPRESSED_REASON } from '../../domain/suppression.js';
import { CrmError, UsageError, plainText, say, type Words } from '../../errors.js';
import { unneutralize } from '../../io/csv.js';
import type { LeadFields, LeadKind, LeadStatus, LeadType } from '../../domain/leads.js';
import type { Source, Stage } from '../../domain/pipeline.js';
import type { User } from '../../domain/users.js';
import { LEAD_KINDS, LEAD_STATUSES, LEAD_TYPES, MAX_TEXT_CHARS } from '../../domain/leads.js';
import { dedupe, junkByRules } from '../leads/service.js';
import { checkName, normalizeCurrency, normalizeEmail, parseBirthday, parseDate, parseMoney, parseScore } from '../leads/normalize.js';
import type { ColumnMapping, ImportField } from './mapping.js';
import { builtInMeaning, meaningOf, parseDateCell, regionOf, type DateOrder, type ValueMap, type ValueMeaning } from './values.js';
import { keyed } from '../../domain/keyed.js';

/** A cell longer than this is refused: no lead field needs it, and it is usually a broken quote. */
export const MAX_CELL_CHARS = MAX_TEXT_CHARS;

/** A value left out of a row (or kept unverified), and why: what the warnings file lists. */
export interface RowWarning {
  line: number;
  column: string;
  value: string;
  /** What was wrong and what was done, as plain text. */
  what: string;
  /** The same with its inputs and remedies as data, worded by the importer's reader. */
  words?: Words;
  kind: 'dropped' | 'unmapped' | 'owner' | 'unverified' | 'date' | 'duplicate';
  /** A duplicate's matching lead. */
  leadId?: number | null;
}

/** A row that passed validation: the fields of a new lead, and which of them the row itself gave. */
export interface ValidRow {
  line: number;
  fields: LeadFields;
  /** Fields the row (or a --source/--stage/--tag/--assign default) set: what update/merge may change. */
  given: (keyof LeadFields)[];
  /** No owner in the row: the importer assigns --assign's default (round-robin is stateful). */
  defaultAssign: boolean;
  /** Values left out, kept unverified, or not mapped. */
  warnings?: RowWarning[];
  /** A source the store does not have yet: the importer creates it (its id goes in fields.sourceId). */
  newSource?: string;
  /** The row's own creation time (ISO-8601, UTC), from a create-date column. */
  createdAt?: string;
  /** Notes / Description columns: one note on the lead's timeline. */
  note?: string;
  /** Consent columns: channel → granted (true) or withdrawn (false). */
  consent?: Partial<Record<ConsentChannel, boolean>>;
  /** Its email or phone belongs to an erased person, and privacy.suppressed is flag: imported with a note saying so. */
  suppressed?: true;
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
  /** A phone in E.164 (with ` ext. N` when it has one), placed with `region` when it has no country code; throws when it cannot be placed. */
  phone: (raw: string, region: string | undefined) => string;
  /** --region, else the team's phone.region. */
  region?: string;
  decimalComma: boolean;
  /** The file's encoding was guessed: U+FFFD in a cell means it was guessed wrong. */
  encodingGuessed: boolean;
  defaults: { sourceId?: number; stageId: number; tags: string[] };
  now: string;
  /** Refuse the row on any bad value (the behaviour before warnings). */
  strict?: boolean;
  /** The suppression list (contactHash of erased people's emails and phones), when it holds any: refuse the row, or flag it. */
  suppressed?: { hashes: Set<string>; refuse: boolean };
  /** Column (lower-cased) → value (lower-cased) → target: --map-values and the mapping file. */
  valueMap?: ValueMap;
  /** Owner as written (lower-cased) → user email or name. */
  owners?: Record<string, string>;
  /** --date-format, or the mapping file's. */
  dateOrder?: DateOrder;
  /** What each date column's values settle (by column index): an order, or 'mixed'. */
  columnOrders?: Record<number, DateOrder | 'mixed'>;
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

const SPLIT_EMAILS = /[\s,;]+/;
const SPLIT_PHONES = /\s*[,;/|\n]\s*/;
const SPLIT_LIST = /\s*[;,]\s*/;

interface Plan {
  byField: Partial<Record<ImportField, number[]>>;
  firstOpen: Stage | undefined;
  won: Stage | undefined;
  lost: Stage | undefined;
}

/**
 * Which of rc.columns feed each field, worked out once per file: validateRow runs once per row
 * (a million times in a big import), so it allocates as little as it can.
 */
const plans = new WeakMap<RowContext, Plan>();
function planOf(rc: RowContext): Plan {
  let plan = plans.get(rc);
  if (!plan) {
    const byField: Plan['byField'] = {};
    rc.columns.forEach((c, k) => {
      if ('field' in c.target) (byField[c.target.field] ??= []).push(k);
    });
    const stages = [...rc.stages.values()].sort((a, b) => a.position - b.position);
    plan = { byField, firstOpen: stages.find((s) => s.outcome === 'open'), won: stages.find((s) => s.outcome === 'won'), lost: stages.find((s) => s.outcome === 'lost') };
    plans.set(rc, plan);
  }
  return plan;
}

const CONSENT_FIELDS: [ImportField, ConsentChannel][] = [['emailConsent', 'email'], ['smsConsent', 'sms'], ['whatsappConsent', 'whatsapp'], ['callConsent', 'call']];

/** The cleaned cells of the row being validated, by position in rc.columns ('' = empty); reused row after row. */
let vals: string[] = [];

function firstCol(plan: Plan, f: ImportField): number | undefined {
  const cols = plan.byField[f];
  if (cols) for (const k of cols) if (vals[k] !== '') return k;
  return undefined;
}

function allOf(plan: Plan, f: ImportField): string[] | undefined {
  const cols = plan.byField[f];
  let out: string[] | undefined;
  if (cols) for (const k of cols) if (vals[k] !== '') (out ??= []).push(vals[k]!);
  return out;
}

function addGiven(given: (keyof LeadFields)[], field: keyof LeadFields): void {
  if (!given.includes(field)) given.push(field);
}

const messageOf = (err: unknown): string | Words => {
  if (err instanceof CrmError) return err.words ?? err.message;
  throw err;
};

/** Validates one CSV record into lead fields, with the same rules as `crm lead add`; throws RowError when no contact is left. */
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

  let warnings: RowWarning[] | undefined;
  /**
   * A bad value: with --strict the row is refused; otherwise the value is left out (or kept
   * unverified) and the warning says so, and how to fix it.
   */
  const warn = (k: number, value: string, problem: string | Words, done: string | Words, kind: RowWarning['kind'] = 'dropped', fix?: Words): void => {
    const header = columns[k]!.header;
    if (rc.strict) throw new RowError(typeof problem === 'string' ? `column '${header}': ${problem}` : [`column '${header}': `, ...problem]);
    const words: Words = [...(typeof problem === 'string' ? [problem] : problem), '; ', ...(typeof done === 'string' ? [done] : done), ...(fix ? ['; ', ...fix] : [])];
    (warnings ??= []).push({ line, column: header, value, what: plainText(words), ...(words.some((p) => typeof p !== 'string') ? { words } : {}), kind });
  };
  const eachCol = (f: ImportField, fn: (value: string, k: number) => void) => {
    for (const k of plan.byField[f] ?? []) if (vals[k] !== '') fn(vals[k]!, k);
  };

  const given: (keyof LeadFields)[] = [];
  const first = (f: ImportField): string | undefined => {
    const k = firstCol(plan, f);
    return k === undefined ? undefined : vals[k];
  };

  const emails: string[] = [];
  eachCol('emails', (cell, k) => {
    for (const part of cell.split(SPLIT_EMAILS)) {
      if (!part) continue;
      let e: string;
      try {
        e = normalizeEmail(part);
      } catch (err) {
        warn(k, part, messageOf(err), 'left out');
        continue;
      }
      if (!emails.some((x) => x.toLowerCase() === e.toLowerCase())) emails.push(e);
    }
  });

  // The row's own country places its numbers first, then --region, then the team's region.
  let region = rc.region;
  eachCol('country', (cell, k) => {
    custom[columns[k]!.header] = cell;
    const r = regionOf(cell);
    if (r && region === rc.region) region = r;
  });
  const phones: string[] = [];
  eachCol('phones', (cell, k) => {
    for (const part of cell.split(SPLIT_PHONES)) {
      if (!part) continue;
      let p: string;
      try {
        p = rc.phone(part, region);
      } catch (err) {
        const digits = part.replace(/\D/g, '');
        if (digits.length < 6) {
          warn(k, part, messageOf(err), 'left out');
          continue;
        }
        warn(k, part, `cannot place the number${region ? ` in ${region}` : ' (no country code, no country)'}`, 'kept as entered and marked unverified (not used for SMS or WhatsApp until fixed)', 'unverified', say`${{ fix: { id: 'import.region' } }}`);
        p = part.trim();
      }
      if (!phones.includes(p)) phones.push(p);
    }
  });
  const businessName = first('businessName') ?? null;
  const firstName = first('firstName');
  const lastName = first('lastName');
  const joined = firstName && lastName ? `${firstName} ${lastName}` : (firstName ?? lastName ?? '');
  const ownName = first('name');
  const name = ownName ?? (joined || businessName || emails[0] || phones[0]);
  if (!name) throw new RowError(warnings?.length ? `no name, business name, email or phone left (${warnings.map((w) => `column '${w.column}': ${w.what}`).join('; ')})` : 'no name, business name, email or phone');
  if (emails.length) given.push('emails');
  if (phones.length) given.push('phones');
  if (ownName || joined || businessName) given.push('name');
  if (businessName) given.push('businessName');
  let checkedName: string;
  try {
    checkedName = checkName(name, 'name');
  } catch (err) {
    throw new RowError(`column '${columns[firstCol(plan, 'name') ?? firstCol(plan, 'firstName') ?? 0]?.header ?? 'name'}': ${(err as Error).message}`);
  }

  const f: LeadFields = {
    type: 'lead', kind: 'person', name: checkedName, businessName, emails, phones,
    sourceId: rc.defaults.sourceId ?? null, stageId: rc.defaults.stageId, score: 0, valueMinor: null, currency: rc.settings.currency,
    expectedClose: null, assigneeIds: [], tags: [], birthday: null, address: null, custom, status: 'active', lostReason: null,
    orderId: null, convertedAt: null, convertedBy: null, createdBy: rc.actor.id, mergedInto: null, deletedAt: null,
  };
  let newSource: string | undefined;
  /** Tries fn on a column's first value; a bad value is left out with a warning. */
  const soft = <T>(fld: ImportField, fn: (v: string) => T): T | undefined => {
    const k = firstCol(plan, fld);
    if (k === undefined) return undefined;
    try {
      return fn(vals[k]!);
    } catch (err) {
      warn(k, vals[k]!, messageOf(err), 'left out');
      return undefined;
    }
  };
  let v: unknown;
  if ((v = soft('kind', (s) => oneOf<LeadKind>(s, LEAD_KINDS, 'kind')))) {
    f.kind = v as LeadKind;
    addGiven(given, 'kind');
  } else if (businessName && !ownName && !joined) f.kind = 'company';

  // Stage, outcome and status: a value map first, then the store's stage names, then what the common exports write.
  let stageGiven = false;
  let customer = false;
  let lostDefault: string | undefined;
  const apply = (m: ValueMeaning, raw: string): boolean => {
    if (m.ignore || m.keep) return true;
    if (m.junk) {
      f.status = 'junk';
      addGiven(given, 'status');
      return true;
    }
    let stage: Stage | undefined;
    if (m.customer) {
      customer = true;
      stage = plan.won;
      if (!stage) return true;
    } else if (m.outcome) {
      stage = m.outcome === 'won' ? plan.won : plan.lost;
      if (m.outcome === 'lost') lostDefault = m.lostReason ?? raw;
    } else if (m.open) {
      stage = rc.stages.get(m.open.toLowerCase()) ?? (m.open === 'New' ? plan.firstOpen : undefined);
    }
    if (!stage) return false;
    f.stageId = stage.id;
    stageGiven = true;
    return true;
  };
  const resolve = (fld: 'stage' | 'outcome' | 'status') => {
    eachCol(fld, (raw, k) => {
      const header = columns[k]!.header;
      const mapped = rc.valueMap?.[header.toLowerCase()]?.[raw.toLowerCase()];
      if (mapped !== undefined) {
        if (!apply(meaningOf(mapped), raw)) warn(k, raw, `'${raw}' is mapped to '${mapped}', which is not a stage`, 'left out');
        return;
      }
      if (fld === 'status' && (LEAD_STATUSES as readonly string[]).includes(raw.toLowerCase())) {
        f.status = raw.toLowerCase() as LeadStatus;
        addGiven(given, 'status');
        return;
      }
      // Pipedrive's Deal - Status 'open': the deal's stage column says where it is.
      if (fld === 'outcome' && /^open$/i.test(raw)) return;
      const own = rc.stages.get(raw.toLowerCase());
      if (own && fld !== 'outcome') {
        f.stageId = own.id;
        stageGiven = true;
        if (own.outcome === 'lost') lostDefault = raw;
        return;
      }
      const m = builtInMeaning(raw);
      if (m && apply(m, raw)) return;
      unknown.push({ k, raw, header });
    });
  };
  const unknown: { k: number; raw: string; header: string }[] = [];
  resolve('stage');
  resolve('outcome');
  resolve('status');
  for (const { k, raw, header } of unknown) {
    warn(k, raw, `no stage or status for '${raw}'`, stageGiven ? 'left out (another column gave the stage)' : 'left at the default stage', 'unmapped', say`${{ fix: { id: 'import.map-value', column: header, value: raw } }}`);
  }
  if (stageGiven) addGiven(given, 'stageId');
  const reasonCol = firstCol(plan, 'lostReason');
  const stageIsLost = plan.lost !== undefined && f.stageId === plan.lost.id;
  if (stageIsLost) {
    f.lostReason = (reasonCol !== undefined ? vals[reasonCol] : undefined) ?? lostDefault ?? 'Lost';
    addGiven(given, 'lostReason');
  } else if (reasonCol !== undefined) {
    // A lost reason on a lead that is not lost is history, not a reason: kept as a custom field.
    custom[columns[reasonCol]!.header] = vals[reasonCol]!;
  }
  if ((v = soft('type', (s) => oneOf<LeadType>(s, LEAD_TYPES, 'type')))) {
    f.type = v as LeadType;
    addGiven(given, 'type');
  }
  if (customer) {
    f.type = 'customer';
    addGiven(given, 'type');
  }
  eachCol('source', (s, k) => {
    if (f.sourceId !== null && given.includes('sourceId')) return;
    const src = rc.sources.get(s.toLowerCase());
    if (src) f.sourceId = src.id;
    else if (rc.strict) throw new RowError(say`column '${columns[k]!.header}': unknown source '${s}' (${{ fix: { id: 'import.add-source', source: s } }})`);
    else newSource = s;
    addGiven(given, 'sourceId');
  });
  if (f.sourceId !== null) addGiven(given, 'sourceId');
  if ((v = soft('score', (s) => parseScore(s))) !== undefined) {
    f.score = v as number;
    addGiven(given, 'score');
  }
  if ((v = soft('currency', (s) => normalizeCurrency(s)))) {
    f.currency = v as string;
    addGiven(given, 'currency');
  }
  if ((v = soft('value', (s) => parseMoney(plainAmount(s, rc.decimalComma), f.currency))) !== undefined) {
    f.valueMinor = v as number;
    addGiven(given, 'valueMinor');
    addGiven(given, 'currency');
  }
  /** A date column's value as YYYY-MM-DD (and time): ambiguous without a format → a warning with the fix. */
  const dateOf = (fld: ImportField): { date: string; time: string | null } | undefined => {
    const k = firstCol(plan, fld);
    if (k === undefined) return undefined;
    const raw = vals[k]!;
    const colOrder = rc.columnOrders?.[columns[k]!.index];
    const order = rc.dateOrder ?? (colOrder === 'mixed' ? undefined : colOrder);
    const p = parseDateCell(raw, order);
    if ('date' in p) return p;
    if ('ambiguous' in p) {
      warn(k, raw, colOrder === 'mixed' ? `'${raw}' could be day/month or month/day (this column has both)` : `'${raw}' could be day/month or month/day`, 'left out', 'date', say`${{ fix: { id: 'import.date-format' } }}`);
    } else warn(k, raw, `not a date: '${raw}'`, 'left out', 'date');
    return undefined;
  };
  let d: { date: string; time: string | null } | undefined;
  if ((d = dateOf('expectedClose')) && (v = soft('expectedClose', () => parseDate(d!.date, 'expected close date')))) {
    f.expectedClose = v as string;
    addGiven(given, 'expectedClose');
  }
  // A birthday may leave out the year (MM-DD, as crm exports it).
  const bk = firstCol(plan, 'birthday');
  if (bk !== undefined && /^\d{2}-\d{2}$/.test(vals[bk]!) && (v = soft('birthday', (x) => parseBirthday(x)))) {
    f.birthday = v as string;
    addGiven(given, 'birthday');
  } else if ((d = dateOf('birthday')) && (v = soft('birthday', () => parseBirthday(d!.date)))) {
    f.birthday = v as string;
    addGiven(given, 'birthday');
  }
  let createdAt: string | undefined;
  if ((d = dateOf('createdAt'))) {
    const at = `${d.date}T${d.time ?? '00:00:00'}.000Z`;
    const k = firstCol(plan, 'createdAt')!;
    if (at > rc.now) warn(k, vals[k]!, 'a creation date in the future', 'the import time is used');
    else createdAt = at;
  }
  if ((v = first('address'))) {
    f.address = v as string;
    addGiven(given, 'address');
  }
  if ((v = first('orderId'))) {
    f.orderId = v as string;
    addGiven(given, 'orderId');
  }
  const parsed = soft('custom', (s) => {
    let obj: unknown;
    try {
      obj = JSON.parse(s);
    } catch {
      throw new UsageError(`not a JSON object: '${s}'`);
    }
    if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw new UsageError(`not a JSON object: '${s}'`);
    return obj as Record<string, unknown>;
  });
  if (parsed) for (const [key, val] of Object.entries(parsed)) if (val !== null && val !== '') custom[key] = String(val);
  if (Object.keys(custom).length) addGiven(given, 'custom');
  const tagCells = allOf(plan, 'tags');
  const tags = tagCells || rc.defaults.tags.length ? [...(tagCells ?? []).flatMap((c) => c.split(SPLIT_LIST)), ...rc.defaults.tags].filter(Boolean) : [];
  if (tags.length) {
    f.tags = dedupe(tags, (t) => t.toLowerCase());
    addGiven(given, 'tags');
  }
  const ids: number[] = [];
  eachCol('assign', (cell, k) => {
    for (const who of cell.split(SPLIT_LIST)) {
      if (!who) continue;
      const key = (rc.valueMap?.[columns[k]!.header.toLowerCase()]?.[who.toLowerCase()] ?? rc.owners?.[who.toLowerCase()] ?? who).toLowerCase();
      const u = rc.users.find((x) => x.email.toLowerCase() === key) ?? rc.users.find((x) => x.name.toLowerCase() === key);
      if (!u) {
        warn(k, who, say`no user '${who}'`, 'left unassigned', 'owner', say`${{ fix: { id: 'import.owner' } }}`);
        continue;
      }
      if (!u.active) {
        warn(k, who, `user ${u.email} is deactivated`, 'left unassigned', 'owner', say`${{ fix: { id: 'import.owner' } }}`);
        continue;
      }
      if (!ids.includes(u.id)) ids.push(u.id);
    }
  });
  if (ids.length) {
    f.assigneeIds = ids;
    addGiven(given, 'assigneeIds');
  }
  if (f.type === 'customer') {
    f.convertedAt = createdAt ?? rc.now;
    f.convertedBy = rc.actor.id;
  }
  const notes = allOf(plan, 'notes');
  if ((rc.settings.junkDomains.length || rc.settings.junkWords.length) && junkByRules(rc.settings, f.name, emails)) f.status = 'junk';
  let consent: ValidRow['consent'];
  for (const [field, channel] of CONSENT_FIELDS) {
    eachCol(field, (cell, k) => {
      const v = consentValue(cell);
      if (typeof v === 'boolean') (consent ??= {})[channel] = v;
      else warn(k, cell, `'${cell}' is not a consent value`, 'no consent recorded', 'dropped', ['use yes or no (true/false, 1/0, granted/withdrawn)']);
    });
  }
  let suppressed = false;
  if (rc.suppressed && (emails.length || phones.length)) {
    const hit = emails.some((e) => rc.suppressed!.hashes.has(contactHash('email', e))) || phones.some((p) => rc.suppressed!.hashes.has(contactHash('phone', p)));
    if (hit && rc.suppressed.refuse) throw new RowError(SUPPRESSED_REASON);
    suppressed = hit;
  }
  const row: ValidRow = { line, fields: f, given, defaultAssign: !ids.length };
  if (consent) row.consent = consent;
  if (suppressed) row.suppressed = true;
  if (warnings) row.warnings = warnings;
  if (newSource) row.newSource = newSource;
  if (createdAt) row.createdAt = createdAt;
  if (notes) row.note = notes.join('\n\n').replace(/\r\n?/g, '\n');
  return row;
}
