import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testTeam, type TestTeam } from '../helpers/store.js';

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
});
