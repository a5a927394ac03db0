// PostgreSQL backend specifics; not part of the contract. The same data in a SQLite store and a
// PostgreSQL store gives the same answers from leads, board and reports: text order (NOCASE,
// BINARY), searches, filters with empty values, NULL order, local hours, day spans. Runs only when
// the suite runs on PostgreSQL (CRM_TEST_STORE=postgres); it opens a SQLite store beside it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initStore } from '../../../src/services/setup/init.js';
import { addUser } from '../../../src/services/users/service.js';
import { openStore } from '../../../src/store/index.js';
import type { Store } from '../../../src/store/types.js';
import { insertFollowUp, insertLead, sourceIds, stageIds } from '../contract/builders.js';
import { dropTestDatabase, freshPostgresUrl, TEST_BACKEND } from '../../helpers/store.js';

const NOW = new Date('2026-11-23T09:00:00.000Z');
let lite: Store, pg: Store, pgUrl: string, dir: string;
const NAMES = ['alice', 'Bob', 'bob', '_under', 'Zed', 'zebra', 'Émile', 'emma', 'a b', 'ab', 'a-b', 'A.b', '10 Downing', '9 lives', '{curly}', 'ångström', 'Ω', 'x%y', 'x_y', "O'Neil"];

async function fill(store: Store) {
  const { admin } = await initStore(store, NOW, { adminName: 'Admin', adminEmail: 'admin@acme.example', currency: 'EUR' });
  const ctx = { store, actor: admin, now: NOW };
  const u1 = await addUser(ctx, { name: 'zoë', email: 'Zoe@acme.example', role: 'rep' });
  const u2 = await addUser(ctx, { name: 'Adam', email: 'adam@acme.example', role: 'rep' });
  const s = await stageIds(store);
  const src = await sourceIds(store);
  const stages = Object.values(s);
  const sources = [null, ...Object.values(src)];
  let i = 0;
  for (const name of NAMES) {
    i++;
    await insertLead(store, {
      name, businessName: i % 3 ? null : `Biz ${name}`, emails: [`${name.replace(/\W/g, '')}${i}@Example.com`], phones: [`+35191000${String(i).padStart(4, '0')}`],
      stageId: stages[i % stages.length]!, sourceId: sources[i % sources.length] ?? null, score: (i * 7) % 100, valueMinor: i % 4 ? i * 1000 : null,
      currency: i % 5 ? 'EUR' : 'USD', assigneeIds: i % 2 ? [u1.id] : i % 3 ? [u2.id, u1.id] : [], tags: i % 2 ? ['Hot', 'b2b'] : ['cold'],
      birthday: i % 3 ? `19${70 + i}-11-${String(20 + (i % 8)).padStart(2, '0')}` : i % 2 ? '11-23' : null,
      expectedClose: i % 4 ? `2026-12-${String(i).padStart(2, '0')}` : null,
      status: i % 7 ? 'active' : 'junk', type: i % 6 ? 'lead' : 'customer',
      convertedAt: i % 6 ? null : `2026-11-${String(10 + i).padStart(2, '0')}T${String(i % 24).padStart(2, '0')}:17:00.000Z`, convertedBy: i % 6 ? null : u1.id,
      deletedAt: i === 13 ? '2026-11-20T00:00:00.000Z' : null,
    }, `2026-11-${String(i).padStart(2, '0')}T${String((i * 5) % 24).padStart(2, '0')}:30:00.000Z`);
  }
  for (let j = 1; j <= 20; j++) {
    await insertFollowUp(store, j, { assigneeIds: j % 2 ? [u1.id] : [], startAt: `2026-11-${String(j).padStart(2, '0')}T23:50:00.000Z`, endAt: `2026-11-${String(j + 1).padStart(2, '0')}T00:20:00.000Z`,
      status: j % 4 === 0 ? 'completed' : 'scheduled', completedAt: j % 4 === 0 ? `2026-11-${String(j).padStart(2, '0')}T23:55:00.000Z` : null, type: j % 3 ? 'email' : 'meeting', category: j % 2 ? 'Sales' : 'sales' });
  }
  return { u1, u2 };
}

