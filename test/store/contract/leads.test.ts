import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { ContactMatch, LeadFilterNode, LeadQuery, LeadSortKey } from '../../../src/domain/leads.js';
import { testTeam, type TestTeam } from '../../helpers/store.js';
import { at, insertLead, leadFields, sourceIds, stageIds } from './builders.js';

/**
 * Four live leads and one deleted, each differing in every queried field, so each LeadQuery
 * option has a hand-checked answer:
 *
 *   lead  name            type      stage      source    score  value        close       assignees    tags       status    created
 *   a     Ana Sousa       lead      New        Website   80     EUR 100000   2026-12-01  ravi         vip        active    2026-11-20
 *   b     bruno           customer  Qualified  Referral  40     -            -           priya        expo       active    T0-200m (updated T0+50m)
 *   c     Carla 100%_off  lead      Won        -         60     USD 5000     2026-11-30  ravi, priya  vip, expo  junk      T0-100m
 *   d     Dora            lead      New        -         10     EUR 20000    2027-01-15  -            -          archived  T0
 *   e     Eve (deleted)   lead      New        Website   50     -            -           ravi         vip        active    T0-400m
 */
let t: TestTeam;
let s: Record<string, number>;
let src: Record<string, number>;
const id: Record<'a' | 'b' | 'c' | 'd' | 'e', number> = { a: 0, b: 0, c: 0, d: 0, e: 0 };

beforeAll(async () => {
  t = await testTeam();
  s = await stageIds(t.store);
  src = await sourceIds(t.store);
  id.a = await insertLead(t.store, {
    name: 'Ana Sousa', businessName: 'Sousa Lda', emails: ['Ana@Sousa.example', 'ana.work@sousa.example'], phones: ['+351912000001'], sourceId: src.Website!, stageId: s.New!,
    score: 80, valueMinor: 100000, expectedClose: '2026-12-01', assigneeIds: [t.ravi.id], tags: ['vip'], custom: { industry: 'Textiles', size: '50' },
    birthday: '1990-04-02', address: 'Rua Augusta 1, Lisboa', createdBy: t.admin.id,
  }, '2026-11-20T10:00:00.000Z');
  id.b = await insertLead(t.store, { name: 'bruno', type: 'customer', emails: ['bruno@x.example'], phones: ['+14155550100'], sourceId: src.Referral!, stageId: s.Qualified!, score: 40, assigneeIds: [t.priya.id], tags: ['expo'] }, at(-200));
  id.c = await insertLead(t.store, { name: 'Carla 100%_off', emails: ['carla@x.example'], stageId: s.Won!, score: 60, valueMinor: 5000, currency: 'USD', expectedClose: '2026-11-30', assigneeIds: [t.ravi.id, t.priya.id], tags: ['vip', 'expo'], status: 'junk', custom: { region: 'North' } }, at(-100));
  id.d = await insertLead(t.store, { name: 'Dora', stageId: s.New!, score: 10, valueMinor: 20000, expectedClose: '2027-01-15', status: 'archived' }, at(0));
  id.e = await insertLead(t.store, { name: 'Eve', emails: ['eve@x.example'], sourceId: src.Website!, stageId: s.New!, score: 50, assigneeIds: [t.ravi.id], tags: ['vip'], deletedAt: at(-10) }, at(-400));
  await t.store.transaction(() => t.store.leads.update(id.b, { score: 40 }, at(50)));
});
afterAll(() => t.close());

/** Tests that add leads of their own get a team of their own, so the data set above stays as described. */
function ownTeam(): () => TestTeam {
  let own: TestTeam;
  beforeAll(async () => {
    own = await testTeam();
  });
  afterAll(() => own.close());
  return () => own;
}
const ids = async (q: LeadQuery) => (await t.store.leads.list(q)).map((l) => l.id);
const byKey = (...keys: ('a' | 'b' | 'c' | 'd' | 'e')[]) => keys.map((k) => id[k]);

