/**
 * Values, not just columns: what other CRMs write in their stage and status columns, owners by
 * name, countries, and dates in the orders spreadsheets use. Pure functions of plain data, so the
 * producer can run them in its worker thread.
 */
import { readFileSync, existsSync } from 'node:fs';
import { UsageError, fieldRef, say } from '../../errors.js';
import { keyed } from '../../domain/keyed.js';

/** What a stage or status value means; `open` names a stage of the store's pipeline. */
export interface ValueMeaning {
  open?: string;
  outcome?: 'won' | 'lost';
  junk?: boolean;
  customer?: boolean;
  /** The lead keeps its stage (Pipedrive's `open`: the stage column says where). */
  keep?: boolean;
  /** Drop the value silently (a value map's `ignore`). */
  ignore?: boolean;
  lostReason?: string;
}

/** lower-cased, letters and digits only: `Closed - Converted` → `closedconverted`. */
export const normValue = (v: string): string => v.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

const BUILT_IN: Record<string, ValueMeaning> = keyed();
const is = (m: ValueMeaning, ...values: string[]) => values.forEach((v) => (BUILT_IN[v] = m));
// HubSpot lifecycle stages (internal names and labels).
is({ open: 'New' }, 'subscriber', 'lead', 'new');
is({ open: 'Contacted' }, 'marketingqualifiedlead', 'mql');
is({ open: 'Qualified' }, 'salesqualifiedlead', 'sql', 'opportunity');
is({ customer: true }, 'customer', 'evangelist', 'closedconverted', 'converted');
// HubSpot lead statuses.
is({ open: 'New' }, 'open', 'opennotcontacted', 'notcontacted', 'leadin');
is({ open: 'Contacted' }, 'inprogress', 'attemptedtocontact', 'connected', 'workingcontacted', 'contactinfuture', 'contacted', 'contactmade');
is({ open: 'Qualified' }, 'opendeal', 'prequalified', 'prospectqualified', 'needsdefined', 'qualified');
is({ outcome: 'lost', lostReason: 'Unqualified' }, 'unqualified');
is({ outcome: 'lost', lostReason: 'Bad timing' }, 'badtiming');
// Salesforce lead statuses: Open - Not Contacted, Working - Contacted, Closed - Converted, Closed - Not Converted.
is({ outcome: 'lost', lostReason: 'Not converted' }, 'closednotconverted');
// Pipedrive's default pipeline, and Deal - Status.
is({ open: 'Demo' }, 'demoscheduled', 'demo');
is({ open: 'Proposal Sent' }, 'proposalmade', 'negotiationsstarted', 'proposalsent');
is({ outcome: 'won' }, 'won', 'closedwon', 'dealwon');
is({ outcome: 'lost' }, 'lost', 'closedlost', 'deallost', 'lostlead');
// Zoho lead statuses.
is({ outcome: 'lost', lostReason: 'Not qualified' }, 'notqualified');
is({ junk: true }, 'junk', 'junklead', 'spam');

/** A built-in meaning of a stage or status value, if the common exports use it. */
export function builtInMeaning(raw: string): ValueMeaning | undefined {
  return BUILT_IN[normValue(raw)];
}

/** A value map's right-hand side: a stage name, or won, lost, junk, customer, ignore. */
export function meaningOf(target: string): ValueMeaning {
  const t = target.trim();
  switch (t.toLowerCase()) {
    case 'won':
      return { outcome: 'won' };
    case 'lost':
      return { outcome: 'lost' };
    case 'junk':
      return { junk: true };
    case 'customer':
      return { customer: true };
    case 'ignore':
    case 'skip':
    case '-':
      return { ignore: true };
    default:
      return { open: t };
  }
}

/** Column (lower-cased) → value (lower-cased, trimmed) → target as written. */
export type ValueMap = Record<string, Record<string, string>>;

/** `--map-values 'Lifecycle Stage:lead=New,opportunity=Demo'` (repeatable) into a ValueMap. */
export function parseMapValues(values: string[] | undefined, into: ValueMap = keyed()): ValueMap {
  for (const value of values ?? []) {
    const colon = value.indexOf(':');
    if (colon < 1) throw new UsageError(say`invalid ${fieldRef('mapValues')} '${value}'`, { id: 'import.map-values' });
    const column = value.slice(0, colon).trim().toLowerCase();
    const map = (into[column] ??= keyed());
    for (const pair of value.slice(colon + 1).split(',')) {
      if (!pair.trim()) continue;
      const i = pair.lastIndexOf('=');
      if (i < 1 || !pair.slice(i + 1).trim()) throw new UsageError(say`invalid ${fieldRef('mapValues')} '${pair}'`, { id: 'import.map-values' });
      map[pair.slice(0, i).trim().toLowerCase()] = pair.slice(i + 1).trim();
    }
  }
  return into;
}

