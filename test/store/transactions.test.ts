import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { testTeam, TEST_BACKEND, type TestTeam } from '../helpers/store.js';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('transactions of concurrent flows (the daemon: HTTP requests, jobs, deliveries on one handle)', () => {
  let t: TestTeam;
  beforeEach(async () => {
    t = await testTeam();
  });
  afterEach(() => t.close());

  const settingIs = async (key: string) => (await t.store.settings.get(key)) ?? null;

  it('a second flow never joins the first one: it waits, and keeps its write when the first fails', async () => {
    const order: string[] = [];
    const failing = t.store.transaction(async () => {
      await t.store.settings.set('a', '1');
      await tick(30);
      order.push('first done');
      throw new Error('first flow fails');
    });
    const other = (async () => {
      await tick(5); // the first flow's transaction is open and waiting by now
      await t.store.transaction(async () => {
        order.push('second runs');
        await t.store.settings.set('b', '2');
      });
    })();
    await expect(failing).rejects.toThrow('first flow fails');
    await other;
    expect(order).toEqual(['first done', 'second runs']);
    expect(await settingIs('a')).toBeNull();
    expect(await settingIs('b')).toBe('2');
    // And the queue keeps going after a failure.
    await t.store.transaction(async () => t.store.settings.set('c', '3'));
    expect(await settingIs('c')).toBe('3');
  });

  it('nested calls of one flow join its transaction, however deep, and share its fate', async () => {
    const deep = async () => {
      await tick(5);
      await t.store.transaction(async () => t.store.settings.set('a3', 'deeper'));
    };
    await expect(t.store.transaction(async () => {
      await t.store.settings.set('a', '1');
      await t.store.transaction(async () => {
        await t.store.settings.set('a2', 'nested');
        await deep();
      });
      throw new Error('outer fails');
    })).rejects.toThrow('outer fails');
    expect(await settingIs('a')).toBeNull();
    expect(await settingIs('a2')).toBeNull();
    expect(await settingIs('a3')).toBeNull();

    await t.store.transaction(async () => {
      await t.store.settings.set('a', '1');
      await t.store.transaction(async () => t.store.settings.set('a2', 'nested'));
    });
    expect(await settingIs('a2')).toBe('nested');
  });

  it('a flow started from inside a transaction but not awaited by it is another flow once the transaction is over', async () => {
    let later: Promise<void> | undefined;
    await t.store.transaction(async () => {
      await t.store.settings.set('x', '1');
      later = tick(20).then(() => t.store.transaction(async () => t.store.settings.set('y', '2')));
    });
    await later;
    expect(await settingIs('x')).toBe('1');
    expect(await settingIs('y')).toBe('2');
  });

  it('queued transactions hold no connection: a read outside them goes on while many wait', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const first = t.store.transaction(async () => {
      await t.store.settings.set('n', '0');
      await held;
    });
    await tick(5);
    const queued = Array.from({ length: 8 }, (_, i) => t.store.transaction(() => t.store.settings.set(`q${i}`, String(i))));
    await tick(20);
    // More transactions wait than a PostgreSQL handle has pooled connections (4): reads still run.
    expect(await Promise.race([t.store.settings.get('absent').then(() => 'read'), tick(5000).then(() => 'stuck')])).toBe('read');
    release();
    await first;
    await Promise.all(queued);
    expect(Object.keys(await t.store.settings.all()).filter((k) => /^(n|q\d)$/.test(k)).length).toBe(9);
  });

  // Not on SQLite in one process: better-sqlite3 waits for another connection's write lock
  // synchronously (BEGIN IMMEDIATE's busy timeout), so the holder, in the same event loop, never
  // gets to commit. Between processes it holds as here (its BEGIN IMMEDIATE).
  it.skipIf(TEST_BACKEND === 'sqlite')('two handles on one store: each read-then-write transaction runs alone, no update is lost', async () => {
    const other = await openStore(t.store.location);
    try {
      await t.store.settings.set('n', '0');
      const bump = (h: typeof other) => h.transaction(async () => {
        const n = Number(await h.settings.get('n'));
        await tick(1);
        await h.settings.set('n', String(n + 1));
      });
      await Promise.all([t.store, other].map(async (h) => {
        for (let i = 0; i < 15; i++) await bump(h);
      }));
      expect(await t.store.settings.get('n')).toBe('30');
    } finally {
      await other.close();
    }
  });
});
