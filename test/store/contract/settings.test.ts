import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freshStore } from '../../helpers/store.js';

describe('store contract: settings', () => {
  let f: Awaited<ReturnType<typeof freshStore>>;
  beforeEach(async () => {
    f = await freshStore();
  });
  afterEach(() => f.cleanup());

  it('get is undefined for a key never set; set then get returns the value', async () => {
    const { settings } = f.store;
    expect(await settings.get('currency')).toBeUndefined();
    await settings.set('currency', 'EUR');
    expect(await settings.get('currency')).toBe('EUR');
  });

  it('set replaces a value; set null removes the key', async () => {
    const { settings } = f.store;
    await settings.set('smtp.host', 'mail.acme.example');
    await settings.set('smtp.host', '127.0.0.1');
    expect(await settings.get('smtp.host')).toBe('127.0.0.1');
    await settings.set('smtp.host', null);
    expect(await settings.get('smtp.host')).toBeUndefined();
    expect(await settings.all()).toEqual({});
  });

  it('all returns every key with its value, keys sorted; the empty string is a value', async () => {
    const { settings } = f.store;
    await settings.set('zeta', '1');
    await settings.set('alpha', 'a value with spaces, "quotes" and ünïcode');
    await settings.set('mid', '');
    const all = await settings.all();
    expect(all).toEqual({ alpha: 'a value with spaces, "quotes" and ünïcode', mid: '', zeta: '1' });
    expect(Object.keys(all)).toEqual(['alpha', 'mid', 'zeta']);
    expect(await settings.get('mid')).toBe('');
  });

  it('keys are case-sensitive', async () => {
    const { settings } = f.store;
    await settings.set('Key', 'upper');
    await settings.set('key', 'lower');
    expect(await settings.get('Key')).toBe('upper');
    expect(await settings.get('key')).toBe('lower');
  });

  it('a write rolled back with its transaction is not kept', async () => {
    const { store } = f;
    await store.settings.set('kept', 'yes');
    await expect(store.transaction(async () => {
      await store.settings.set('kept', 'changed');
      await store.settings.set('new', 'x');
      throw new Error('abort');
    })).rejects.toThrow('abort');
    expect(await store.settings.all()).toEqual({ kept: 'yes' });
  });
});
