import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contactHash } from '../../../src/domain/suppression.js';
import { freshStore } from '../../helpers/store.js';
import { T0 } from './builders.js';

describe('store contract: the suppression list', () => {
  let f: Awaited<ReturnType<typeof freshStore>>;
  beforeEach(async () => {
    f = await freshStore();
  });
  afterEach(() => f.cleanup());

  it('hasSuppressions is false on an empty list and true once a hash is on it; suppressed() names the listed ones', async () => {
    const { people } = f.store;
    expect(await people.hasSuppressions()).toBe(false);
    expect(await people.suppressions()).toEqual([]);
    const ana = contactHash('email', 'ana@example.com');
    const phone = contactHash('phone', '+351912345678');
    await f.store.transaction(() => people.suppress([ana, phone, ana], T0));
    expect(await people.hasSuppressions()).toBe(true);
    expect((await people.suppressions()).sort()).toEqual([ana, phone].sort());
    expect(await people.suppressed([contactHash('email', 'bob@example.com'), ana])).toEqual([ana]);
    expect(await people.suppressed([])).toEqual([]);
  });
});
