import type { ResultPromise } from 'execa';
import { resolvePaths } from '../../src/config.js';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';
import type { Home } from './cli.js';
import { waitFor } from './wait.js';

/**
 * Kills `child` (SIGKILL) as soon as `ready` holds, reading without a transaction (a reader never
 * waits for the writer). For a writer that commits in a fast loop: waiting for its write lock
 * (a transaction of the test's own) can lose the race, since SQLite's busy handler sleeps with backoff while the writer
 * takes the lock again at once; a plain read sees each commit within the polling interval, and
 * the kill lands long before the writer's next few batches.
 */
export async function killAtFirst<T>(h: Home, child: ResultPromise, ready: (store: Store) => Promise<T | false | undefined>, what: string): Promise<T> {
  const store = await openStore(resolvePaths({ CRM_HOME: h.dir, HOME: h.dir }).dbFile);
  try {
    const seen = await waitFor(async () => {
      const value = await ready(store);
      if (value === undefined || value === false) return false;
      child.kill('SIGKILL');
      return { value };
    }, { what, timeoutMs: 60_000, intervalMs: 2 });
    await child;
    return seen.value;
  } finally {
    await store.close();
  }
}

/**
 * Stops `child` (SIGSTOP) as soon as `ready` holds, read without a transaction as killAtFirst
 * does, runs `then` while it stands still, and lets it go on (SIGCONT) whatever `then` did. A
 * stopped process is still alive: its pid, its locks and its open transaction stay, so what
 * `then` checks cannot finish meanwhile. (Waiting for the writer's lock instead, inside a transaction, lost
 * the race on CI's machine: the import committed batch after batch and ended first; see killAtFirst.)
 */
export async function pauseWhen<T>(h: Home, child: ResultPromise, ready: (store: Store) => Promise<T | false | undefined>, then: (seen: T) => Promise<unknown>, what: string): Promise<T> {
  const store = await openStore(resolvePaths({ CRM_HOME: h.dir, HOME: h.dir }).dbFile);
  let seen: { value: T };
  try {
    seen = await waitFor(async () => {
      const value = await ready(store);
      if (value === undefined || value === false) return false;
      child.kill('SIGSTOP');
      return { value };
    }, { what, timeoutMs: 60_000, intervalMs: 2 });
  } finally {
    await store.close();
  }
  try {
    await then(seen.value);
  } finally {
    child.kill('SIGCONT');
  }
  return seen.value;
}