describe('store contract: leads.get and leads.fields', () => {
  it('get resolves references: stage with its outcome and probability, source, assignees by name, tags, creator\'s email', async () => {
    const a = await t.store.leads.get(id.a);
    expect(a).toEqual({
      id: id.a, type: 'lead', kind: 'person', name: 'Ana Sousa', businessName: 'Sousa Lda',
      emails: ['Ana@Sousa.example', 'ana.work@sousa.example'], phones: ['+351912000001'],
      source: 'Website', stage: 'New', stageOutcome: 'open', stageProbability: 10, score: 80, valueMinor: 100000, currency: 'EUR',
      expectedClose: '2026-12-01', assignees: [{ id: t.ravi.id, name: 'Ravi Kumar', email: 'ravi@acme.example' }], tags: ['vip'],
      birthday: '1990-04-02', address: 'Rua Augusta 1, Lisboa', custom: { industry: 'Textiles', size: '50' }, status: 'active', lostReason: null,
      orderId: null, convertedAt: null, createdBy: 'admin@acme.example', mergedInto: null,
      createdAt: '2026-11-20T10:00:00.000Z', updatedAt: '2026-11-20T10:00:00.000Z', deletedAt: null,
    });
    const c = await t.store.leads.get(id.c);
    expect(c).toMatchObject({ source: null, stage: 'Won', stageOutcome: 'won', stageProbability: 100, currency: 'USD', createdBy: null, tags: ['expo', 'vip'] });
    // Assignees sorted by name: Priya Shah before Ravi Kumar.
    expect(c!.assignees.map((x) => x.email)).toEqual(['priya@acme.example', 'ravi@acme.example']);
    expect((await t.store.leads.get(id.e))!.deletedAt).toBe(at(-10));
    expect(await t.store.leads.get(999_999)).toBeUndefined();
  });

  it('fields returns the lead as written: ids, lists in their order', async () => {
    expect(await t.store.leads.fields(id.a)).toEqual(leadFields(s.New!, {
      name: 'Ana Sousa', businessName: 'Sousa Lda', emails: ['Ana@Sousa.example', 'ana.work@sousa.example'], phones: ['+351912000001'], sourceId: src.Website!,
      score: 80, valueMinor: 100000, expectedClose: '2026-12-01', assigneeIds: [t.ravi.id], tags: ['vip'], custom: { industry: 'Textiles', size: '50' },
      birthday: '1990-04-02', address: 'Rua Augusta 1, Lisboa', createdBy: t.admin.id,
    }));
    expect((await t.store.leads.fields(id.c))!.assigneeIds.sort((x, y) => x - y)).toEqual([t.ravi.id, t.priya.id].sort((x, y) => x - y));
    expect(await t.store.leads.fields(999_999)).toBeUndefined();
  });
});