export const DATE_ORDERS = ['dmy', 'mdy', 'ymd'] as const;
export type DateOrder = (typeof DATE_ORDERS)[number];

/** A reusable mapping file (`--mapping file.json`); every part optional. */
export interface MappingFile {
  columns?: Record<string, string>;
  values?: Record<string, Record<string, string>>;
  owners?: Record<string, string>;
  dateFormat?: DateOrder;
  region?: string;
}

export function readMappingFile(path: string): MappingFile {
  if (!existsSync(path)) throw new UsageError(`no mapping file ${path}`, { id: 'import.mapping-skeleton' });
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new UsageError(`${path} is not JSON: ${(err as Error).message}`, 'a mapping file is a JSON object with columns, values, owners, dateFormat and region');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new UsageError(`${path} is not a JSON object`, 'a mapping file is a JSON object with columns, values, owners, dateFormat and region');
  const m = parsed as Record<string, unknown>;
  const out: MappingFile = {};
  const record = (key: string): Record<string, string> | undefined => {
    const v = m[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'object' || Array.isArray(v)) throw new UsageError(`${path}: "${key}" is not an object`, 'write it as { "from": "to", … }');
    const r: Record<string, string> = keyed();
    for (const [k, x] of Object.entries(v)) if (typeof x === 'string' && x.trim()) r[k] = x;
    return r;
  };
  out.columns = record('columns');
  out.owners = record('owners');
  if (m.values !== undefined && m.values !== null) {
    if (typeof m.values !== 'object' || Array.isArray(m.values)) throw new UsageError(`${path}: "values" is not an object`, 'write it as { "Column": { "value": "stage" }, … }');
    out.values = keyed();
    for (const [col, v] of Object.entries(m.values as Record<string, unknown>)) {
      if (!v || typeof v !== 'object') continue;
      const r: Record<string, string> = keyed();
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) if (typeof x === 'string' && x.trim()) r[k] = x;
      out.values[col] = r;
    }
  }
  if (typeof m.dateFormat === 'string' && m.dateFormat) out.dateFormat = dateOrderOf(m.dateFormat);
  if (typeof m.region === 'string' && m.region) out.region = m.region;
  return out;
}

export function dateOrderOf(raw: string): DateOrder {
  const v = raw.trim().toLowerCase().replace(/[^a-z]/g, '');
  const alias: Record<string, DateOrder> = { dmy: 'dmy', ddmmyyyy: 'dmy', mdy: 'mdy', mmddyyyy: 'mdy', ymd: 'ymd', yyyymmdd: 'ymd' };
  const order = alias[v];
  if (!order) throw new UsageError(say`invalid ${fieldRef('dateFormat')} '${raw}'`, 'use dmy (15/03/2024), mdy (03/15/2024) or ymd (2024-03-15)');
  return order;
}

/** A date cell, parsed: its calendar date (YYYY-MM-DD) and time of day (HH:MM:SS, UTC) if it had one. */
export type DateParse = { date: string; time: string | null } | { ambiguous: true } | { bad: true };

const NUMERIC = /^(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*(am|pm|AM|PM)?\s*(Z|UTC|[+-]\d{2}:?\d{2})?)?$/;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Which order a numeric date's first two parts settle, if any: a part above 12 is a day. */
export function dateEvidence(raw: string): 'dmy' | 'mdy' | 'ymd' | undefined {
  const m = NUMERIC.exec(raw.trim());
  if (!m) return undefined;
  if (m[1]!.length === 4) return 'ymd';
  const a = Number(m[1]);
  const b = Number(m[2]);
  if (a > 12 && b <= 12) return 'dmy';
  if (b > 12 && a <= 12) return 'mdy';
  return undefined;
}

