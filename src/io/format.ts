/** Display helpers: money, dates, durations. Stored values are UTC ISO strings and minor units. */
import { keyed } from '../domain/keyed.js';

// ISO 4217 minor units that differ from 2. A table instead of Intl.NumberFormat, whose
// first use costs ~14 ms of ICU start-up on every command that shows money.
const MINOR_UNITS: Record<string, number> = keyed({
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  CLF: 4, UYW: 4,
});

/** Number of minor-unit digits of an ISO 4217 currency (EUR 2, JPY 0, BHD 3). */
export function currencyDigits(currency: string): number {
  return MINOR_UNITS[currency] ?? 2;
}

/** "EUR 12,000.50": code first, so columns of mixed currencies stay readable. */
export function formatMoney(minor: number | null, currency: string): string {
  if (minor === null) return '';
  const [whole, frac] = minorToDecimal(minor, currency).split('.');
  return `${currency} ${whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${frac ? `.${frac}` : ''}`;
}

/** Plain decimal amount for machine output, e.g. 12000.50. */
export function minorToDecimal(minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  if (digits === 0) return String(minor);
  const s = String(minor).padStart(digits + 1, '0');
  return `${s.slice(0, -digits)}.${s.slice(-digits)}`;
}

/** "2026-11-23 16:51" in the given time zone, or the system's. */
export function formatTimestamp(iso: string, timeZone?: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  if (!timeZone) return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(d);
  const p = Object.fromEntries(parts.map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}