describe('store contract: leads.list and leads.count', () => {
  it('by default: live leads only (deleted excluded), newest id first', async () => {
    expect(await ids({})).toEqual(byKey('d', 'c', 'b', 'a'));
    expect(await t.store.leads.count({})).toBe(4);
  });

  it.each<[string, LeadQuery | (() => LeadQuery), ('a' | 'b' | 'c' | 'd' | 'e')[]]>([
    ['deleted: only', { deleted: 'only' }, ['e']],
    ['deleted: include', { deleted: 'include' }, ['e', 'd', 'c', 'b', 'a']],
    ['type', { type: 'customer' }, ['b']],
    ['stageIds', () => ({ stageIds: [s.New!] }), ['d', 'a']],
    ['sourceIds', () => ({ sourceIds: [src.Website!, src.Referral!] }), ['b', 'a']],
    ['tag (case-insensitive)', { tag: 'VIP' }, ['c', 'a']],
    ['assigneeId', () => ({ assigneeId: t.ravi.id }), ['c', 'a']],
    ['visibleTo: only leads assigned to the user', () => ({ visibleTo: t.priya.id }), ['c', 'b']],
    ['visibleTo a user with no leads', () => ({ visibleTo: t.manager.id }), []],
    ['assigneeId and visibleTo together', () => ({ assigneeId: t.ravi.id, visibleTo: t.priya.id }), ['c']],
    ['statuses', { statuses: ['junk', 'archived'] }, ['d', 'c']],
    ['minScore (inclusive)', { minScore: 40 }, ['c', 'b', 'a']],
    ['maxScore (inclusive)', { maxScore: 40 }, ['d', 'b']],
    ['minScore and maxScore', { minScore: 41, maxScore: 80 }, ['c', 'a']],
    ['search: name, case-insensitive', { search: 'SOUSA' }, ['a']],
    ['search: business name', { search: 'Lda' }, ['a']],
    ['search: email, case-insensitive', { search: 'ANA.WORK@' }, ['a']],
    ['search: phone', { search: '4155550' }, ['b']],
    ['search: % and _ are literal characters', { search: '100%_' }, ['c']],
    ['search: a lone % matches only a literal %', { search: '%' }, ['c']],
    ['search: no match', { search: 'zzz' }, []],
    ['search and type together', { search: 'x.example', type: 'lead' }, ['c']],
  ])('%s', async (_label, query, expected) => {
    const q = typeof query === 'function' ? query() : query;
    const list = await t.store.leads.list(q);
    expect(list.map((l) => l.id)).toEqual(byKey(...expected));
    expect(await t.store.leads.count(q)).toBe(expected.length);
  });

  it.each<[LeadSortKey, boolean, ('a' | 'b' | 'c' | 'd')[]]>([
    ['id', false, ['a', 'b', 'c', 'd']],
    ['id', true, ['d', 'c', 'b', 'a']],
    ['name', false, ['a', 'b', 'c', 'd']],
    ['name', true, ['d', 'c', 'b', 'a']],
    ['score', true, ['a', 'c', 'b', 'd']],
    ['score', false, ['d', 'b', 'c', 'a']],
    ['value', false, ['c', 'd', 'a', 'b']],
    ['value', true, ['a', 'd', 'c', 'b']],
    ['created', false, ['a', 'b', 'c', 'd']],
    ['created', true, ['d', 'c', 'b', 'a']],
    ['updated', true, ['b', 'd', 'c', 'a']],
    ['expected-close', false, ['c', 'a', 'd', 'b']],
    ['expected-close', true, ['d', 'a', 'c', 'b']],
    ['stage', false, ['a', 'd', 'b', 'c']],
    ['stage', true, ['c', 'b', 'd', 'a']],
  ])('sort by %s (desc: %s); leads without a value come last either way, ties by id', async (key, desc, expected) => {
    expect(await ids({ sort: { key, desc }, statuses: ['active', 'junk', 'archived'] })).toEqual(byKey(...expected));
  });

  it('pages with limit and offset; count ignores them', async () => {
    const q: LeadQuery = { sort: { key: 'id', desc: false }, limit: 2, offset: 1 };
    expect(await ids(q)).toEqual(byKey('b', 'c'));
    expect(await ids({ sort: { key: 'id', desc: false }, limit: 2, offset: 3 })).toEqual(byKey('d'));
    expect(await ids({ sort: { key: 'id', desc: false }, limit: 2, offset: 4 })).toEqual([]);
    expect(await ids({ sort: { key: 'name', desc: true }, limit: 1 })).toEqual(byKey('d'));
    expect(await t.store.leads.count(q)).toBe(4);
  });

  it('keyset paging with afterId (sorted by id ascending)', async () => {
    const page = (afterId: number) => ids({ sort: { key: 'id', desc: false }, afterId, limit: 2 });
    expect(await page(0)).toEqual(byKey('a', 'b'));
    expect(await page(id.b)).toEqual(byKey('c', 'd'));
    expect(await page(id.d)).toEqual([]);
    expect(await t.store.leads.count({ afterId: id.b })).toBe(2);
  });

  describe('segment filters (resolved trees)', () => {
    const cmp = (field: LeadFilterNode extends infer N ? N extends { kind: 'cmp'; field: infer F } ? F : never : never, op: '=' | '!=' | '<' | '<=' | '>' | '>=', value: string | number): LeadFilterNode => ({ kind: 'cmp', field, op, value });
    it.each<[string, () => LeadFilterNode, ('a' | 'b' | 'c' | 'd')[]]>([
      ['stage =', () => cmp('stage', '=', s.New!), ['d', 'a']],
      ['source != keeps leads with no source', () => cmp('source', '!=', src.Website!), ['d', 'c', 'b']],
      ['source in', () => ({ kind: 'in', field: 'source', not: false, values: [src.Website!, src.Referral!] }), ['b', 'a']],
      ['tag = (case-insensitive)', () => cmp('tag', '=', 'EXPO'), ['c', 'b']],
      ['tag not in', () => ({ kind: 'in', field: 'tag', not: true, values: ['vip'] }), ['d', 'b']],
      ['score >=', () => cmp('score', '>=', 60), ['c', 'a']],
      ['score <', () => cmp('score', '<', 40), ['d']],
      ['value < leaves out leads without a value', () => cmp('value', '<', 50000), ['d', 'c']],
      ['value != keeps leads without a value', () => cmp('value', '!=', 5000), ['d', 'b', 'a']],
      ['status in', () => ({ kind: 'in', field: 'status', not: false, values: ['active'] }), ['b', 'a']],
      ['type =', () => cmp('type', '=', 'customer'), ['b']],
      ['assigned =', () => cmp('assigned', '=', t.priya.id), ['c', 'b']],
      ['assigned != keeps unassigned leads', () => cmp('assigned', '!=', t.ravi.id), ['d', 'b']],
      ['created < a day', () => cmp('created', '<', '2026-11-21'), ['a']],
      ['created = a day', () => cmp('created', '=', '2026-11-23'), ['d', 'c', 'b']],
      ['created >= a day', () => cmp('created', '>=', '2026-11-20'), ['d', 'c', 'b', 'a']],
      ['and binds what both sides select', () => ({ kind: 'and', left: cmp('tag', '=', 'vip'), right: cmp('score', '>', 70) }), ['a']],
      ['(or) and', () => ({ kind: 'and', left: { kind: 'or', left: cmp('stage', '=', s.New!), right: cmp('tag', '=', 'expo') }, right: cmp('score', '>', 20) }), ['c', 'b', 'a']],
      ['a value that looks like SQL is only a value', () => ({ kind: 'or', left: cmp('tag', '=', "x') OR 1=1; DROP TABLE leads; --"), right: { kind: 'in', field: 'status', not: false, values: ["' OR ''='"] } }), []],
    ])('%s', async (_label, filter, expected) => {
      const q: LeadQuery = { filter: filter() };
      expect(await ids(q)).toEqual(byKey(...expected));
      expect(await t.store.leads.count(q)).toBe(expected.length);
    });

    it('combines with the other options: visibility and deleted', async () => {
      expect(await ids({ filter: cmp('tag', '=', 'vip'), visibleTo: t.ravi.id })).toEqual(byKey('c', 'a'));
      expect(await ids({ filter: cmp('tag', '=', 'vip'), deleted: 'include' })).toEqual(byKey('e', 'c', 'a'));
      expect(await t.store.leads.count({ filter: cmp('tag', '=', 'vip'), deleted: 'only' })).toBe(1);
    });
  });
});