function valid(y: number, mo: number, d: number): boolean {
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d && y >= 1900 && y <= 2200;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Parses a date as exports write it; `order` is the file's (or the column's) day/month order, if known. */
export function parseDateCell(raw: string, order: DateOrder | undefined): DateParse {
  const s = raw.trim();
  const m = NUMERIC.exec(s);
  let y: number;
  let mo: number;
  let d: number;
  let time: string | null = null;
  if (m) {
    const [a, b, c] = [m[1]!, m[2]!, m[3]!];
    if (a.length === 4) [y, mo, d] = [Number(a), Number(b), Number(c)];
    else {
      const year = c.length === 2 ? 2000 + Number(c) - (Number(c) > 69 ? 100 : 0) : Number(c);
      const first = Number(a);
      const second = Number(b);
      let o: DateOrder | undefined = order === 'ymd' ? undefined : order;
      if (first > 12 && second <= 12) o = 'dmy';
      else if (second > 12 && first <= 12) o = 'mdy';
      else if (first === second) o = 'dmy';
      if (!o) return { ambiguous: true };
      [y, mo, d] = o === 'dmy' ? [year, second, first] : [year, first, second];
    }
    if (m[4] !== undefined) {
      let h = Number(m[4]);
      const ampm = m[7]?.toLowerCase();
      if (ampm === 'pm' && h < 12) h += 12;
      if (ampm === 'am' && h === 12) h = 0;
      if (h > 23 || Number(m[5]) > 59) return { bad: true };
      time = `${pad(h)}:${m[5]}:${m[6] ?? '00'}`;
      const tz = m[8];
      if (tz && /^[+-]/.test(tz)) {
        const sign = tz[0] === '-' ? 1 : -1;
        const [th, tm] = [Number(tz.slice(1, 3)), Number(tz.slice(-2))];
        const at = new Date(`${y}-${pad(mo)}-${pad(d)}T${time}Z`);
        if (!Number.isNaN(at.getTime())) {
          const utc = new Date(at.getTime() + sign * (th * 60 + tm) * 60_000).toISOString();
          return { date: utc.slice(0, 10), time: utc.slice(11, 19) };
        }
      }
    }
  } else {
    // 15 Mar 2024, Mar 15, 2024, 15-Mar-2024
    const t = /^(?:(\d{1,2})[\s\-]+([a-z]{3,9})\.?|([a-z]{3,9})\.?\s+(\d{1,2}),?)[\s\-,]+(\d{4})$/i.exec(s);
    if (!t) return { bad: true };
    const mon = MONTHS.indexOf((t[2] ?? t[3])!.slice(0, 3).toLowerCase());
    if (mon < 0) return { bad: true };
    [y, mo, d] = [Number(t[5]), mon + 1, Number(t[1] ?? t[4])];
  }
  if (!valid(y, mo, d)) return { bad: true };
  return { date: `${y}-${pad(mo)}-${pad(d)}`, time };
}

let regions: Map<string, string> | undefined;
/** Codes Intl still names that no phone belongs to: retired (DD East Germany, SU, YU, …) or reserved (EU, UN, UK). */
const RETIRED = new Set(['DD', 'SU', 'YU', 'CS', 'ZR', 'TP', 'BU', 'NT', 'EU', 'EZ', 'UN', 'UK', 'QO', 'XA', 'XB', 'AN', 'FX', 'DY', 'RH', 'VD', 'YD', 'NH', 'HV']);
/** A country as exports write it (name, ISO code, common aliases) → ISO 3166 region code. */
export function regionOf(country: string): string | undefined {
  if (!regions) {
    regions = new Map();
    const names = new Intl.DisplayNames(['en'], { type: 'region' });
    const A = 'A'.charCodeAt(0);
    for (let i = 0; i < 26; i++) {
      for (let j = 0; j < 26; j++) {
        const code = String.fromCharCode(A + i, A + j);
        let name: string | undefined;
        try {
          name = names.of(code);
        } catch {
          continue;
        }
        if (!name || name === code || RETIRED.has(code)) continue;
        // First code wins: GB before UK (an exceptional reservation that also reads "United Kingdom").
        if (!regions.has(normValue(name))) regions.set(normValue(name), code);
        if (!regions.has(code.toLowerCase())) regions.set(code.toLowerCase(), code);
      }
    }
    const alias: Record<string, string> = {
      uk: 'GB', usa: 'US', unitedstatesofamerica: 'US', america: 'US', greatbritain: 'GB', england: 'GB', scotland: 'GB', wales: 'GB',
      northernireland: 'GB', britain: 'GB', deutschland: 'DE', españa: 'ES', espana: 'ES', brasil: 'BR', méxico: 'MX', holland: 'NL',
      thenetherlands: 'NL', россия: 'RU', uae: 'AE', southkorea: 'KR', korea: 'KR', czechia: 'CZ', czechrepublic: 'CZ', türkiye: 'TR',
      turkey: 'TR', ivorycoast: 'CI', gbr: 'GB', deu: 'DE', fra: 'FR', ind: 'IN', prt: 'PT', esp: 'ES', ita: 'IT', can: 'CA', aus: 'AU', bharat: 'IN',
    };
    for (const [k, v] of Object.entries(alias)) regions.set(k, v);
  }
  return regions.get(normValue(country));
}
