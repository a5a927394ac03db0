import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError } from '../../../src/errors.js';
import type { Stage } from '../../../src/domain/pipeline.js';
import { freshStore } from '../../helpers/store.js';
import { insertLead, T0 } from './builders.js';

describe('store contract: stages, sources, tags', () => {
  let f: Awaited<ReturnType<typeof freshStore>>;
  beforeEach(async () => {
    f = await freshStore();
  });
  afterEach(() => f.cleanup());

  const threeStages = async (): Promise<Stage[]> => {
    const { stages } = f.store;
    return [
      await stages.insert({ name: 'New', position: 1, probability: 10, outcome: 'open' }),
      await stages.insert({ name: 'Won', position: 2, probability: 100, outcome: 'won' }),
      await stages.insert({ name: 'Lost', position: 3, probability: 0, outcome: 'lost' }),
    ];
  };

  describe('stages', () => {
    it('insert returns the stage with its id; list is in position order', async () => {
      const { stages } = f.store;
      const late = await stages.insert({ name: 'Late', position: 5, probability: 50, outcome: 'open' });
      const early = await stages.insert({ name: 'Early', position: 1, probability: 5, outcome: 'open' });
      expect(late).toEqual({ id: late.id, name: 'Late', position: 5, probability: 50, outcome: 'open' });
      expect(await stages.list()).toEqual([early, late]);
    });

    it('update changes only the fields given', async () => {
      const [neu] = await threeStages();
      await f.store.stages.update(neu!.id, { name: 'Fresh', probability: 15 });
      expect((await f.store.stages.list())[0]).toEqual({ id: neu!.id, name: 'Fresh', position: 1, probability: 15, outcome: 'open' });
      await f.store.stages.update(neu!.id, { outcome: 'lost', position: 9 });
      const list = await f.store.stages.list();
      expect(list.at(-1)).toEqual({ id: neu!.id, name: 'Fresh', position: 9, probability: 15, outcome: 'lost' });
    });

    it('reorder rewrites positions 1..n to follow the order of ids', async () => {
      const [neu, won, lost] = await threeStages();
      await f.store.stages.reorder([lost!.id, neu!.id, won!.id]);
      expect((await f.store.stages.list()).map((s) => [s.name, s.position])).toEqual([['Lost', 1], ['New', 2], ['Won', 3]]);
    });

    it('countLeads counts a stage\'s leads; moveLeads moves them all and says how many; remove deletes an empty stage', async () => {
      const [neu, won, lost] = await threeStages();
      for (let i = 0; i < 3; i++) await insertLead(f.store, { name: `N${i}`, stageId: neu!.id });
      const w = await insertLead(f.store, { name: 'W', stageId: won!.id });
      expect(await f.store.stages.countLeads(neu!.id)).toBe(3);
      expect(await f.store.stages.countLeads(lost!.id)).toBe(0);
      expect(await f.store.transaction(() => f.store.stages.moveLeads(neu!.id, lost!.id))).toBe(3);
      expect(await f.store.stages.countLeads(neu!.id)).toBe(0);
      expect(await f.store.stages.countLeads(lost!.id)).toBe(3);
      expect((await f.store.leads.get(w))!.stage).toBe('Won');
      expect((await f.store.leads.list({ stageIds: [lost!.id] })).map((l) => l.stage)).toEqual(['Lost', 'Lost', 'Lost']);
      await f.store.stages.remove(neu!.id);
      expect((await f.store.stages.list()).map((s) => s.name)).toEqual(['Won', 'Lost']);
    });

    it('two stages with one name (in any case) are a ConflictError', async () => {
      await threeStages();
      await expect(f.store.transaction(() => f.store.stages.insert({ name: 'WON', position: 4, probability: 100, outcome: 'won' }))).rejects.toBeInstanceOf(ConflictError);
    });
  });

  describe.each(['sources', 'tags'] as const)('%s', (area) => {
    it('insert returns {id, name, leads: 0}; list is by name, case-insensitively', async () => {
      const repo = f.store[area];
      const b = await repo.insert('beta');
      const a = await repo.insert('Alpha');
      const c = await repo.insert('Gamma');
      expect(b).toEqual({ id: b.id, name: 'beta', leads: 0 });
      expect(await repo.list()).toEqual([a, b, c]);
    });

    it('byName is case-insensitive; unknown names are undefined', async () => {
      const repo = f.store[area];
      const w = await repo.insert('Google Ads');
      expect(await repo.byName('google ADS')).toEqual(w);
      expect(await repo.byName('Google')).toBeUndefined();
    });

    it('rename and remove', async () => {
      const repo = f.store[area];
      const x = await repo.insert('Old');
      const y = await repo.insert('Other');
      await repo.rename(x.id, 'New');
      expect(await repo.byName('Old')).toBeUndefined();
      expect(await repo.byName('New')).toEqual({ id: x.id, name: 'New', leads: 0 });
      await repo.remove(y.id);
      expect((await repo.list()).map((r) => r.name)).toEqual(['New']);
    });

    it('a second one with the same name (in any case) is a ConflictError', async () => {
      await f.store[area].insert('Website');
      await expect(f.store.transaction(() => f.store[area].insert('WEBSITE'))).rejects.toBeInstanceOf(ConflictError);
      // Outside a transaction too: a backend's own error never escapes the contract.
      await expect(f.store[area].insert('website')).rejects.toBeInstanceOf(ConflictError);
      expect(await f.store[area].list()).toHaveLength(1);
    });
  });

  it('tags count their live leads: a lead\'s tags are created on first use, a deleted lead is not counted', async () => {
    const stage = await f.store.stages.insert({ name: 'New', position: 1, probability: 10, outcome: 'open' });
    const a = await insertLead(f.store, { stageId: stage.id, tags: ['vip', 'expo'] });
    await insertLead(f.store, { stageId: stage.id, tags: ['VIP'] });
    const gone = await insertLead(f.store, { stageId: stage.id, tags: ['expo'] });
    await f.store.transaction(() => f.store.leads.update(gone, { deletedAt: T0 }, T0));
    expect((await f.store.tags.list()).map((t) => [t.name, t.leads])).toEqual([['expo', 1], ['vip', 2]]);
    expect(await f.store.tags.byName('Vip')).toMatchObject({ name: 'vip', leads: 2 });
    await f.store.transaction(() => f.store.leads.update(a, { tags: [] }, T0));
    expect((await f.store.tags.byName('expo'))!.leads).toBe(0);
  });

  it('tags.names lists every tag by name, in list order, those no live lead carries included', async () => {
    const stage = await f.store.stages.insert({ name: 'New', position: 1, probability: 10, outcome: 'open' });
    expect(await f.store.tags.names()).toEqual([]);
    await insertLead(f.store, { stageId: stage.id, tags: ['vip', 'Expo'] });
    await f.store.tags.insert('zebra');
    expect(await f.store.tags.names()).toEqual(['Expo', 'vip', 'zebra']);
    expect(await f.store.tags.names()).toEqual((await f.store.tags.list()).map((t) => t.name));
  });
});
