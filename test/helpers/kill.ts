import type { ResultPromise } from 'execa';
import { resolvePaths } from '../../src/config.js';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';
import type { Home } from './cli.js';
import { waitFor } from './wait.js';

type Ready<T> = (store: Store) => Promise<T | false | undefined>;

/**
 * Sends `signal` to `child` as soon as `ready` holds, reading without a transaction (a reader
 * never waits for the writer). For a writer that commits in a fast loop: waiting for its write
 * lock (a transaction of the test's own) can lose the race, since SQLite's busy handler sleeps
 * with backoff while the writer takes the lock again at once; on CI's machine an import ended
 * before the test got it. A plain read sees each commit within the polling interval, and the
 * signal lands long before the writer's next few batches.
 */
async function signalAtFirst<T>(h: Home, child: ResultPromise, signal: NodeJS.Signals, ready: Ready<T>, what: string): Promise<T> {
  const store = await openStore(resolvePaths({ CRM_HOME: h.dir, HOME: h.dir }).dbFile);
  try {
    const seen = await waitFor(async () => {
      const value = await ready(store);
      if (value === undefined || value === false) return false;
      child.kill(signal);
      return { value };
    }, { what, timeoutMs: 60_000, intervalMs: 2 });
    return seen.value;
  } finally {
    await store.close();
  }
}

/** Kills `child` (SIGKILL) as soon as `ready` holds, and waits for it to end. */
export async function killAtFirst<T>(h: Home, child: ResultPromise, ready: Ready<T>, what: string): Promise<T> {
  const seen = await signalAtFirst(h, child, 'SIGKILL', ready, what);
  await child;
  return seen;
}

/**
 * Stops `child` (SIGSTOP) as soon as `ready` holds, runs `then` while it stands still, and lets
 * it go on (SIGCONT) whatever `then` did. A stopped process is still alive: its pid, its locks
 * and its open transaction stay, so what `then` checks cannot finish meanwhile.
 */
export async function pauseWhen<T>(h: Home, child: ResultPromise, ready: Ready<T>, then: (seen: T) => Promise<unknown>, what: string): Promise<T> {
  const seen = await signalAtFirst(h, child, 'SIGSTOP', ready, what);
  try {
    await then(seen);
  } finally {
    child.kill('SIGCONT');
  }
  return seen;
}
