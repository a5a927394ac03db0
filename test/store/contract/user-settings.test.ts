import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freshStore } from '../../helpers/store.js';

const T0 = '2026-11-23T09:00:00.000Z';

describe('store contract: userSettings (personal settings, issue 17)', () => {
  let f: Awaited<ReturnType<typeof freshStore>>;
  beforeEach(async () => {
    f = await freshStore();
  });
  afterEach(() => f.cleanup());

  const twoUsers = async () => {
    const a = await f.store.users.insert({ name: 'Asha Rao', email: 'asha@acme.example', role: 'admin', managerId: null, createdAt: T0 });
    const b = await f.store.users.insert({ name: 'Ravi Kumar', email: 'ravi@acme.example', role: 'rep', managerId: null, createdAt: T0 });
    return { a, b };
  };

  it('get is undefined for a key never set; set then get; set replaces; null removes', async () => {
    const { a } = await twoUsers();
    const s = f.store.userSettings;
    expect(await s.get(a.id, 'timezone')).toBeUndefined();
    await s.set(a.id, 'timezone', 'Europe/Lisbon');
    expect(await s.get(a.id, 'timezone')).toBe('Europe/Lisbon');
    await s.set(a.id, 'timezone', 'Asia/Kolkata');
    expect(await s.get(a.id, 'timezone')).toBe('Asia/Kolkata');
    await s.set(a.id, 'timezone', null);
    expect(await s.get(a.id, 'timezone')).toBeUndefined();
    await s.set(a.id, 'timezone', null); // removing what is not there is no error
    expect(await s.all(a.id)).toEqual({});
  });

  it('each user has their own values; all lists one user’s, keys sorted', async () => {
    const { a, b } = await twoUsers();
    const s = f.store.userSettings;
    await s.set(a.id, 'timezone', 'Europe/Lisbon');
    await s.set(a.id, 'date-order', 'dmy');
    await s.set(a.id, 'board.filter', 'mine tag=hot');
    await s.set(b.id, 'timezone', 'America/New_York');
    const all = await s.all(a.id);
    expect(all).toEqual({ 'board.filter': 'mine tag=hot', 'date-order': 'dmy', timezone: 'Europe/Lisbon' });
    expect(Object.keys(all)).toEqual(['board.filter', 'date-order', 'timezone']);
    expect(await s.all(b.id)).toEqual({ timezone: 'America/New_York' });
    expect(await s.get(b.id, 'date-order')).toBeUndefined();
  });

  it('inside a transaction that fails, nothing is kept', async () => {
    const { a } = await twoUsers();
    await expect(f.store.transaction(async () => {
      await f.store.userSettings.set(a.id, 'timezone', 'Europe/Lisbon');
      throw new Error('boom');
    })).rejects.toThrow('boom');
    expect(await f.store.userSettings.get(a.id, 'timezone')).toBeUndefined();
  });
});
