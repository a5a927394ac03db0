import { UsageError, say, type FieldRef } from '../../errors.js';
import { currencyDigits } from '../../io/format.js';
import { MAX_TEXT_CHARS } from '../../domain/leads.js';
import { MIN_YEAR } from '../time/parse.js';

// Deliberately plain: one @, no spaces, a dot in the domain. Full RFC 5322 accepts
// addresses no mail server delivers to and rejects nothing a rep would mistype.
const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[A-Za-z]{2,}$/;

export function normalizeEmail(raw: string, field: string | FieldRef = 'email'): string {
  const email = raw.trim();
  if (!EMAIL.test(email)) throw new UsageError(say`invalid ${field} '${raw}'`, 'give an address like name@example.com');
  return email;
}

/** Phones to E.164 with libphonenumber-js, loaded only when a phone is given. */
export async function normalizePhones(raws: string[], defaultRegion: string | undefined, field = 'phone'): Promise<string[]> {
  if (raws.length === 0) return [];
  const normalize = await phoneNormalizer(defaultRegion);
  return raws.map((raw) => normalize(raw, field));
}

/**
 * A synchronous phone normaliser for one default region (what normalizePhones uses per
 * number): bulk paths load libphonenumber once and call it per cell without awaiting.
 */
export async function phoneNormalizer(defaultRegion: string | undefined): Promise<(raw: string, field?: string) => string> {
  const { parsePhoneNumberWithError } = await import('../../vendor/phone.js');
  const options = defaultRegion ? { defaultCountry: defaultRegion as never } : undefined;
  return (raw, field = 'phone') => {
    let parsed;
    try {
      parsed = parsePhoneNumberWithError(raw, options);
    } catch (err) {
      const noRegion = !defaultRegion && !raw.trim().startsWith('+');
      throw new UsageError(
        `invalid ${field} '${raw}': ${(err as Error).message.toLowerCase().replace(/_/g, ' ')}`,
        noRegion ? { id: 'phone.region' } : 'write it with its country code, e.g. +351 912 345 678',
      );
    }
    if (!parsed.isValid()) {
      throw new UsageError(`invalid ${field} '${raw}': not a valid number for ${parsed.country ?? 'its country code'}`, 'check the digits and the country code');
    }
    return parsed.number;
  };
}

let currencies: Set<string> | undefined;
export function normalizeCurrency(raw: string): string {
  const c = raw.trim().toUpperCase();
  currencies ??= new Set(Intl.supportedValuesOf('currency'));
  if (!currencies.has(c)) throw new UsageError(`unknown currency '${raw}'`, 'use an ISO 4217 code such as EUR, USD, INR');
  return c;
}

/**
 * An amount as people write it, in either convention: "12000", "12,000.50", "12.000,50",
 * "1 234,50", "12_000", "€ 1.234,50", "1234,5" → "12000.50"-style plain decimal. The last of
 * ',' and '.' is the decimal mark when both appear; a lone ',' or '.' followed by exactly three
 * digits is a thousands separator (1,234,567; 1.234), since a currency with two decimals or none
 * cannot have three — unless the currency has three decimals (KWD 1.234); followed by one, two (or more than three) digits it
 * is the decimal mark.
 */
