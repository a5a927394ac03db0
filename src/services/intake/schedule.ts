import { UsageError, fieldRef, say } from '../../errors.js';

/**
 * The `--every` of the polled channels (marketplace import, mailbox): the daemon looks every
 * minute and runs a channel when its interval has passed since its last run, failed or not.
 */

/** 15m, 2h, 1d (at least one minute: the daemon looks every minute). */
export function parseEvery(raw: string): number {
  const m = /^(\d+)\s*(m|min|h|d)$/i.exec(raw.trim());
  const n = m ? Number(m[1]) * ({ m: 1, min: 1, h: 60, d: 1440 } as Record<string, number>)[m[2]!.toLowerCase()]! : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 10080) throw new UsageError(say`invalid ${fieldRef('every')} '${raw}'`, 'use minutes, hours or days such as 15m, 2h, 1d (1m to 7d)');
  return n;
}

/** When the next run is due: now if it never ran or is late, else the last start plus the interval. */
export function nextDue(everyMinutes: number, last: { startedAt: string } | null | undefined, now: Date): Date {
  if (!last) return now;
  return new Date(Math.max(now.getTime(), Date.parse(last.startedAt) + everyMinutes * 60_000));
}

export function isDue(everyMinutes: number, last: { startedAt: string } | null | undefined, now: Date): boolean {
  return nextDue(everyMinutes, last, now).getTime() <= now.getTime();
}
