import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ContactMatch } from '../../../src/domain/leads.js';
import type { NewImport } from '../../../src/domain/imports.js';
import { testTeam, type TestTeam } from '../../helpers/store.js';
import { at, insertLead, leadFields, sourceIds, stageIds, T0 } from './builders.js';

describe('store contract: imports', () => {
  let t: TestTeam;
  beforeEach(async () => {
    t = await testTeam();
  });
  afterEach(() => t.close());

  const newImport = (o: Partial<NewImport> = {}): NewImport => ({
    file: '/data/leads.csv', contentHash: 'a'.repeat(64), bytes: 1234, options: { onDuplicate: 'skip', map: { Email: 'email' } }, userId: t.admin.id, startedAt: T0, rejectsFile: null, ...o,
  });

  it('create returns a running import with every count at zero; get finds it by id', async () => {
    const rec = await t.store.imports.create(newImport({ rejectsFile: '/data/leads.rejects.csv' }));
    expect(rec).toEqual({
      id: rec.id, file: '/data/leads.csv', contentHash: 'a'.repeat(64), bytes: 1234, status: 'running', options: { onDuplicate: 'skip', map: { Email: 'email' } },
      userId: t.admin.id, user: 'admin@acme.example', startedAt: T0, finishedAt: null, lastLine: 0,
      rows: 0, imported: 0, junk: 0, reengaged: 0, updated: 0, merged: 0, skipped: 0, rejected: 0, suppressed: 0, rejectsFile: '/data/leads.rejects.csv', rejectsBytes: 0,
    });
    expect(await t.store.imports.get(rec.id)).toEqual(rec);
    expect(await t.store.imports.get(rec.id + 100)).toBeUndefined();
  });

  it('progress sets only the fields given', async () => {
    const rec = await t.store.imports.create(newImport());
    await t.store.imports.progress(rec.id, { rows: 10, imported: 7, junk: 1, skipped: 2, lastLine: 11, rejectsBytes: 0 });
    await t.store.imports.progress(rec.id, { rows: 20, imported: 15, reengaged: 1, updated: 1, merged: 1, rejected: 1, lastLine: 21, rejectsBytes: 88, rejectsFile: '/tmp/r.csv' });
    await t.store.imports.progress(rec.id, {});
    await t.store.imports.progress(rec.id, { status: 'done', finishedAt: at(5) });
    expect(await t.store.imports.get(rec.id)).toEqual({
      ...rec, rows: 20, imported: 15, junk: 1, reengaged: 1, updated: 1, merged: 1, skipped: 2, rejected: 1, lastLine: 21, rejectsBytes: 88,
      rejectsFile: '/tmp/r.csv', status: 'done', finishedAt: at(5),
    });
  });

  it('latestByHash is the most recent import of that content; list is newest first, limited', async () => {
    const first = await t.store.imports.create(newImport({ startedAt: at(-60) }));
    const other = await t.store.imports.create(newImport({ contentHash: 'b'.repeat(64), file: '/data/other.csv', userId: null }));
    const again = await t.store.imports.create(newImport({ startedAt: at(0) }));
    expect((await t.store.imports.latestByHash('a'.repeat(64)))!.id).toBe(again.id);
    expect(await t.store.imports.latestByHash('b'.repeat(64))).toMatchObject({ id: other.id, userId: null, user: null });
    expect(await t.store.imports.latestByHash('c'.repeat(64))).toBeUndefined();
    expect((await t.store.imports.list()).map((r) => r.id)).toEqual([again.id, other.id, first.id]);
    expect((await t.store.imports.list(2)).map((r) => r.id)).toEqual([again.id, other.id]);
  });

  it('matchContacts: a batch of lower-cased emails and E.164 phones against stored leads, with each lead\'s state', async () => {
    const s = await stageIds(t.store);
    const a = await insertLead(t.store, { emails: ['Ana@Sousa.example'], phones: ['+351912000001'] });
    const lost = await insertLead(t.store, { emails: ['lost@x.example'], stageId: s.Lost!, status: 'archived' });
    const gone = await insertLead(t.store, { phones: ['+14155550100'], deletedAt: at(-1) });
    const m = await t.store.imports.matchContacts(['ana@sousa.example', 'lost@x.example', 'new@x.example'], ['+351912000001', '+14155550100', '+10000000000']);
    const sorted = (x: ContactMatch[]) => [...x].sort((p, q) => p.id - q.id || p.on.localeCompare(q.on));
    expect(sorted(m)).toEqual([
      { id: a, status: 'active', stageOutcome: 'open', deleted: false, on: 'email', value: 'ana@sousa.example' },
      { id: a, status: 'active', stageOutcome: 'open', deleted: false, on: 'phone', value: '+351912000001' },
      { id: lost, status: 'archived', stageOutcome: 'lost', deleted: false, on: 'email', value: 'lost@x.example' },
      { id: gone, status: 'active', stageOutcome: 'open', deleted: true, on: 'phone', value: '+14155550100' },
    ]);
    // The same answers as the one-lead lookup.
    expect(sorted(await t.store.leads.matchContacts(['ana@sousa.example', 'lost@x.example', 'new@x.example'], ['+351912000001', '+14155550100', '+10000000000']))).toEqual(sorted(m));
    expect(await t.store.imports.matchContacts([], [])).toEqual([]);
  });

  it('insertLeads (in a transaction) writes every lead with its lists, shown with a \'created\' entry of its import and line, returns their ids in order', async () => {
    const s = await stageIds(t.store);
    const src = await sourceIds(t.store);
    const batch = [
      { fields: leadFields(s.New!, { name: 'Bulk One', emails: ['One@Bulk.example'], phones: ['+351910000001'], sourceId: src.Website!, assigneeIds: [t.ravi.id], tags: ['expo', 'New Tag'], custom: { row: '2' }, valueMinor: 500, createdBy: t.admin.id }), importId: 1, line: 2 },
      { fields: leadFields(s.Qualified!, { name: 'Bulk Two', type: 'customer', status: 'junk', tags: ['expo'], createdBy: t.ravi.id }), importId: 1, line: 3 },
    ];
    const ids = await t.store.transaction(() => t.store.imports.insertLeads(batch, at(1)));
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(2);
    expect(await t.store.leads.fields(ids[0]!)).toEqual({ ...batch[0]!.fields, tags: ['expo', 'New Tag'] });
    expect(await t.store.leads.get(ids[0]!)).toMatchObject({ name: 'Bulk One', source: 'Website', stage: 'New', createdBy: 'admin@acme.example', createdAt: at(1), updatedAt: at(1), custom: { row: '2' } });
    expect(await t.store.leads.get(ids[1]!)).toMatchObject({ name: 'Bulk Two', type: 'customer', status: 'junk', stage: 'Qualified', tags: ['expo'] });
    expect(await t.store.activities.forLead(ids[0]!)).toEqual([
      { id: 0, leadId: ids[0], type: 'created', at: at(1), userId: t.admin.id, user: 'admin@acme.example', body: null, data: { outcome: 'new', importId: 1, line: 2 } },
    ]);
    expect(await t.store.activities.forLead(ids[1]!)).toEqual([
      { id: 0, leadId: ids[1], type: 'created', at: at(1), userId: t.ravi.id, user: 'ravi@acme.example', body: null, data: { outcome: 'junk', importId: 1, line: 3 } },
    ]);
    expect((await t.store.tags.byName('new tag'))!.leads).toBe(1);
    expect((await t.store.tags.byName('expo'))!.leads).toBe(2);
    // Findable as duplicates at once, by email (lower-cased) and phone.
    expect((await t.store.imports.matchContacts(['one@bulk.example'], ['+351910000001'])).map((x) => x.id)).toEqual([ids[0], ids[0]]);
    expect(await t.store.transaction(() => t.store.imports.insertLeads([], at(2)))).toEqual([]);
  });

  it('insertLeads: a lead with its own createdAt is created then (its created entry too); updatedAt is the import\'s time', async () => {
    const s = await stageIds(t.store);
    const ids = await t.store.transaction(() =>
      t.store.imports.insertLeads([
        { fields: leadFields(s.New!, { name: 'Old One' }), importId: 1, line: 2, createdAt: '2023-04-05T06:07:08.000Z' },
        { fields: leadFields(s.New!, { name: 'Now One' }), importId: 1, line: 3 },
      ], at(1)),
    );
    expect(await t.store.leads.get(ids[0]!)).toMatchObject({ createdAt: '2023-04-05T06:07:08.000Z', updatedAt: at(1) });
    expect(await t.store.leads.get(ids[1]!)).toMatchObject({ createdAt: at(1), updatedAt: at(1) });
    expect((await t.store.activities.forLead(ids[0]!)).map((a) => [a.type, a.at])).toEqual([['created', '2023-04-05T06:07:08.000Z']]);
  });

  it("an imported lead's created entry is no activity row: it sorts with the lead's rows, and a merge moves it as a row", async () => {
    const s = await stageIds(t.store);
    const [a, b] = await t.store.transaction(() =>
      t.store.imports.insertLeads([
        { fields: leadFields(s.New!, { name: 'Imported A', createdBy: t.admin.id }), importId: 7, line: 12, createdAt: at(1) },
        { fields: leadFields(s.New!, { name: 'Imported B', createdBy: t.admin.id }), importId: 7, line: 13, createdAt: at(1) },
      ], at(3)),
    );
    await t.store.activities.add({ leadId: a!, type: 'note', at: at(2), userId: t.ravi.id, body: 'called back' });
    await t.store.activities.add({ leadId: a!, type: 'updated', at: at(1), userId: t.admin.id, data: { changes: [] } });
    expect((await t.store.activities.forLead(a!)).map((x) => [x.type, x.at, x.data])).toEqual([
      ['note', at(2), {}],
      ['updated', at(1), { changes: [] }],
      ['created', at(1), { outcome: 'new', importId: 7, line: 12 }],
    ]);
    expect((await t.store.activities.forLead(a!, 1)).map((x) => x.type)).toEqual(['note']);
    // A lead added one by one has its row and nothing more.
    const one = await insertLead(t.store, { name: 'By hand' });
    expect((await t.store.activities.forLead(one)).filter((x) => x.type === 'created')).toHaveLength(0);
    // Merging B into A: B's entry becomes a row on A (with its import and line), and B shows none.
    await t.store.transaction(() => t.store.activities.reassign(b!, a!));
    const merged = await t.store.activities.forLead(a!);
    expect(merged.filter((x) => x.type === 'created').map((x) => [x.id > 0, x.user, x.data])).toEqual([
      [true, 'admin@acme.example', { outcome: 'new', importId: 7, line: 13 }],
      [false, 'admin@acme.example', { outcome: 'new', importId: 7, line: 12 }],
    ]);
    expect(await t.store.activities.forLead(b!)).toEqual([]);
  });

  it('insertLeads after leads were added one by one: new ids, nothing overwritten', async () => {
    const s = await stageIds(t.store);
    const before = await insertLead(t.store, { name: 'Existing' });
    const ids = await t.store.transaction(() => t.store.imports.insertLeads([{ fields: leadFields(s.New!, { name: 'After' }), importId: 1, line: 2 }], at(1)));
    expect(ids[0]).not.toBe(before);
    expect((await t.store.leads.get(before))!.name).toBe('Existing');
    const after = await insertLead(t.store, { name: 'Later' });
    expect(new Set([before, ids[0], after]).size).toBe(3);
    expect((await t.store.leads.list({ sort: { key: 'id', desc: false } })).map((l) => l.name)).toEqual(['Existing', 'After', 'Later']);
  });
});