export function plainDecimal(raw: string, field = 'value', decimals = 2): string {
  let s = raw.trim().replace(/^[€$£₹¥]\s*|\s*[€$£₹¥]$/g, '').replace(/^[A-Z]{3}\s+|\s+[A-Z]{3}$/g, '').replace(/[_\s\u00a0\u202f']/g, '');
  const lastComma = s.lastIndexOf(',');
  const lastDot = s.lastIndexOf('.');
  if (lastComma >= 0 && lastDot >= 0) {
    const mark = lastComma > lastDot ? ',' : '.';
    const group = mark === ',' ? '.' : ',';
    s = s.split(group).join('');
    if (s.indexOf(mark) !== s.lastIndexOf(mark)) throw new UsageError(`invalid ${field} '${raw}'`, 'write it like 12000, 12,000.50 or 12.000,50');
    return s.replace(mark, '.');
  }
  const mark = lastComma >= 0 ? ',' : lastDot >= 0 ? '.' : '';
  if (!mark) return s;
  const parts = s.split(mark);
  if (parts.length > 2) {
    // 1,234,567 or 1.234.567: thousands separators only
    if (parts.slice(1).every((p) => p.length === 3)) return parts.join('');
    throw new UsageError(`invalid ${field} '${raw}'`, 'write it like 12000, 12,000.50 or 12.000,50');
  }
  const [whole, frac] = parts as [string, string];
  // Exactly three digits after a lone mark: thousands (1.234 → 1234) unless the currency has three
  // decimals — the only reading the currency allows, so not a guess.
  if (frac.length === 3 && decimals !== 3 && whole !== '0' && whole !== '') return `${whole}${frac}`;
  return `${whole}.${frac}`;
}

/** An amount (see plainDecimal for the forms) → minor units of the currency; refuses negatives and extra decimals. */
export function parseMoney(raw: string, currency: string, field = 'value'): number {
  const digits = currencyDigits(currency);
  const s = plainDecimal(raw, field, digits);
  const m = /^(\d+)(?:\.(\d+))?$/.exec(s);
  if (!m) {
    const hint = s.startsWith('-') ? `${field} cannot be negative` : `write it like 12000, 12,000.50 or 12.000,50`;
    throw new UsageError(`invalid ${field} '${raw}'`, hint);
  }
  const frac = m[2] ?? '';
  if (frac.length > digits) throw new UsageError(`invalid ${field} '${raw}': ${currency} has ${digits} decimal places`, `round it to ${digits} decimals`);
  const minor = Number(m[1]) * 10 ** digits + Number(frac.padEnd(digits, '0') || '0');
  if (!Number.isSafeInteger(minor)) throw new UsageError(`invalid ${field} '${raw}': too large`);
  return minor;
}

export function parseScore(raw: string | number): number {
  const n = typeof raw === 'number' ? raw : Number(String(raw).trim());
  if (!Number.isInteger(n) || n < 0 || n > 100 || String(raw).trim() === '') {
    throw new UsageError(`invalid score '${raw}'`, 'a score is a whole number from 0 to 100');
  }
  return n;
}

/** A calendar date YYYY-MM-DD that exists. */
export function parseDate(raw: string, field: string | FieldRef): string {
  const s = raw.trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
  if (!m || !d || d.getUTCMonth() !== Number(m[2]) - 1 || d.getUTCDate() !== Number(m[3])) {
    throw new UsageError(say`invalid ${field} '${raw}'`, 'write the date as YYYY-MM-DD, e.g. 2026-12-15');
  }
  if (Number(m[1]) < MIN_YEAR) throw new UsageError(say`invalid ${field} '${raw}': before the year ${MIN_YEAR}`, 'write the date as YYYY-MM-DD, e.g. 2026-12-15');
  return s;
}

/** Birthdays may omit the year: YYYY-MM-DD or MM-DD. */
export function parseBirthday(raw: string): string {
  const s = raw.trim();
  if (/^\d{2}-\d{2}$/.test(s)) {
    parseDate(`2000-${s}`, 'birthday');
    return s;
  }
  return parseDate(s, 'birthday');
}

export function parseId(raw: string, what = 'lead'): number {
  const s = raw.trim().replace(/^#/, '');
  if (!/^\d+$/.test(s) || Number(s) < 1 || !Number.isSafeInteger(Number(s))) throw new UsageError(`invalid ${what} id '${raw}'`, `${what} ids are whole numbers from 1 to ${Number.MAX_SAFE_INTEGER}, e.g. 12`);
  return Number(s);
}

/** The most rows a list may ask for or skip: far beyond any store, and still a whole number to SQL. */
export const MAX_LIST_ROWS = 1_000_000_000;

/** A --limit or --offset: a whole number from `min` to MAX_LIST_ROWS, one rule for every list. */
export function parseCount(raw: string | number, field: string | FieldRef, min: number): number {
  const n = typeof raw === 'number' ? raw : String(raw).trim() === '' ? NaN : Number(raw);
  if (!Number.isInteger(n) || n < min || n > MAX_LIST_ROWS) throw new UsageError(say`invalid ${field} '${raw}'`, `give a whole number from ${min} to ${MAX_LIST_ROWS}`);
  return n;
}

export function nonEmpty(raw: string, field: string): string {
  const s = raw.trim();
  if (!s) throw new UsageError(`${field} cannot be empty`);
  return s;
}

const CONTROL = /[\p{Cc}\u2028\u2029]/u;
const CONTROLS = /[\p{Cc}\u2028\u2029]+/gu;

/**
 * A name (of a lead, user, stage, source or tag): one line of printable text, not empty, at
 * most MAX_TEXT_CHARS, whichever way it comes in.
 */
export function checkName(raw: string, field: string): string {
  const s = nonEmpty(raw, field);
  if (s.length > MAX_TEXT_CHARS) {
    throw new UsageError(`${field} of ${s.length.toLocaleString('en')} characters is too long (at most ${MAX_TEXT_CHARS.toLocaleString('en')})`, 'shorten it');
  }
  const c = CONTROL.exec(s);
  if (c) {
    const code = `U+${c[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
    throw new UsageError(`invalid ${field} ${JSON.stringify(s.length > 60 ? `${s.slice(0, 60)}…` : s)}: control character ${code} at position ${c.index + 1}`, 'a name is one line of printable text: remove line breaks, tabs and other control characters');
  }
  return s;
}

/** Text from outside (a form, a message) made into a name: control characters become spaces. */
export function oneLine(raw: string): string {
  return raw.replace(CONTROLS, ' ').trim();
}