describe.skipIf(TEST_BACKEND !== 'postgres')('postgres: the answers of the SQLite backend on the same data', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'crm-parity-'));
    lite = await openStore(join(dir, 'crm.db'), { create: true });
    pgUrl = freshPostgresUrl(dir);
    pg = await openStore(pgUrl, { create: true });
    await fill(lite);
    await fill(pg);
  }, 120_000);
  afterAll(async () => {
    await lite.close();
    await pg.close();
    await dropTestDatabase(pgUrl);
    rmSync(dir, { recursive: true, force: true });
  });

  const both = async (f: (s: Store) => Promise<unknown>) => {
    const a = JSON.parse(JSON.stringify(await f(lite)));
    const b = JSON.parse(JSON.stringify(await f(pg)));
    expect(b).toEqual(a);
  };

  it('lead lists, sorts, searches, filters', async () => {
    for (const key of ['id', 'name', 'score', 'value', 'created', 'updated', 'expected-close', 'stage'] as const) {
      for (const desc of [false, true]) await both(async (s) => (await s.leads.list({ sort: { key, desc }, deleted: 'include' })).map((l) => [l.id, l.name]));
    }
    for (const search of ['b', 'B', 'x%', 'x_', '_', '%', 'example.COM', '+3519', 'é', 'É', "o'n", 'biz']) await both((s) => s.leads.list({ search }));
    await both((s) => s.leads.list({ tag: 'HOT', limit: 3, offset: 2 }));
    await both((s) => s.leads.count({ statuses: ['junk'], deleted: 'include' }));
    await both((s) => s.leads.matchContacts(['ALICE1@example.com', 'bob2@example.com'], ['+351910000003']).then((r) => r.sort((x, y) => x.id - y.id)));
    await both((s) => s.leads.list({ filter: { kind: 'or', left: { kind: 'cmp', field: 'value', op: '!=', value: 2000 }, right: { kind: 'in', field: 'tag', not: true, values: ['hot'] } } }));
    await both((s) => s.leads.list({ filter: { kind: 'cmp', field: 'created', op: '>=', value: '2026-11-10' } }));
    await both((s) => s.leads.list({ filter: { kind: 'in', field: 'source', not: true, values: [1, 2] } }));
    await both((s) => s.leads.list({ filter: { kind: 'or', left: { kind: 'in', field: 'status', not: false, values: [] }, right: { kind: 'in', field: 'tag', not: true, values: [] } } }));
    for (let id = 1; id <= 20; id++) await both((s) => s.leads.fields(id));
  });

  it('segments by name, tags in order', async () => {
    for (const s of [lite, pg]) {
      for (const name of ['zeta', 'Émigrés', 'alpha', 'Beta', '_x', 'beta2']) await s.segments.insert({ name, where: 'score > 1', createdBy: 1 }, NOW.toISOString());
    }
    await both(async (s) => (await s.segments.list()).map((g) => g.name));
    await both((s) => s.segments.byName('BETA'));
  });

  it('board', async () => {
    await both(async (s) => (await s.board.totals({})).sort((a, b) => a.stageId - b.stageId || a.currency.localeCompare(b.currency)));
    await both((s) => s.board.cards({ now: '2026-11-10T00:00:00.000Z' }));
    await both((s) => s.board.cards({ now: '2026-11-10T00:00:00.000Z', ids: [3, 4, 5], limit: 2 }));
  });

  it('reports', async () => {
    const NOV = { from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' };
    const key = (r: Record<string, unknown>) => JSON.stringify([r.stageId, r.sourceId, r.type, r.status, r.currency, r.furthestStageId]);
    const cube = async (s: Store, userId?: number) => (await s.reports.leadCube({ userId })).map((r) => ({ ...r, cycleDays: Math.round(r.cycleDays * 1e9) / 1e9 })).sort((a, b) => key(a).localeCompare(key(b)));
    await both((s) => cube(s));
    await both((s) => cube(s, 2));
    for (const by of ['user', 'source', 'stage'] as const) await both((s) => s.reports.leadsBy({ by, ...NOV }));
    await both((s) => s.reports.birthdays({ monthDays: ['11-20', '11-21', '11-22', '11-23', '11-24'] }));
    for (const by of ['user', 'contact'] as const) await both((s) => s.reports.followUpsBy({ by }));
    await both((s) => s.reports.followUpsBy({ by: 'contact', category: 'SALES' }));
    await both((s) => s.reports.conversions({}));
    for (const offsetMinutes of [0, 60, -330, 345, -720, 840]) await both((s) => s.reports.hourly({ ...NOV, offsetMinutes }));
  });
});
