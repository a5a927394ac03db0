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
    expect(await s.tickets.list({})).toEqual([]);
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

/** What only a PostgreSQL location has: a database that exists before crm, other processes opening it at once. */
describe.runIf(TEST_BACKEND === 'postgres')('store contract: opening a PostgreSQL location', () => {
  let dir: string;
  let location: string;
  const open: Store[] = [];
  const admin = async <T>(db: string, fn: (c: import('pg').Client) => Promise<T>): Promise<T> => {
    const { default: pg } = await import('pg');
    const url = new URL(location);
    url.pathname = `/${db}`;
    const c = new pg.Client({ connectionString: url.toString() });
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.end();
    }
  };
  const dbName = () => decodeURIComponent(new URL(location).pathname.slice(1));
  const createEmptyDatabase = () => admin('postgres', (c) => c.query(`CREATE DATABASE "${dbName()}"`));
  const tablesOf = () => admin(dbName(), async (c) => (await c.query<{ t: string }>("SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")).rows.map((r) => r.t));
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'crm-contract-'));
    location = freshLocation(dir);
  });
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
    const { dropPostgresTestDatabase } = await import('../../helpers/postgres.js');
    await dropPostgresTestDatabase(location);
    rmSync(dir, { recursive: true, force: true });
  });

  it('several handles creating one fresh location at once: the database and each migration are made once, every handle opens', async () => {
    const handles = await Promise.all(Array.from({ length: 4 }, () => openStore(location, { create: true })));
    open.push(...handles);
    const { SCHEMA_VERSION } = await import('../../../src/store/postgres/migrations/index.js');
    const rows = await admin(dbName(), async (c) => (await c.query<{ version: number }>('SELECT version FROM crm_schema')).rows);
    expect(rows).toEqual([{ version: SCHEMA_VERSION }]);
    // Seed rows made once: the migration ran once.
    expect(await admin(dbName(), async (c) => (await c.query('SELECT count(*)::int AS n FROM campaign_secrets')).rows)).toEqual([{ n: 1 }]);
    await handles[0]!.settings.set('k', 'v');
    expect(await handles[3]!.settings.get('k')).toBe('v');
  });

  it('an empty database is not a store: refused without create (nothing is made), filled with create', async () => {
    await createEmptyDatabase();
    const err = await openStore(location).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect((err as Error).message).toMatch(/no crm store/);
    expect(await tablesOf()).toEqual([]);
    const s = await openAt(location, { create: true });
    expect(await s.settings.all()).toEqual({});
    expect(await tablesOf()).toContain('crm_schema');
  });

  it('a database with tables of its own is not a crm store: refused, with create too, and left as it was', async () => {
    await createEmptyDatabase();
    await admin(dbName(), (c) => c.query('CREATE TABLE invoices (id int PRIMARY KEY)'));
    for (const opts of [undefined, { create: true }]) {
      const err = await openStore(location, opts).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StoreError);
      expect((err as Error).message).toMatch(/not a crm store/);
    }
    expect(await tablesOf()).toEqual(['invoices']);
  });

  it('a store at a newer schema version than this crm knows is refused, and not changed', async () => {
    (await openAt(location, { create: true })).close();
    await admin(dbName(), (c) => c.query('UPDATE crm_schema SET version = version + 1'));
    const err = await openStore(location).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect((err as Error).message).toMatch(/newer than this crm understands/);
    const { SCHEMA_VERSION } = await import('../../../src/store/postgres/migrations/index.js');
    expect(await admin(dbName(), async (c) => (await c.query('SELECT version FROM crm_schema')).rows)).toEqual([{ version: SCHEMA_VERSION + 1 }]);
  });

  async function openAt(at: string, opts?: { create?: boolean }): Promise<Store> {
    const s = await openStore(at, opts);
    open.push(s);
    return s;
  }
});
