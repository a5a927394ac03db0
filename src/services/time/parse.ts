import { UsageError, say, type FieldRef } from '../../errors.js';
import { isTimeZone, systemTimeZone } from './zone.js';

/**
 * Times as people type them: ISO-8601 or English phrases ("tomorrow 10am", "in 2h",
 * "next monday 9:30"), read by chrono-node relative to the injected clock, in the user's
 * time zone, returned as a UTC Date.
 */

export const TIME_FORMATS = 'ISO such as 2026-11-25 15:00 or 2026-11-25T15:00:00Z, or phrases such as "now", "tomorrow 10am", "in 2h", "next monday 9:30", "friday 3pm"';

/** The zone a person means: --tz, then CRM_TZ / the config file, then the system's. */
export function resolveTimeZone(flag: string | undefined, fromContext: string | undefined): string {
  const tz = flag?.trim() || fromContext || systemTimeZone();
  if (!isTimeZone(tz)) throw new UsageError(`unknown time zone '${tz}'`, 'use an IANA zone name such as Europe/Lisbon, Asia/Kolkata or UTC');
  return tz;
}

const dtfCache = new Map<string, Intl.DateTimeFormat>();
function partsIn(date: Date, timeZone: string): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  let f = dtfCache.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', hourCycle: 'h23' });
    dtfCache.set(timeZone, f);
  }
  const p: Record<string, number> = {};
  for (const x of f.formatToParts(date)) if (x.type !== 'literal') p[x.type] = Number(x.value);
  return { year: p.year!, month: p.month!, day: p.day!, hour: p.hour!, minute: p.minute!, second: p.second! };
}

/** Minutes east of UTC that `timeZone` is at this instant (Lisbon in summer: 60). */
export function offsetMinutes(date: Date, timeZone: string): number {
  const p = partsIn(date, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((asUtc - Math.floor(date.getTime() / 1000) * 1000) / 60_000);
}

/** A wall-clock time in a zone → the UTC instant. A time skipped by a DST jump moves forward. */
export function zonedToUtc(wall: { year: number; month: number; day: number; hour?: number; minute?: number; second?: number }, timeZone: string): Date {
  const guess = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour ?? 0, wall.minute ?? 0, wall.second ?? 0);
  const first = guess - offsetMinutes(new Date(guess), timeZone) * 60_000;
  const second = guess - offsetMinutes(new Date(first), timeZone) * 60_000;
  if (first === second) return new Date(first);
  // Around a transition the two guesses differ: keep the one that maps back to the wall time,
  // else (a skipped hour) the later one.
  const back = partsIn(new Date(second), timeZone);
  return new Date(back.hour === (wall.hour ?? 0) ? second : Math.max(first, second));
}

/** The wall-clock date of an instant in a zone, YYYY-MM-DD. */
export function localDate(date: Date, timeZone: string): { year: number; month: number; day: number } {
  const p = partsIn(date, timeZone);
  return { year: p.year, month: p.month, day: p.day };
}

/** Adds whole calendar days keeping the wall-clock time (so 10:00 stays 10:00 across DST). */
export function addLocalDays(date: Date, days: number, timeZone: string): Date {
  const p = partsIn(date, timeZone);
  const shifted = new Date(Date.UTC(p.year, p.month - 1, p.day + days));
  return zonedToUtc({ year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate(), hour: p.hour, minute: p.minute, second: p.second }, timeZone);
}

/** Midnight (local) of the day `date` falls on, plus `days`. */
export function startOfLocalDay(date: Date, timeZone: string, days = 0): Date {
  const p = localDate(date, timeZone);
  const d = new Date(Date.UTC(p.year, p.month - 1, p.day + days));
  return zonedToUtc({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() }, timeZone);
}

/** Midnight (local) of the first day of the month `date` falls in, plus `months`. */
export function startOfLocalMonth(date: Date, timeZone: string, months = 0): Date {
  const p = localDate(date, timeZone);
  const d = new Date(Date.UTC(p.year, p.month - 1 + months, 1));
  return zonedToUtc({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: 1 }, timeZone);
}

