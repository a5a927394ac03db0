import { ConflictError } from '../errors.js';
import { acquirePidLock, liveHolder, type PidInfo } from '../io/pidlock.js';

/* The daemon's files (PID, log, HTTP address) are the store's side files: StoreFiles.daemon(). */

/** The running daemon of a store, if any (a PID file whose process is gone is stale). */
export function runningDaemon(pidFile: string): PidInfo | undefined {
  return liveHolder(pidFile);
}

/** Takes the store's daemon lock (its PID file): one daemon per store. */
export function acquireLock(pidFile: string, info: PidInfo): () => void {
  return acquirePidLock(pidFile, info, {
    held: (other) => new ConflictError(`the daemon is already running for ${info.db} (pid ${other.pid}, since ${other.startedAt})`, 'stop it with crm daemon stop, or see crm daemon status'),
    starting: () => new ConflictError(`another daemon is starting for ${info.db}`, 'see crm daemon status in a few seconds'),
  });
}
