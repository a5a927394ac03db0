import { hostname } from 'node:os';
import { ConflictError } from '../errors.js';
import { liveHolder, type PidInfo } from '../io/pidlock.js';
import type { DaemonHolder, DaemonLock, Store } from '../store/types.js';

/* The daemon's files (PID, log, HTTP address) are the store's side files: StoreFiles.daemon(). */

/** The running daemon of a store, if any (a PID file whose process is gone is stale). */
export function runningDaemon(pidFile: string): PidInfo | undefined {
  return liveHolder(pidFile);
}

/** Who runs a daemon, in words: "pid 123, since …" on this machine, "pid 123 on db1, since …" elsewhere. */
export function holderText(h: DaemonHolder): string {
  const here = h.host === hostname();
  return `pid ${h.pid}${here ? '' : ` on ${h.host}`}${h.startedAt ? `, since ${h.startedAt}` : ''}`;
}

/**
 * One active daemon per store (Store.lockDaemon): the lock is the PID file for SQLite, a lock in
 * the database for PostgreSQL, held for the daemon's life.
 *
 * A second daemon is REFUSED by default, with who holds the lock (its pid, and its host when it
 * runs on another machine): starting two by mistake is the common case, and a refusal says so at
 * once. With `standby`, it WAITS instead — a hot standby on another machine that takes over as
 * soon as the active daemon stops or dies (its database connection drops) — and `onStandby` is
 * told who it waits for. Resolves null when `signal` aborts the wait (the standby was stopped).
 */
export async function holdDaemonLock(
  store: Store,
  opts: { standby: boolean; signal: AbortSignal | null; onStandby?: (holder: DaemonHolder | null) => void; startedAt?: string },
): Promise<DaemonLock | null> {
  const me: DaemonHolder = { pid: process.pid, host: hostname(), startedAt: opts.startedAt ?? new Date().toISOString() };
  const lock = await store.lockDaemon(me, false, null);
  if (lock) return lock;
  const other = await store.daemonHolder();
  if (!opts.standby) {
    const who = other ? ` (${holderText(other)})` : '';
    const elsewhere = other && other.host !== me.host;
    throw new ConflictError(
      `the daemon is already running for ${store.location}${who}`,
      elsewhere
        ? `stop it on ${other.host} with crm daemon stop, or run this one with --standby to take over when it stops`
        : 'stop it with crm daemon stop, or see crm daemon status',
    );
  }
  opts.onStandby?.(other);
  return store.lockDaemon({ ...me, startedAt: new Date().toISOString() }, true, opts.signal);
}