/**
 * Parses a time phrase. The whole text must be understood: "tomorrow maybe" is refused rather
 * than read as "tomorrow". Phrases that name an amount of time from now ("in 2h", "now") are
 * exact instants; phrases that name a wall-clock time ("tomorrow 10:00", "in 3 days") are read
 * in `timeZone` on the day they fall on, so a DST change in between does not shift them.
 */
export async function parseTime(raw: string, field: string | FieldRef, opts: { now: Date; timeZone: string; forward?: boolean; dateFrom?: Date; dateOrder?: DateOrder }): Promise<Date> {
  const t = await readTime(raw, field, opts);
  const year = t.getUTCFullYear();
  if (Number.isNaN(year) || year < MIN_YEAR || year > MAX_YEAR) {
    throw new UsageError(say`${field} '${raw}' is out of range`, `give a time between the years ${MIN_YEAR} and ${MAX_YEAR}`);
  }
  return t;
}

/** The years a stored date or time may fall in (an expected close in year 0 is a typo). */
export const MIN_YEAR = 1900;
export const MAX_YEAR = 9999;

/** The order of day and month in a numeric date (05/12/2027): the `date-order` setting, else the team's region's custom. */
export type DateOrder = 'dmy' | 'mdy' | 'ymd';
export const DATE_ORDERS: readonly DateOrder[] = ['dmy', 'mdy', 'ymd'];

/** Regions that write the month first (05/12/2027 is 12 May there); elsewhere the day comes first. */
const MONTH_FIRST = new Set(['US', 'PH', 'FM', 'MH', 'PW', 'AS', 'GU', 'MP', 'PR', 'VI', 'UM']);

/**
 * The order numeric dates are read in: the acting user's personal `date-order`, else the team's
 * `date-order` setting, else from `phone.region`, else none (ambiguous ones are refused).
 */
export async function dateOrderOf(
  store: { settings: { get(key: string): Promise<string | undefined> }; userSettings?: { get(userId: number, key: string): Promise<string | undefined> } },
  actor?: { id: number },
): Promise<DateOrder | undefined> {
  const mine = actor && store.userSettings ? (await store.userSettings.get(actor.id, 'date-order'))?.trim().toLowerCase() : undefined;
  if (mine && (DATE_ORDERS as readonly string[]).includes(mine)) return mine as DateOrder;
  const set = (await store.settings.get('date-order'))?.trim().toLowerCase();
  if (set && (DATE_ORDERS as readonly string[]).includes(set)) return set as DateOrder;
  const region = (await store.settings.get('phone.region'))?.trim().toUpperCase();
  if (!region) return undefined;
  return MONTH_FIRST.has(region) ? 'mdy' : 'dmy';
}

const NUMERIC_DATE = /^(\d{1,4})[/.](\d{1,2})[/.](\d{1,4})(?=$|[\sT])/;

/**
 * A date written with numbers and slashes or dots (31/12/2026, 12/31/2026, 2026/12/31,
 * 31.12.26) as ISO (2026-12-31), keeping what follows (a time). A value above 12 settles the
 * order; otherwise `order` does; with neither, the date is refused, never guessed.
 */
export function numericDate(text: string, field: string | FieldRef, order: DateOrder | undefined): string {
  const m = NUMERIC_DATE.exec(text);
  if (!m) return text;
  const [a, b, c] = [m[1]!, m[2]!, m[3]!];
  const year = (y: string) => (y.length <= 2 ? 2000 + Number(y) : Number(y));
  const iso = (y: number, mo: string, d: string) => `${String(y).padStart(4, '0')}-${mo.padStart(2, '0')}-${d.padStart(2, '0')}${text.slice(m[0].length)}`;
  if (a.length >= 3) return iso(year(a), b, c); // year first: 2026/12/31
  const [x, y] = [Number(a), Number(b)];
  // No day-month reading at all (32/13/2026): left to the parser, which names the forms it reads.
  if (x === 0 || y === 0 || x > 31 || y > 31 || (x > 12 && y > 12)) return text;
  let o: DateOrder | undefined;
  if (x > 12 && y <= 12) o = 'dmy';
  else if (y > 12 && x <= 12) o = 'mdy';
  else if (order === 'dmy' || order === 'mdy') o = order;
  if (!o) {
    throw new UsageError(
      say`${field} '${text}' is ambiguous: day ${x} of month ${y}, or month ${x} day ${y}?`,
      `write it as YYYY-MM-DD (${iso(year(c), String(y), String(x)).slice(0, 10)} or ${iso(year(c), String(x), String(y)).slice(0, 10)}), or set the team's date-order setting to dmy or mdy`,
    );
  }
  return o === 'dmy' ? iso(year(c), b, a) : iso(year(c), a, b);
}

