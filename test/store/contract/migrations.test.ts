import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../../src/errors.js';
import { initStore } from '../../../src/services/setup/init.js';
import { openStore } from '../../../src/store/index.js';
import type { Store } from '../../../src/store/types.js';
import { FIXED_NOW, freshLocation, TEST_BACKEND } from '../../helpers/store.js';

describe('store contract: opening a location (migrations)', () => {
  let dir: string;
  let location: string;
  const open: Store[] = [];
  const openAt = async (opts?: { create?: boolean }) => {
    const s = await openStore(location, opts);
    open.push(s);
    return s;
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'crm-contract-'));
    location = freshLocation(dir);
  });
  afterEach(() => {
    for (const s of open.splice(0)) s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a location that does not exist is not created without create: a StoreError saying to run crm init', async () => {
    await expect(openStore(location)).rejects.toBeInstanceOf(StoreError);
    await expect(openStore(location)).rejects.toThrow(/no crm store/);
    // Still nothing there afterwards.
    await expect(openStore(location)).rejects.toBeInstanceOf(StoreError);
  });

  it('a fresh location opens from empty to the current schema: every area answers, empty', async () => {
    const s = await openAt({ create: true });
    expect(s.backend).toBe(TEST_BACKEND);
    expect(s.location).toBe(location);
    expect(await s.settings.all()).toEqual({});
    expect(await s.users.count()).toBe(0);
    expect(await s.stages.list()).toEqual([]);
    expect(await s.sources.list()).toEqual([]);
    expect(await s.tags.list()).toEqual([]);
    expect(await s.leads.count({})).toBe(0);
    expect(await s.outbox.depth()).toEqual({ pending: 0, sending: 0, sent: 0, failed: 0, dead: 0 });
    expect(await s.jobs.all()).toEqual([]);
    expect(await s.imports.list()).toEqual([]);
    expect(await s.campaigns.list()).toEqual([]);
    expect(await s.segments.list()).toEqual([]);
    expect(await s.intakeForms.list()).toEqual([]);
    expect(await s.proposalTemplates.list()).toEqual([]);
    expect(await s.routing.rules()).toEqual([]);
    expect(await s.routing.groups()).toEqual([]);
    expect(await s.scoring.rules()).toEqual([]);
    expect(await s.welcome.list()).toEqual([]);
    expect(await s.reportSchedules.list()).toEqual([]);
    expect(await s.followUpRules.list()).toEqual([]);
    expect(await s.followUpSeries.list()).toEqual([]);
    expect(await s.maintenance.customKeys()).toEqual([]);
    // Made once by the migration: a 256-bit secret in hex.
    expect(await s.campaigns.secret()).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reopening is a no-op: the data, the settings and the campaign secret survive, nothing is added', async () => {
    const first = await openAt({ create: true });
    const { admin } = await initStore(first, FIXED_NOW, { adminName: 'Asha Rao', adminEmail: 'admin@acme.example', currency: 'EUR', region: 'PT' });
    await first.settings.set('notify.timezone', 'Europe/Lisbon');
    const before = {
      settings: await first.settings.all(),
      stages: await first.stages.list(),
      sources: await first.sources.list(),
      users: await first.users.list(),
      secret: await first.campaigns.secret(),
    };
    expect(before.settings).toEqual({ currency: 'EUR', 'notify.timezone': 'Europe/Lisbon', 'phone.region': 'PT' });
    await first.close();

    for (const opts of [undefined, { create: true }]) {
      const again = await openAt(opts);
      expect(await again.settings.all()).toEqual(before.settings);
      expect(await again.stages.list()).toEqual(before.stages);
      expect(await again.sources.list()).toEqual(before.sources);
      expect(await again.users.list()).toEqual(before.users);
      expect(await again.campaigns.secret()).toBe(before.secret);
      expect((await again.users.byId(admin.id))!.email).toBe('admin@acme.example');
      again.close();
    }
  });

  it('two stores open on one location see each other\'s committed writes', async () => {
    const a = await openAt({ create: true });
    const b = await openAt();
    await a.settings.set('shared', 'from a');
    expect(await b.settings.get('shared')).toBe('from a');
    await b.transaction(() => b.settings.set('shared', 'from b'));
    expect(await a.settings.get('shared')).toBe('from b');
  });
});
