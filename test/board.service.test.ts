import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PermissionError } from '../src/errors.js';
import { boardVersion, loadBoard, loadColumnCards, moveCard, type Board } from '../src/services/board/service.js';
import { addNote, assignLead, showLead } from '../src/services/leads/service.js';
import { addFollowUp } from '../src/services/followups/service.js';
import { openStore } from '../src/store/index.js';
import { addLeadAs, testTeam, type TestTeam } from './helpers/store.js';

const column = (b: Board, stage: string) => b.columns.find((c) => c.stage.name === stage)!;

describe('board service', () => {
  let t: TestTeam;
  beforeEach(async () => {
    t = await testTeam();
  });
  afterEach(() => t.close());

  it('gives every stage in pipeline order with count, value and weighted value per currency', async () => {
    await addLeadAs(t, t.admin, { value: '1000', stage: 'Qualified' });
    await addLeadAs(t, t.admin, { value: '2000.50', stage: 'Qualified' });
    await addLeadAs(t, t.admin, { value: '300', currency: 'USD', stage: 'Qualified' });
    await addLeadAs(t, t.admin, { stage: 'Qualified' }); // no value: counted, adds nothing
    await addLeadAs(t, t.admin, { value: '500' }); // New
    const board = await loadBoard(t.as(t.admin), {});
    expect(board.columns.map((c) => c.stage.name)).toEqual(['New', 'Contacted', 'Qualified', 'Demo', 'Proposal Sent', 'Won', 'Lost']);
    expect(board.count).toBe(5);
    const q = column(board, 'Qualified');
    expect(q.count).toBe(4);
    // Qualified is 40%: EUR 3000.50 → 1200.20 weighted; USD 300 → 120.
    expect(q.totals).toEqual([
      { currency: 'EUR', count: 3, valueMinor: 300050, weightedMinor: 120020 },
      { currency: 'USD', count: 1, valueMinor: 30000, weightedMinor: 12000 },
    ]);
    expect(column(board, 'New').totals).toEqual([{ currency: 'EUR', count: 1, valueMinor: 50000, weightedMinor: 5000 }]);
    expect(column(board, 'Demo')).toMatchObject({ count: 0, totals: [], cards: [] });
  });

  it('collapses won and lost columns unless closed ones are included', async () => {
    await addLeadAs(t, t.admin, { stage: 'Won', value: '10' });
    const closed = await loadBoard(t.as(t.admin), {});
    expect(column(closed, 'Won')).toMatchObject({ collapsed: true, count: 1, cards: [], hasMore: false });
    expect(column(closed, 'New').collapsed).toBe(false);
    const open = await loadBoard(t.as(t.admin), { includeClosed: true });
    expect(column(open, 'Won')).toMatchObject({ collapsed: false, count: 1 });
    expect(column(open, 'Won').cards).toHaveLength(1);
  });

  it('shows a rep only their own leads, in cards and in the totals', async () => {
    await addLeadAs(t, t.ravi, { name: 'Ravi Lead', value: '100' });
    await addLeadAs(t, t.priya, { name: 'Priya Lead', value: '200' });
    const board = await loadBoard(t.as(t.ravi), {});
    expect(board.count).toBe(1);
    expect(column(board, 'New').cards.map((c) => c.name)).toEqual(['Ravi Lead']);
    expect(column(board, 'New').totals[0]!.valueMinor).toBe(10000);
    const all = await loadBoard(t.as(t.manager), {});
    expect(all.count).toBe(2);
  });

  it('marks cards not attempted until something besides creation is on the timeline', async () => {
    const a = await addLeadAs(t, t.ravi, { name: 'Untouched' });
    const b = await addLeadAs(t, t.ravi, { name: 'Called' });
    await addNote(t.as(t.ravi), b.id, 'Left a voicemail');
    const cards = column(await loadBoard(t.as(t.ravi), {}), 'New').cards;
    expect(cards.find((c) => c.id === a.id)!.notAttempted).toBe(true);
    expect(cards.find((c) => c.id === b.id)!.notAttempted).toBe(false);
  });

  it('shows the next follow-up on a card, and marks one that was missed', async () => {
    const UTC = { timeZone: 'UTC' };
    const plain = await addLeadAs(t, t.ravi, { name: 'No Follow-up' });
    const next = await addLeadAs(t, t.ravi, { name: 'Next Week' });
    const missed = await addLeadAs(t, t.ravi, { name: 'Missed' });
    await addFollowUp(t.as(t.ravi), { leadId: next.id, title: 'Later', start: '2026-12-01T10:00:00Z' }, UTC);
    await addFollowUp(t.as(t.ravi), { leadId: next.id, title: 'Sooner', start: '2026-11-25T10:00:00Z' }, UTC);
    // Made two days earlier, for the day before today, and never done.
    await addFollowUp(t.as(t.ravi, new Date('2026-11-21T09:00:00Z')), { leadId: missed.id, title: 'Call back', start: '2026-11-22T10:00:00Z' }, UTC);
    const cards = column(await loadBoard(t.as(t.ravi), {}), 'New').cards;
    const card = (id: number) => cards.find((c) => c.id === id)!;
    expect(card(plain.id)).toMatchObject({ nextFollowUpAt: null, overdueFollowUp: false });
    expect(card(next.id)).toMatchObject({ nextFollowUpAt: '2026-11-25T10:00:00.000Z', overdueFollowUp: false });
    expect(card(missed.id)).toMatchObject({ nextFollowUpAt: null, overdueFollowUp: true });
  });

  it('puts initials and emails of the assignees on the card', async () => {
    const lead = await addLeadAs(t, t.admin, { name: 'Shared' });
    await assignLead(t.as(t.admin), lead.id, { to: ['ravi@acme.example', 'priya@acme.example'] });
    const [card] = column(await loadBoard(t.as(t.admin), {}), 'New').cards;
    expect(card!.initials).toEqual(['PS', 'RK']);
    expect(card!.assignees).toEqual(['priya@acme.example', 'ravi@acme.example']);
  });

  it('filters by source, tag, search and assignee like crm lead list', async () => {
    await addLeadAs(t, t.admin, { name: 'Web Vip', source: 'Website', tags: ['vip'], assign: ['ravi@acme.example'] });
    await addLeadAs(t, t.admin, { name: 'Web Plain', source: 'Website' });
    await addLeadAs(t, t.admin, { name: 'Referral Vip', source: 'Referral', tags: ['vip'] });
    const names = async (f: Parameters<typeof loadBoard>[1], as = t.admin) =>
      (await loadBoard(t.as(as), f)).columns.flatMap((c) => c.cards.map((x) => x.name)).sort();
    expect(await names({ source: ['Website'] })).toEqual(['Web Plain', 'Web Vip']);
    expect(await names({ tag: 'vip' })).toEqual(['Referral Vip', 'Web Vip']);
    expect(await names({ search: 'plain' })).toEqual(['Web Plain']);
    expect(await names({ user: 'ravi@acme.example' })).toEqual(['Web Vip']);
    expect(await names({ mine: true }, t.ravi)).toEqual(['Web Vip']);
  });

  it('loads a column a page at a time, most recently updated first', async () => {
    for (let i = 0; i < 7; i++) await addLeadAs(t, t.admin, { name: `L${i}` }, );
    const board = await loadBoard(t.as(t.admin), {}, { page: 3 });
    const col = column(board, 'New');
    expect(col).toMatchObject({ count: 7, hasMore: true });
    // Same timestamp for all (fixed clock): newest id first.
    expect(col.cards.map((c) => c.name)).toEqual(['L6', 'L5', 'L4']);
    const next = await loadColumnCards(t.as(t.admin), {}, col.stage.id, 3, 3);
    expect(next.cards.map((c) => c.name)).toEqual(['L3', 'L2', 'L1']);
    expect(next.hasMore).toBe(true);
    const last = await loadColumnCards(t.as(t.admin), {}, col.stage.id, 6, 3);
    expect(last).toMatchObject({ hasMore: false });
    expect(last.cards.map((c) => c.name)).toEqual(['L0']);
  });

  it('moves a card through the leads service: stage, timeline, and who may', async () => {
    const lead = await addLeadAs(t, t.priya, { name: 'Priya Lead' });
    const card = await moveCard(t.as(t.priya), lead.id, 'Contacted');
    expect(card).toMatchObject({ id: lead.id, notAttempted: false });
    const { lead: after, timeline } = await showLead(t.as(t.admin), lead.id);
    expect(after.stage).toBe('Contacted');
    expect(timeline[0]).toMatchObject({ type: 'stage', user: 'priya@acme.example', data: { from: 'New', to: 'Contacted' } });
    await expect(moveCard(t.as(t.ravi), lead.id, 'Qualified')).rejects.toBeInstanceOf(PermissionError);
    expect((await showLead(t.as(t.admin), lead.id)).lead.stage).toBe('Contacted');
  });

  it('has a version that changes when another connection writes', async () => {
    const v1 = await boardVersion(t.as(t.admin));
    expect(await boardVersion(t.as(t.admin))).toBe(v1);
    const other = await openStore(t.store.location);
    try {
      await other.settings.set('currency', 'USD');
    } finally {
      await other.close();
    }
    expect(await boardVersion(t.as(t.admin))).not.toBe(v1);
  });
});