/** A calendar day (YYYY-MM-DD) from any form parseTime reads ("2026-12-31", "31/12/2026", "end of month", "next friday"), in `timeZone`. */
export async function parseDay(raw: string, field: string | FieldRef, opts: { now: Date; timeZone: string; dateOrder?: DateOrder; forward?: boolean }): Promise<string> {
  const text = numericDate(raw.trim(), field, opts.dateOrder);
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (iso) {
    const d = new Date(Date.UTC(Number(iso[1]), Number(iso[2]) - 1, Number(iso[3])));
    if (d.getUTCMonth() !== Number(iso[2]) - 1 || d.getUTCDate() !== Number(iso[3])) throw new UsageError(say`invalid ${field} '${raw}': no such day`, `write ${TIME_FORMATS}`);
    if (Number(iso[1]) < MIN_YEAR) throw new UsageError(say`invalid ${field} '${raw}': before the year ${MIN_YEAR}`, `give a date between the years ${MIN_YEAR} and ${MAX_YEAR}`);
    if (Number(iso[1]) > MAX_YEAR) throw new UsageError(say`invalid ${field} '${raw}': after the year ${MAX_YEAR}`, `give a date between the years ${MIN_YEAR} and ${MAX_YEAR}`);
    return text;
  }
  const t = await parseTime(text, field, opts);
  const d = localDate(t, opts.timeZone);
  return `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

async function readTime(raw: string, field: string | FieldRef, opts: { now: Date; timeZone: string; forward?: boolean; dateFrom?: Date; dateOrder?: DateOrder }): Promise<Date> {
  const text = numericDate(raw.trim(), field, opts.dateOrder);
  const fail = () => new UsageError(say`cannot read ${field} '${raw}' as a time`, `write ${TIME_FORMATS}`);
  if (!text) throw fail();
  const quick = quickParse(text, opts);
  if (quick === null) throw fail();
  if (quick) return quick;
  const { parse } = await import('../../vendor/chrono.js');
  // chrono's "timezone" is a fixed offset: the zone's offset now. Wall-clock results are
  // re-read below in the IANA zone, so a DST change before the time does not shift them.
  const results = parse(text, { instant: opts.now, timezone: offsetMinutes(opts.now, opts.timeZone) }, { forwardDate: opts.forward ?? false });
  const r = results[0];
  if (!r || results.length > 1 || r.index !== 0 || r.text.trim().length !== text.length || r.end) {
    if (r?.end) throw new UsageError(say`${field} '${raw}' is a range; give one time`, `write ${TIME_FORMATS}`);
    throw fail();
  }
  const s = r.start;
  if (s.isCertain('timezoneOffset')) return s.date();
  // A time of day alone ("10:30") falls on the day of `dateFrom` (an end on its start's day).
  const day = opts.dateFrom && !s.isCertain('day') && !s.isCertain('weekday') ? localDate(opts.dateFrom, opts.timeZone) : { year: s.get('year')!, month: s.get('month')!, day: s.get('day')! };
  return zonedToUtc({ ...day, hour: s.get('hour') ?? 0, minute: s.get('minute') ?? 0, second: s.get('second') ?? 0 }, opts.timeZone);
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const AGO = /^(.+?)\s+(ago|later|from now)$/i;

/**
 * What scripts mostly send, read without loading chrono: "now", ISO dates and times, and
 * "<duration> ago / later / from now". Returns undefined for anything else, null for an
 * ISO-looking date that does not exist.
 */
function quickParse(text: string, opts: { now: Date; timeZone: string; dateFrom?: Date }): Date | null | undefined {
  if (/^now$/i.test(text)) return opts.now;
  const iso = ISO.exec(text);
  if (iso) {
    const [, y, mo, d, h, mi, sec, zone] = iso;
    const wall = { year: Number(y), month: Number(mo), day: Number(d), hour: Number(h ?? 0), minute: Number(mi ?? 0), second: Number(sec ?? 0) };
    const check = new Date(Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second));
    if (check.getUTCMonth() !== wall.month - 1 || check.getUTCDate() !== wall.day || wall.hour > 23 || wall.minute > 59 || wall.second > 59) return null;
    if (zone && !h) return null;
    if (zone) {
      const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
      const east = z ? (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3])) : 0;
      return new Date(check.getTime() - east * 60_000);
    }
    return zonedToUtc(wall, opts.timeZone);
  }
  const rel = AGO.exec(text);
  if (rel) {
    let seconds: number;
    try {
      seconds = parseDuration(rel[1]!.replace(/\s+(minutes?|mins?|hours?|hrs?|days?|weeks?|seconds?|secs?)\b/gi, (u) => u.trim()[0]!.toLowerCase()).replace(/\s+/g, ''), 'time', { allowZero: true });
    } catch {
      return undefined;
    }
    const sign = rel[2]!.toLowerCase() === 'ago' ? -1 : 1;
    // Whole days keep the wall-clock time across a DST change; hours and minutes are exact.
    if (seconds % 86_400 === 0) return addLocalDays(opts.now, (sign * seconds) / 86_400, opts.timeZone);
    return new Date(opts.now.getTime() + sign * seconds * 1000);
  }
  return undefined;
}

/** The longest duration anything takes (a window, a recurrence, a reminder): ten years. */
export const MAX_DURATION_DAYS = 3650;
const MAX_DURATION_SECONDS = MAX_DURATION_DAYS * 86_400;

/** "4m30s", "45m", "1h15m", "90s", "2h", "1d", "1w" or a bare number of minutes → seconds. */
export function parseDuration(raw: string, field: string | FieldRef, opts: { allowZero?: boolean } = {}): number {
  const text = raw.trim().toLowerCase().replace(/\s+/g, '');
  const unit: Record<string, number> = { w: 604800, d: 86400, h: 3600, m: 60, s: 1 };
  let seconds: number | undefined;
  if (/^\d+$/.test(text)) seconds = Number(text) * 60;
  else if (/^(\d+[wdhms])+$/.test(text)) {
    seconds = 0;
    const seen = new Set<string>();
    for (const [, n, u] of text.matchAll(/(\d+)([wdhms])/g)) {
      if (seen.has(u!)) seconds = undefined;
      if (seconds === undefined) break;
      seen.add(u!);
      seconds += Number(n) * unit[u!]!;
    }
  }
  if (seconds === undefined || !Number.isSafeInteger(seconds)) {
    throw new UsageError(say`invalid ${field} '${raw}'`, 'write a duration such as 4m30s, 45m, 1h15m, 90s, 2h, 1d (a bare number means minutes)');
  }
  if (seconds > MAX_DURATION_SECONDS) throw new UsageError(say`${field} '${raw}' is longer than ${MAX_DURATION_DAYS}d (ten years)`, `give a duration of at most ${MAX_DURATION_DAYS}d`);
  if (seconds === 0 && !opts.allowZero) throw new UsageError(say`${field} '${raw}' is zero`, 'give a duration longer than zero');
  return seconds;
}

/** A window of time ahead (--upcoming, --ahead): a bare number means days here, not minutes. */
export function parseWindow(raw: string, field: string | FieldRef): number {
  return /^\s*\d+\s*$/.test(raw) ? parseDuration(`${raw.trim()}d`, field) : parseDuration(raw, field);
}

/** 270 → "4m30s", 5400 → "1h30m", 86400 → "1d". */
export function formatDuration(seconds: number): string {
  if (seconds === 0) return '0s';
  let s = seconds;
  let out = '';
  for (const [u, n] of [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    if (s >= n) {
      out += `${Math.floor(s / n)}${u}`;
      s %= n;
    }
  }
  return out;
}
