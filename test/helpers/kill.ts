import type { ResultPromise } from 'execa';
import { resolvePaths } from '../../src/config.js';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';
import type { Home } from './cli.js';
import { waitFor } from './wait.js';

/**
 * Waits until `ready` holds, read inside a transaction of the store the CLI uses, and runs
 * `then` in that same transaction. The transaction holds the store's write lock, so a crm
 * process writing meanwhile (an import, a campaign send) cannot commit, let alone finish,
 * between the read and `then`: the test does not depend on how fast the machine is.
 * Returns what `ready` saw.
 */
export async function whenHeld<T>(h: Home, ready: (store: Store) => Promise<T | false | undefined>, then: (seen: T) => Promise<unknown>, what: string): Promise<T> {
  const store = await openStore(resolvePaths({ CRM_HOME: h.dir, HOME: h.dir }).dbFile);
  // A failure of `then` (an assertion) ends the wait at once; only `ready` is asked again.
  let failure: { error: unknown } | undefined;
  try {
    const seen = await waitFor(() => store.transaction(async () => {
      const value = await ready(store);
      if (value === undefined || value === false) return false;
      await then(value).catch((error: unknown) => (failure = { error }));
      return { value };
    }), { what, timeoutMs: 60_000, intervalMs: 10 });
    if (failure) throw failure.error;
    return seen.value;
  } finally {
    await store.close();
  }
}

/** Kills `child` (SIGKILL) at the first moment `ready` holds, before it can commit anything more. */
export function killWhen<T>(h: Home, child: ResultPromise, ready: (store: Store) => Promise<T | false | undefined>, what: string): Promise<T> {
  return whenHeld(h, ready, async () => {
    child.kill('SIGKILL');
    await child;
  }, what);
}

/**
 * Kills `child` (SIGKILL) as soon as `ready` holds, reading without a transaction (a reader never
 * waits for the writer). For a writer that commits in a fast loop: waiting for its write lock
 * (whenHeld) can lose the race, since SQLite's busy handler sleeps with backoff while the writer
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
