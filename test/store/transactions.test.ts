import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testTeam, type TestTeam } from '../helpers/store.js';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('transactions of concurrent flows (the daemon)', () => {
  let t: TestTeam;
  beforeEach(async () => {
    t = await testTeam();
  });
  afterEach(() => t.close());

  const settingIs = async (key: string) => (await t.store.settings.get(key)) ?? null;

  it('without serialisation a second flow joins the first one and is rolled back with it (why the daemon serialises)', async () => {
    const failing = t.store.transaction(async () => {
      await t.store.settings.set('a', '1');
      await tick(30);
      throw new Error('first flow fails');
    });
    const other = t.store.transaction(async () => t.store.settings.set('b', '2'));
    await other;
    await expect(failing).rejects.toThrow('first flow fails');
    expect(await settingIs('b')).toBeNull();
  });

  it('serialised: the second flow waits and keeps its write when the first fails; nested calls of one flow still join', async () => {
    t.store.serializeTransactions();
    const order: string[] = [];
    const failing = t.store.transaction(async () => {
      await t.store.settings.set('a', '1');
      await t.store.transaction(async () => t.store.settings.set('a2', 'nested'));
      await tick(30);
      order.push('first done');
      throw new Error('first flow fails');
    });
    const other = t.store.transaction(async () => {
      order.push('second runs');
      await t.store.settings.set('b', '2');
    });
    await expect(failing).rejects.toThrow('first flow fails');
    await other;
    expect(order).toEqual(['first done', 'second runs']);
    expect(await settingIs('a')).toBeNull();
    expect(await settingIs('a2')).toBeNull();
    expect(await settingIs('b')).toBe('2');
    // And the queue keeps going after a failure.
    await t.store.transaction(async () => t.store.settings.set('c', '3'));
    expect(await settingIs('c')).toBe('3');
  });
});
