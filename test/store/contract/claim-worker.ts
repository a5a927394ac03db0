/**
 * A worker thread of handle.test.ts: opens its own handle on the store (through the factory,
 * whatever the backend), waits for the start signal, then claims due outbox messages in slices
 * until none are left, and posts back the ids it got.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openStore } from '../../../src/store/index.js';

const { location, now, leaseUntil, slice } = workerData as { location: string; now: string; leaseUntil: string; slice: number };

async function main(): Promise<void> {
  const store = await openStore(location);
  const go = new Promise((resolve) => parentPort!.once('message', resolve));
  parentPort!.postMessage('ready');
  await go;
  const ids: number[] = [];
  try {
    for (;;) {
      const claimed = await store.outbox.claim(now, leaseUntil, slice);
      if (!claimed.length) break;
      ids.push(...claimed.map((m) => m.id));
    }
  } finally {
    await store.close();
  }
  parentPort!.postMessage(ids);
}

main().catch((err: Error) => parentPort!.postMessage({ error: err.message }));
