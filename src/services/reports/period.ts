import { UsageError, fieldRef, say, type FieldRef } from '../../errors.js';
import { addLocalDays, localDate, offsetMinutes, startOfLocalDay, startOfLocalMonth } from '../time/parse.js';

/** A half-open UTC range [from, to) for a report, with the local days it stands for. */
export interface Period {
  from: string;
  to: string;
  label: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function localMidnight(raw: string, field: string | FieldRef, timeZone: string): Date {
  if (!DAY.test(raw.trim())) throw new UsageError(say`invalid ${field} '${raw}'`, 'write the day as YYYY-MM-DD, or use today / yesterday');
  const [y, m, d] = raw.trim().split('-').map(Number) as [number, number, number];
  const check = new Date(Date.UTC(y, m - 1, d));
  if (check.getUTCMonth() !== m - 1) throw new UsageError(say`invalid ${field} '${raw}': no such day`, 'write the day as YYYY-MM-DD');
  return startOfLocalDay(new Date(Date.UTC(y, m - 1, d, 12)), timeZone);
}

/** today / yesterday / tomorrow / YYYY-MM-DD → that local day. */
export function dayPeriod(raw: string, now: Date, timeZone: string): Period {
  const word = raw.trim().toLowerCase();
  const shift = word === 'today' ? 0 : word === 'yesterday' ? -1 : word === 'tomorrow' ? 1 : undefined;
  const start = shift !== undefined ? startOfLocalDay(now, timeZone, shift) : localMidnight(raw, fieldRef('day'), timeZone);
  const end = startOfLocalDay(addLocalDays(start, 1, timeZone), timeZone);
  return { from: start.toISOString(), to: end.toISOString(), label: ymd(start, timeZone) };
}

/** --from / --to (inclusive local days), --day, or a default. */
export function rangePeriod(opts: { day?: string; from?: string; to?: string }, now: Date, timeZone: string, fallback: 'today' | 'this-month' | 'all'): Period | undefined {
  if (opts.day && (opts.from || opts.to)) throw new UsageError(say`give either ${fieldRef('day')} or ${fieldRef('from')}/${fieldRef('to')}, not both`);
  if (opts.day) return dayPeriod(opts.day, now, timeZone);
  if (opts.from || opts.to) {
    const start = opts.from ? dayPeriod(opts.from, now, timeZone) : undefined;
    const end = opts.to ? dayPeriod(opts.to, now, timeZone) : dayPeriod('today', now, timeZone);
    if (start && end.to <= start.from) throw new UsageError(`the range ends (${opts.to}) before it starts (${opts.from})`, { id: 'period.swap' });
    return { from: start?.from ?? new Date(0).toISOString(), to: end.to, label: `${start?.label ?? 'start'} … ${end.label}` };
  }
  if (fallback === 'today') return dayPeriod('today', now, timeZone);
  if (fallback === 'this-month') return monthPeriod(now, timeZone, 0);
  return undefined;
}

export function monthPeriod(now: Date, timeZone: string, months: number): Period {
  const start = startOfLocalMonth(now, timeZone, months);
  const end = startOfLocalMonth(now, timeZone, months + 1);
  return { from: start.toISOString(), to: end.toISOString(), label: ymd(start, timeZone).slice(0, 7) };
}

export function ymd(d: Date, timeZone: string): string {
  const p = localDate(d, timeZone);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** Offset of the zone at the middle of the period (hour buckets of one day). */
export function periodOffset(p: Period, timeZone: string): number {
  const mid = new Date((Date.parse(p.from) + Date.parse(p.to)) / 2);
  return offsetMinutes(mid, timeZone);
}
