import type { Log } from '../services/outbox/deliver.js';
import type { DaemonHolder, DaemonLock, Store } from '../store/types.js';
import type { Daemon } from './daemon.js';
import { holdDaemonLock, holderText } from './files.js';

/** How long a daemon that lost its lock waits before asking an unreachable database again. */
const RETRY_MS = 5_000;

export interface SuperviseOptions {
  store: Store;
  /** Wait for the lock when another daemon holds it (else refused: a ConflictError naming it). */
  standby: boolean;
  log: Log;
  /** Resolves with the signal's name when the process is told to stop. */
  stopped: Promise<string>;
  /** Makes and starts the daemon's work, once this process holds the lock (again). */
  start(): Promise<Daemon>;
  /** This process stands by at start: who holds the lock. */
  onStandby(holder: DaemonHolder | null): void;
}

/**
 * The life of `daemon run` on a store it may share with other machines (Store.lockDaemon): it
 * takes the lock (refused, or standing by with `standby`), runs the daemon's work while it holds
 * it, and stops on a signal.
 *
 * If the lock is LOST (its database connection dropped: the server restarted, the network was
 * cut), another daemon may take over at once, so the work stops at once (the deliveries in flight
 * finish) and this process stands by to take the lock back: within a second when nobody else took
 * it (the database came back), or behind the daemon that did. A database it cannot reach is asked
 * again every 5 s. So a database restart does not leave a store without its daemon, supervised
 * (systemd) or not.
 */
export async function superviseDaemon(o: SuperviseOptions): Promise<void> {
  const { store, log } = o;
  const waiting = new AbortController();
  let signal = '';
  void o.stopped.then((s) => {
    signal = s;
    waiting.abort();
  });
  let lock = await holdDaemonLock(store, { standby: o.standby, signal: waiting.signal, onStandby: o.onStandby });
  let taken = o.standby;
  while (lock) {
    try {
      if (taken) log('info', 'took over the daemon lock');
      const d = await o.start();
      const why = await Promise.race([o.stopped, lock.lost]);
      if (typeof why === 'string') {
        log('info', `stopping on ${why}`);
        await d.stop();
        return;
      }
      log('error', `lost the daemon lock: ${why.message}; stopping the work, then standing by to take it back`);
      await d.stop();
    } finally {
      await lock.release();
    }
    lock = await retake(store, log, waiting.signal);
    taken = true;
  }
  log('info', `stopped while standing by (${signal || 'stopped'})`);
}

/** Stands by for the lock after losing it, through a database that may be down for a while. */
async function retake(store: Store, log: Log, signal: AbortSignal): Promise<DaemonLock | null> {
  let complained = false;
  while (!signal.aborted) {
    try {
      return await holdDaemonLock(store, {
        standby: true, signal,
        onStandby: (other) => log('info', `standing by: the daemon ${other ? `(${holderText(other)}) ` : ''}holds ${store.location}; this one takes over when it stops`),
      });
    } catch (err) {
      if (!complained) log('warn', `cannot take the daemon lock back yet: ${(err as Error).message}; asking again every ${RETRY_MS / 1000} s`);
      complained = true;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, RETRY_MS);
        signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
      });
    }
  }
  return null;
}
