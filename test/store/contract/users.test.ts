import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError } from '../../../src/errors.js';
import { freshStore } from '../../helpers/store.js';
import { T0 } from './builders.js';

describe('store contract: users', () => {
  let f: Awaited<ReturnType<typeof freshStore>>;
  beforeEach(async () => {
    f = await freshStore();
  });
  afterEach(() => f.cleanup());

  it('insert returns the stored user: an id, active unless said otherwise, its manager and creation time', async () => {
    const { users } = f.store;
    const boss = await users.insert({ name: 'Meera Iyer', email: 'meera@acme.example', role: 'manager', managerId: null, createdAt: T0 });
    expect(boss).toEqual({ id: boss.id, name: 'Meera Iyer', email: 'meera@acme.example', role: 'manager', managerId: null, active: true, createdAt: T0 });
    const rep = await users.insert({ name: 'Ravi Kumar', email: 'ravi@acme.example', role: 'rep', managerId: boss.id, active: false, createdAt: T0 });
    expect(rep).toMatchObject({ role: 'rep', managerId: boss.id, active: false });
    expect(rep.id).not.toBe(boss.id);
  });

  it('byId and byEmail (case-insensitive) find a user; unknown ones are undefined', async () => {
    const { users } = f.store;
    const u = await users.insert({ name: 'Priya Shah', email: 'priya@acme.example', role: 'rep', managerId: null, createdAt: T0 });
    expect(await users.byId(u.id)).toEqual(u);
    expect(await users.byEmail('PRIYA@Acme.Example')).toEqual(u);
    expect(await users.byId(u.id + 1000)).toBeUndefined();
    expect(await users.byEmail('nobody@acme.example')).toBeUndefined();
  });

  it('list is in insertion (id) order; count counts every user, inactive ones too', async () => {
    const { users } = f.store;
    expect(await users.count()).toBe(0);
    expect(await users.list()).toEqual([]);
    const names = ['Zed', 'Ana', 'Mo'];
    for (const [i, name] of names.entries()) {
      await users.insert({ name, email: `${name.toLowerCase()}@acme.example`, role: 'rep', managerId: null, active: i !== 1, createdAt: T0 });
    }
    expect((await users.list()).map((u) => u.name)).toEqual(names);
    expect(await users.count()).toBe(3);
  });

  it('update changes only the fields given and returns the user as stored', async () => {
    const { users } = f.store;
    const boss = await users.insert({ name: 'Boss', email: 'boss@acme.example', role: 'manager', managerId: null, createdAt: T0 });
    const u = await users.insert({ name: 'Old Name', email: 'old@acme.example', role: 'rep', managerId: null, createdAt: T0 });
    const renamed = await users.update(u.id, { name: 'New Name' });
    expect(renamed).toEqual({ ...u, name: 'New Name' });
    const changed = await users.update(u.id, { email: 'new@acme.example', role: 'manager', managerId: boss.id, active: false });
    expect(changed).toEqual({ ...u, name: 'New Name', email: 'new@acme.example', role: 'manager', managerId: boss.id, active: false });
    expect(await users.byEmail('old@acme.example')).toBeUndefined();
    expect(await users.update(u.id, { active: true, managerId: null })).toMatchObject({ active: true, managerId: null });
    expect(await users.byId(u.id)).toMatchObject({ name: 'New Name', active: true, managerId: null });
  });

  it('a second user with the same email (in any case) is a ConflictError', async () => {
    const { store } = f;
    await store.users.insert({ name: 'Ana', email: 'ana@acme.example', role: 'rep', managerId: null, createdAt: T0 });
    await expect(store.transaction(() => store.users.insert({ name: 'Ana 2', email: 'ANA@acme.example', role: 'rep', managerId: null, createdAt: T0 }))).rejects.toBeInstanceOf(ConflictError);
    expect(await store.users.count()).toBe(1);
  });
});