describe('store contract: leads.matchContacts (duplicate matching)', () => {
  const sorted = (m: ContactMatch[]) => [...m].sort((x, y) => x.id - y.id || x.on.localeCompare(y.on) || x.value.localeCompare(y.value));

  it('matches emails case-insensitively (the value as stored, lower case) and phones in E.164, with each lead\'s state', async () => {
    const m = await t.store.leads.matchContacts(['ANA@sousa.EXAMPLE', 'carla@X.example', 'eve@x.example', 'nobody@x.example'], ['+351912000001', '+14155550100', '+10000000000']);
    expect(sorted(m)).toEqual(sorted([
      { id: id.a, status: 'active', stageOutcome: 'open', deleted: false, on: 'email', value: 'ana@sousa.example' },
      { id: id.a, status: 'active', stageOutcome: 'open', deleted: false, on: 'phone', value: '+351912000001' },
      { id: id.b, status: 'active', stageOutcome: 'open', deleted: false, on: 'phone', value: '+14155550100' },
      { id: id.c, status: 'junk', stageOutcome: 'won', deleted: false, on: 'email', value: 'carla@x.example' },
      { id: id.e, status: 'active', stageOutcome: 'open', deleted: true, on: 'email', value: 'eve@x.example' },
    ]));
  });

  it('finds every lead sharing a contact; nothing for nothing', async () => {
    const own = await testTeam();
    onTestFinished(() => own.close());
    const twin = await insertLead(own.store, { name: 'Twin', emails: ['shared@twins.example'], phones: ['+351930000000'] });
    const other = await insertLead(own.store, { name: 'Other twin', emails: ['Shared@Twins.example'], phones: ['+351930000000'] });
    const m = await own.store.leads.matchContacts(['shared@twins.example'], ['+351930000000']);
    expect(sorted(m).map((x) => [x.id, x.on])).toEqual([[twin, 'email'], [twin, 'phone'], [other, 'email'], [other, 'phone']]);
    expect(await own.store.leads.matchContacts([], [])).toEqual([]);
    // A phone is matched as stored (E.164); another spelling is not the same value.
    expect(await own.store.leads.matchContacts([], ['+351 930 000 000'])).toEqual([]);
  });
});

