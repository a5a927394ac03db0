import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BoardTotalRow } from '../../../src/domain/board.js';
import { testTeam, type TestTeam } from '../../helpers/store.js';
import { at, insertFollowUp, insertLead, stageIds } from './builders.js';

/**
 *   lead  stage      value        assignees     updated   follow-ups (now = T0)
 *   a     New        EUR 1000     ravi          T0-50m    scheduled T0+60m..+90m, completed T0-30m..-10m
 *   b     New        -            priya, ravi   T0-40m    open T0-120m..-60m (overdue), scheduled T0+30m..+45m
 *   c     New        USD 500      -             T0-30m    cancelled T0-120m..-60m
 *   d     Qualified  EUR 250      priya         T0-20m    -
 *   e     Qualified  EUR 100      -             T0-10m    deleted lead
 */
let t: TestTeam;
let s: Record<string, number>;
const id: Record<string, number> = {};

beforeAll(async () => {
  t = await testTeam();
  s = await stageIds(t.store);
  id.a = await insertLead(t.store, { name: 'a', stageId: s.New!, valueMinor: 1000, assigneeIds: [t.ravi.id], score: 30, businessName: 'A Lda' }, at(-50));
  id.b = await insertLead(t.store, { name: 'b', stageId: s.New!, assigneeIds: [t.priya.id, t.ravi.id], type: 'customer' }, at(-40));
  id.c = await insertLead(t.store, { name: 'c', stageId: s.New!, valueMinor: 500, currency: 'USD' }, at(-30));
  id.d = await insertLead(t.store, { name: 'd', stageId: s.Qualified!, valueMinor: 250, assigneeIds: [t.priya.id] }, at(-20));
  id.e = await insertLead(t.store, { name: 'e', stageId: s.Qualified!, valueMinor: 100, deletedAt: at(-10) }, at(-10));
  // Follow-ups do not touch the lead's updatedAt.
  await insertFollowUp(t.store, id.a, { startAt: at(60), endAt: at(90) });
  await insertFollowUp(t.store, id.a, { startAt: at(-30), endAt: at(-10), status: 'completed', completedAt: at(-10) });
  await insertFollowUp(t.store, id.b, { startAt: at(-120), endAt: at(-60), status: 'open' });
  await insertFollowUp(t.store, id.b, { startAt: at(30), endAt: at(45) });
  await insertFollowUp(t.store, id.c, { startAt: at(-120), endAt: at(-60), status: 'cancelled', cancelledAt: at(-100) });
});
afterAll(() => t.close());

const sorted = (rows: BoardTotalRow[]) => [...rows].sort((x, y) => x.stageId - y.stageId || x.currency.localeCompare(y.currency));

describe('store contract: board.totals', () => {
  it('count and value sum per stage and currency of the leads the query selects (no value counts as 0)', async () => {
    expect(sorted(await t.store.board.totals({}))).toEqual(sorted([
      { stageId: s.New!, currency: 'EUR', count: 2, valueMinor: 1000 },
      { stageId: s.New!, currency: 'USD', count: 1, valueMinor: 500 },
      { stageId: s.Qualified!, currency: 'EUR', count: 1, valueMinor: 250 },
    ]));
    expect(sorted(await t.store.board.totals({ visibleTo: t.priya.id }))).toEqual(sorted([
      { stageId: s.New!, currency: 'EUR', count: 1, valueMinor: 0 },
      { stageId: s.Qualified!, currency: 'EUR', count: 1, valueMinor: 250 },
    ]));
    expect(await t.store.board.totals({ type: 'customer' })).toEqual([{ stageId: s.New!, currency: 'EUR', count: 1, valueMinor: 0 }]);
    expect(await t.store.board.totals({ search: 'nothing like it' })).toEqual([]);
  });
});

describe('store contract: board.cards', () => {
  it('the cards of the leads the query selects, most recently updated first, with their next and overdue follow-ups', async () => {
    const cards = await t.store.board.cards({ now: at(0) });
    expect(cards.map((c) => c.name)).toEqual(['d', 'c', 'b', 'a']);
    const a = cards.find((c) => c.id === id.a)!;
    expect(a).toMatchObject({
      id: id.a, type: 'lead', name: 'a', businessName: 'A Lda', stageId: s.New, valueMinor: 1000, currency: 'EUR', score: 30,
      assignees: [{ id: t.ravi.id, name: 'Ravi Kumar', email: 'ravi@acme.example' }], nextFollowUpAt: at(60), overdueFollowUp: false, updatedAt: at(-50),
    });
    const b = cards.find((c) => c.id === id.b)!;
    expect(b).toMatchObject({ type: 'customer', valueMinor: null, nextFollowUpAt: at(30), overdueFollowUp: true });
    expect(b.assignees.map((x) => x.email)).toEqual(['priya@acme.example', 'ravi@acme.example']);
    expect(cards.find((c) => c.id === id.c)).toMatchObject({ nextFollowUpAt: null, overdueFollowUp: false, assignees: [] });
    // Later: b's scheduled follow-up has ended too; a's is under way (not ended: still next).
    const later = await t.store.board.cards({ now: at(70), ids: [id.a!, id.b!] });
    expect(later.map((c) => [c.name, c.nextFollowUpAt, c.overdueFollowUp])).toEqual([['b', null, true], ['a', at(60), false]]);
  });

  it('query options, ids and paging', async () => {
    const names = async (q: Parameters<TestTeam['store']['board']['cards']>[0]) => (await t.store.board.cards(q)).map((c) => c.name);
    expect(await names({ now: at(0), stageIds: [s.Qualified!] })).toEqual(['d']);
    expect(await names({ now: at(0), visibleTo: t.ravi.id })).toEqual(['b', 'a']);
    expect(await names({ now: at(0), ids: [id.a!, id.c!, id.e!] })).toEqual(['c', 'a']);
    expect(await names({ now: at(0), ids: [] })).toEqual([]);
    expect(await names({ now: at(0), limit: 2 })).toEqual(['d', 'c']);
    expect(await names({ now: at(0), limit: 2, offset: 2 })).toEqual(['b', 'a']);
    expect(await names({ now: at(0), deleted: 'only' })).toEqual(['e']);
  });
});