describe('store contract: activities', () => {
  const team = ownTeam();
  it('add returns an id; forLead is newest first (ties: last added first) with the author\'s email, body and data', async () => {
    const lead = await insertLead(team().store, { name: 'Timeline' });
    const { activities } = team().store;
    const n1 = await activities.add({ leadId: lead, type: 'note', at: at(-30), userId: team().ravi.id, body: 'first', data: { pinned: true } });
    const n2 = await activities.add({ leadId: lead, type: 'stage', at: at(-10), userId: null, data: { from: 'New', to: 'Contacted' } });
    const n3 = await activities.add({ leadId: lead, type: 'note', at: at(-10), userId: team().priya.id });
    expect(new Set([n1, n2, n3]).size).toBe(3);
    expect(await activities.forLead(lead)).toEqual([
      { id: n3, leadId: lead, type: 'note', at: at(-10), userId: team().priya.id, user: 'priya@acme.example', body: null, data: {} },
      { id: n2, leadId: lead, type: 'stage', at: at(-10), userId: null, user: null, body: null, data: { from: 'New', to: 'Contacted' } },
      { id: n1, leadId: lead, type: 'note', at: at(-30), userId: team().ravi.id, user: 'ravi@acme.example', body: 'first', data: { pinned: true } },
    ]);
    expect((await activities.forLead(lead, 2)).map((a) => a.id)).toEqual([n3, n2]);
    expect(await activities.forLead(999_999)).toEqual([]);
  });

  it('reassign moves every entry of one lead onto another (merge)', async () => {
    const from = await insertLead(team().store, { name: 'Merged away' });
    const to = await insertLead(team().store, { name: 'Survivor' });
    await team().store.activities.add({ leadId: from, type: 'note', at: at(1), userId: null, body: 'old' });
    await team().store.activities.add({ leadId: to, type: 'note', at: at(2), userId: null, body: 'kept' });
    await team().store.transaction(() => team().store.activities.reassign(from, to));
    expect(await team().store.activities.forLead(from)).toEqual([]);
    expect((await team().store.activities.forLead(to)).map((a) => [a.leadId, a.body])).toEqual([[to, 'kept'], [to, 'old']]);
  });
});

describe('store contract: maintenance.customKeys', () => {
  it('every custom field key used by any lead, sorted, once each', async () => {
    expect(await t.store.maintenance.customKeys()).toEqual(['industry', 'region', 'size']);
  });
});

describe('store contract: leads.update', () => {
  const team = ownTeam();
  it('changes only what the patch gives, replaces list fields whole, stamps updatedAt and keeps createdAt', async () => {
    const x = await insertLead(team().store, { name: 'Patchy', emails: ['p1@x.example', 'p2@x.example'], phones: ['+351910000009'], assigneeIds: [team().ravi.id], tags: ['one', 'two'], score: 5, custom: { k: 'v' } }, at(-60));
    const before = (await team().store.leads.fields(x))!;
    await team().store.transaction(() => team().store.leads.update(x, { score: 7 }, at(-30)));
    expect(await team().store.leads.fields(x)).toEqual({ ...before, score: 7 });
    await team().store.transaction(() => team().store.leads.update(x, {
      emails: ['p3@x.example'], phones: [], assigneeIds: [team().priya.id], tags: ['three'], custom: {}, valueMinor: 999, businessName: 'P Ltd',
      type: 'customer', convertedAt: at(-20), convertedBy: team().priya.id, orderId: 'SO-1', lostReason: null,
    }, at(-20)));
    expect(await team().store.leads.fields(x)).toEqual({
      ...before, score: 7, emails: ['p3@x.example'], phones: [], assigneeIds: [team().priya.id], tags: ['three'], custom: {}, valueMinor: 999,
      businessName: 'P Ltd', type: 'customer', convertedAt: at(-20), convertedBy: team().priya.id, orderId: 'SO-1',
    });
    const lead = (await team().store.leads.get(x))!;
    expect(lead.createdAt).toBe(at(-60));
    expect(lead.updatedAt).toBe(at(-20));
    // Setting a nullable field back to null.
    await team().store.transaction(() => team().store.leads.update(x, { valueMinor: null, businessName: null, deletedAt: at(-5) }, at(-5)));
    expect(await team().store.leads.fields(x)).toMatchObject({ valueMinor: null, businessName: null, deletedAt: at(-5) });
  });
});
