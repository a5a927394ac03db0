import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FollowUpRule, FollowUpSeries, RuleCondition } from '../../../src/domain/followups.js';
import type { OrderStatus } from '../../../src/domain/orders.js';
import { openStore } from '../../../src/store/index.js';
import { testTeam, type TestTeam } from '../../helpers/store.js';
import { at, followUpFields, insertFollowUp, insertLead, sourceIds, stageIds, T0 } from './builders.js';

const DAY = 1440;

describe('store contract: follow-ups', () => {
  let t: TestTeam;
  beforeEach(async () => {
    t = await testTeam();
  });
  afterEach(() => t.close());

  it('insert then get: every field as written, the lead\'s name, assignees resolved, created and updated at the insert time', async () => {
    const lead = await insertLead(t.store, { name: 'Ana Sousa' });
    const fields = followUpFields(lead, {
      title: 'Demo prep', type: 'meeting', priority: 'high', status: 'open', category: 'Sales', description: 'bring the deck',
      startAt: at(60), endAt: at(120), notifyBefore: [15, 60], channels: ['email', 'inbox'], assigneeIds: [t.ravi.id, t.priya.id], createdBy: t.admin.id,
    });
    const id = await t.store.transaction(() => t.store.followUps.insert(fields, at(-5)));
    const f = (await t.store.followUps.get(id))!;
    expect({ ...f, assigneeIds: [...f.assigneeIds].sort(), assignees: [...f.assignees].sort((a, b) => a.id - b.id) }).toEqual({
      ...fields, orderId: null, id, leadName: 'Ana Sousa', assigneeIds: [t.ravi.id, t.priya.id].sort(),
      assignees: [
        { id: t.ravi.id, name: 'Ravi Kumar', email: 'ravi@acme.example' },
        { id: t.priya.id, name: 'Priya Shah', email: 'priya@acme.example' },
      ].sort((a, b) => a.id - b.id),
      createdAt: at(-5), updatedAt: at(-5),
    });
    expect(await t.store.followUps.get(id + 1000)).toBeUndefined();
  });

  it('update changes only the patch, replaces the assignees when given, stamps updatedAt', async () => {
    const lead = await insertLead(t.store);
    const id = await insertFollowUp(t.store, lead, { assigneeIds: [t.ravi.id], notifyBefore: [10] }, at(-60));
    await t.store.transaction(() => t.store.followUps.update(id, { status: 'completed', completedAt: at(-1) }, at(-1)));
    expect(await t.store.followUps.get(id)).toMatchObject({ status: 'completed', completedAt: at(-1), assigneeIds: [t.ravi.id], notifyBefore: [10], createdAt: at(-60), updatedAt: at(-1) });
    await t.store.transaction(() => t.store.followUps.update(id, { assigneeIds: [t.priya.id], title: 'Renamed', notifyBefore: [] }, at(0)));
    expect(await t.store.followUps.get(id)).toMatchObject({ title: 'Renamed', assigneeIds: [t.priya.id], notifyBefore: [], status: 'completed' });
  });

  describe('list', () => {
    let ids: Record<string, number>;
    let leads: Record<string, number>;
    beforeEach(async () => {
      leads = {
        ravis: await insertLead(t.store, { name: 'Ravi\'s lead', assigneeIds: [t.ravi.id] }),
        open: await insertLead(t.store, { name: 'Nobody\'s lead' }),
        gone: await insertLead(t.store, { name: 'Deleted lead', assigneeIds: [t.ravi.id] }),
      };
      ids = {
        // On Ravi's lead, assigned to Priya: visible to both.
        early: await insertFollowUp(t.store, leads.ravis!, { title: 'early', startAt: at(-120), endAt: at(-90), assigneeIds: [t.priya.id] }),
        // On nobody's lead, assigned to Ravi.
        mid: await insertFollowUp(t.store, leads.open!, { title: 'mid', startAt: at(0), endAt: at(30), assigneeIds: [t.ravi.id], status: 'open' }),
        // On nobody's lead, nobody's follow-up.
        late: await insertFollowUp(t.store, leads.open!, { title: 'late', startAt: at(DAY), endAt: at(DAY + 30), status: 'completed' }),
        onDeleted: await insertFollowUp(t.store, leads.gone!, { title: 'on a deleted lead', startAt: at(10), endAt: at(20), assigneeIds: [t.ravi.id] }),
      };
      await t.store.transaction(() => t.store.leads.update(leads.gone!, { deletedAt: at(-1) }, at(-1)));
    });
    const titles = async (q: Parameters<TestTeam['store']['followUps']['list']>[0]) => (await t.store.followUps.list(q)).map((f) => f.title);

    it('orders by start; leaves out follow-ups of deleted leads', async () => {
      expect(await titles({})).toEqual(['early', 'mid', 'late']);
    });
    it('leadId, statuses, limit', async () => {
      expect(await titles({ leadId: leads.open! })).toEqual(['mid', 'late']);
      expect(await titles({ statuses: ['scheduled', 'open'] })).toEqual(['early', 'mid']);
      expect(await titles({ statuses: ['cancelled'] })).toEqual([]);
      expect(await titles({ limit: 2 })).toEqual(['early', 'mid']);
    });
    it('startFrom / startBefore / endBefore (overdue)', async () => {
      expect(await titles({ startFrom: at(-1), startBefore: at(DAY) })).toEqual(['mid']);
      expect(await titles({ startBefore: at(0) })).toEqual(['early']);
      expect(await titles({ startFrom: at(DAY) })).toEqual(['late']);
      expect(await titles({ endBefore: T0 })).toEqual(['early']);
      expect(await titles({ endBefore: T0, statuses: ['scheduled', 'open'] })).toEqual(['early']);
    });
    it('assigneeId: assigned to the user; visibleTo: assigned to them or on a lead assigned to them', async () => {
      expect(await titles({ assigneeId: t.ravi.id })).toEqual(['mid']);
      expect(await titles({ assigneeId: t.priya.id })).toEqual(['early']);
      expect(await titles({ visibleTo: t.ravi.id })).toEqual(['early', 'mid']);
      expect(await titles({ visibleTo: t.priya.id })).toEqual(['early']);
      expect(await titles({ visibleTo: t.manager.id })).toEqual([]);
    });
  });

  it('setReminders replaces the unsent reminders, keeps the sent ones; reminders lists them by due time', async () => {
    const lead = await insertLead(t.store);
    const id = await insertFollowUp(t.store, lead, { startAt: at(60), endAt: at(90) });
    await t.store.transaction(() => t.store.followUps.setReminders(id, [
      { minutesBefore: 15, channel: 'email', dueAt: at(45) },
      { minutesBefore: 60, channel: 'inbox', dueAt: at(0) },
    ]));
    const first = await t.store.followUps.reminders(id);
    expect(first.map((r) => [r.minutesBefore, r.channel, r.dueAt, r.sentAt, r.followUpId])).toEqual([[60, 'inbox', at(0), null, id], [15, 'email', at(45), null, id]]);
    expect(await t.store.reminders.markSent(first[0]!.id, at(1))).toBe(true);
    await t.store.transaction(() => t.store.followUps.setReminders(id, [{ minutesBefore: 30, channel: 'sms', dueAt: at(30) }]));
    expect((await t.store.followUps.reminders(id)).map((r) => [r.minutesBefore, r.channel, r.sentAt])).toEqual([[60, 'inbox', at(1)], [30, 'sms', null]]);
    await t.store.transaction(() => t.store.followUps.setReminders(id, []));
    expect((await t.store.followUps.reminders(id)).map((r) => r.minutesBefore)).toEqual([60]);
  });

  it('addLog and logs: in time order, with the author\'s email', async () => {
    const lead = await insertLead(t.store);
    const id = await insertFollowUp(t.store, lead);
    const l2 = await t.store.followUps.addLog({ followUpId: id, type: 'completed', at: at(10), subject: 'Done', description: 'went well', userId: t.ravi.id });
    const l1 = await t.store.followUps.addLog({ followUpId: id, type: 'rescheduled', at: at(5), subject: null, description: null, userId: t.priya.id });
    expect(await t.store.followUps.logs(id)).toEqual([
      { id: l1, followUpId: id, type: 'rescheduled', at: at(5), subject: null, description: null, user: 'priya@acme.example' },
      { id: l2, followUpId: id, type: 'completed', at: at(10), subject: 'Done', description: 'went well', user: 'ravi@acme.example' },
    ]);
    expect(await t.store.followUps.logs(id + 1000)).toEqual([]);
  });

  it('findOccurrence and findByRule find what was made already (idempotence)', async () => {
    const lead = await insertLead(t.store);
    const other = await insertLead(t.store);
    const series = await t.store.followUpSeries.insert({ leadId: lead, everyDays: 7, until: null, timeZone: 'UTC', template: seriesTemplate(lead), active: true }, T0);
    const rule = await t.store.followUpRules.insert(ruleFields('stale'), T0);
    const occ2 = await insertFollowUp(t.store, lead, { seriesId: series, occurrence: 2 });
    const byRule = await insertFollowUp(t.store, lead, { ruleId: rule });
    expect(await t.store.followUps.findOccurrence(series, 2)).toBe(occ2);
    expect(await t.store.followUps.findOccurrence(series, 3)).toBeUndefined();
    expect(await t.store.followUps.findByRule(rule, lead)).toBe(byRule);
    expect(await t.store.followUps.findByRule(rule, other)).toBeUndefined();
  });

  it('a rule\'s follow-ups about invoices: one per (rule, lead, invoice), found by invoice; the store refuses a second', async () => {
    const lead = await insertLead(t.store);
    const rule = await t.store.followUpRules.insert(ruleFields('unpaid', [{ field: 'invoice-overdue', op: '>', days: 14 }]), T0);
    const [a, b] = [await insertInvoice(t, lead, 'I-1', '2026-11-01'), await insertInvoice(t, lead, 'I-2', '2026-11-02')];
    const onA = await insertFollowUp(t.store, lead, { ruleId: rule, orderId: a });
    const onB = await insertFollowUp(t.store, lead, { ruleId: rule, orderId: b });
    const plain = await insertFollowUp(t.store, lead, { ruleId: rule });
    expect((await t.store.followUps.get(onA))!.orderId).toBe(a);
    expect(await t.store.followUps.findByRule(rule, lead, a)).toBe(onA);
    expect(await t.store.followUps.findByRule(rule, lead, b)).toBe(onB);
    expect(await t.store.followUps.findByRule(rule, lead)).toBe(plain);
    await expect(t.store.transaction(() => t.store.followUps.insert(followUpFields(lead, { ruleId: rule, orderId: a }), T0))).rejects.toThrow();
    await expect(t.store.transaction(() => t.store.followUps.insert(followUpFields(lead, { ruleId: rule }), T0))).rejects.toThrow();
  });

  it('matchingInvoices: unpaid invoices (billed, partially paid) due before today − N days (on it too with >=), of live active leads meeting the other conditions', async () => {
    const s = await stageIds(t.store);
    const lead = await insertLead(t.store, { name: 'Ana', stageId: s.Qualified! });
    const other = await insertLead(t.store, { name: 'Rui', stageId: s.New! });
    const junk = await insertLead(t.store, { name: 'junk', status: 'junk' });
    const late = await insertInvoice(t, lead, 'I-1', '2026-11-01');
    const edge = await insertInvoice(t, lead, 'I-2', '2026-11-09', 'partially-paid');
    await insertInvoice(t, lead, 'I-3', '2026-11-01', 'paid');
    await insertInvoice(t, lead, 'I-4', '2026-11-01', 'cancelled');
    await insertInvoice(t, lead, 'I-5', '2026-11-20');
    const others = await insertInvoice(t, other, 'I-6', '2026-10-01');
    await insertInvoice(t, junk, 'I-7', '2026-10-01');
    const today = '2026-11-23';
    const match = (conditions: RuleCondition[]) => t.store.followUpRules.matchingInvoices(conditions, T0, today);
    expect(await match([{ field: 'invoice-overdue', op: '>', days: 14 }])).toEqual([{ leadId: other, orderId: others }, { leadId: lead, orderId: late }]);
    expect(await match([{ field: 'invoice-overdue', op: '>=', days: 14 }])).toEqual([{ leadId: other, orderId: others }, { leadId: lead, orderId: late }, { leadId: lead, orderId: edge }]);
    expect(await match([{ field: 'stage', op: '=', value: 'Qualified' }, { field: 'invoice-overdue', op: '>', days: 14 }])).toEqual([{ leadId: lead, orderId: late }]);
    expect(await match([{ field: 'stage', op: '=', value: 'Qualified' }])).toEqual([]);
    expect(await t.store.followUpRules.matchingLeads([{ field: 'invoice-overdue', op: '>', days: 14 }], T0, today)).toEqual([lead, other].sort((x, y) => x - y));
  });

  it('moveToLead moves follow-ups and series; a rule\'s follow-up the target already has stays the rule\'s only one', async () => {
    const from = await insertLead(t.store, { name: 'From' });
    const to = await insertLead(t.store, { name: 'To' });
    const rule = await t.store.followUpRules.insert(ruleFields('stale'), T0);
    const plain = await insertFollowUp(t.store, from, { title: 'plain' });
    const fromRule = await insertFollowUp(t.store, from, { title: 'from rule', ruleId: rule });
    const toRule = await insertFollowUp(t.store, to, { title: 'to rule', ruleId: rule });
    const series = await t.store.followUpSeries.insert({ leadId: from, everyDays: 1, until: null, timeZone: 'UTC', template: seriesTemplate(from), active: true }, T0);
    await t.store.transaction(() => t.store.followUps.moveToLead(from, to));
    expect(await t.store.followUps.list({ leadId: from })).toEqual([]);
    expect((await t.store.followUps.list({ leadId: to })).map((f) => f.title).sort()).toEqual(['from rule', 'plain', 'to rule']);
    expect((await t.store.followUps.get(plain))!.leadName).toBe('To');
    expect(await t.store.followUps.findByRule(rule, to)).toBe(toRule);
    expect((await t.store.followUps.get(fromRule))!.ruleId).toBeNull();
    expect((await t.store.followUpSeries.get(series))!.leadId).toBe(to);
  });
});

/** A billed invoice of a lead, due on a day, in a status (default billed). */
async function insertInvoice(t: TestTeam, leadId: number, number: string, dueOn: string, status: OrderStatus = 'billed'): Promise<number> {
  return t.store.transaction(async () => {
    const id = await t.store.orders.insert({ leadId, proposalId: null, title: number, currency: 'EUR', items: [], subtotalMinor: 1000, discountMinor: 0, taxMinor: 0, totalMinor: 1000, createdBy: t.admin.id }, T0);
    await t.store.orders.update(id, { status, invoiceNumber: number, billedAt: T0, dueOn, paidMinor: status === 'paid' ? 1000 : status === 'partially-paid' ? 400 : 0 }, T0);
    return id;
  });
}

function seriesTemplate(leadId: number): FollowUpSeries['template'] {
  const { seriesId: _s, occurrence: _o, ruleId: _r, orderId: _oi, status: _st, completedAt: _c, cancelledAt: _x, ...rest } = followUpFields(leadId, { title: 'Weekly check-in', notifyBefore: [10], channels: ['inbox'] });
  return rest;
}

function ruleFields(name: string, conditions: RuleCondition[] = [{ field: 'no-activity', op: '>', days: 14 }]): Omit<FollowUpRule, 'id' | 'createdAt'> {
  return { name, where: 'no-activity > 14d', conditions, title: 'Re-engage', type: 'call', priority: 'high', assign: 'owner', dueInMinutes: 60, durationMinutes: 15, createdBy: null };
}

describe('store contract: follow-up series', () => {
  let t: TestTeam;
  beforeEach(async () => {
    t = await testTeam();
  });
  afterEach(() => t.close());

  it('insert then get: every field, the template as written; list by id, activeOnly, none of deleted leads', async () => {
    const lead = await insertLead(t.store);
    const gone = await insertLead(t.store);
    const template = seriesTemplate(lead);
    const a = await t.store.followUpSeries.insert({ leadId: lead, everyDays: 7, until: '2027-01-31', timeZone: 'Europe/Lisbon', template, active: true }, at(-1));
    const b = await t.store.followUpSeries.insert({ leadId: lead, everyDays: 1, until: null, timeZone: 'UTC', template, active: false }, at(0));
    const c = await t.store.followUpSeries.insert({ leadId: gone, everyDays: 2, until: null, timeZone: 'UTC', template: seriesTemplate(gone), active: true }, at(0));
    expect(await t.store.followUpSeries.get(a)).toEqual({ id: a, leadId: lead, everyDays: 7, until: '2027-01-31', timeZone: 'Europe/Lisbon', template, active: true, createdAt: at(-1) });
    expect((await t.store.followUpSeries.list()).map((x) => x.id)).toEqual([a, b, c]);
    await t.store.transaction(() => t.store.leads.update(gone, { deletedAt: at(1) }, at(1)));
    expect((await t.store.followUpSeries.list()).map((x) => x.id)).toEqual([a, b]);
    expect((await t.store.followUpSeries.list({ activeOnly: true })).map((x) => x.id)).toEqual([a]);
    expect(await t.store.followUpSeries.get(c)).toMatchObject({ id: c, leadId: gone });
    expect(await t.store.followUpSeries.get(c + 100)).toBeUndefined();
  });
});

describe('store contract: follow-up rules', () => {
  let t: TestTeam;
  beforeEach(async () => {
    t = await testTeam();
  });
  afterEach(() => t.close());

  it('insert, list by id, byName (case-insensitive): conditions and assignment as written', async () => {
    const conditions: RuleCondition[] = [{ field: 'stage', op: '=', value: 'New' }, { field: 'score', op: '>=', value: 50 }, { field: 'no-activity', op: '>=', days: 3 }];
    const a = await t.store.followUpRules.insert({ ...ruleFields('Hot and idle', conditions), assign: [t.ravi.id, t.priya.id], createdBy: t.manager.id }, at(-1));
    const b = await t.store.followUpRules.insert(ruleFields('stale'), at(0));
    expect(await t.store.followUpRules.byName('HOT AND IDLE')).toEqual({
      ...ruleFields('Hot and idle', conditions), id: a, assign: [t.ravi.id, t.priya.id], createdBy: t.manager.id, createdAt: at(-1),
    });
    expect((await t.store.followUpRules.list()).map((r) => [r.id, r.name, r.assign])).toEqual([[a, 'Hot and idle', [t.ravi.id, t.priya.id]], [b, 'stale', 'owner']]);
    expect(await t.store.followUpRules.byName('nope')).toBeUndefined();
  });

  describe('matchingLeads', () => {
    let m: Record<string, number>;
    beforeEach(async () => {
      const s = await stageIds(t.store);
      const src = await sourceIds(t.store);
      m = {
        idle: await insertLead(t.store, { name: 'idle', stageId: s.New!, sourceId: src.Website!, tags: ['vip'], score: 70 }, at(-30 * DAY)),
        recent: await insertLead(t.store, { name: 'recent', stageId: s.Contacted!, sourceId: src.Referral!, score: 30 }, at(-30 * DAY)),
        fresh: await insertLead(t.store, { name: 'fresh', stageId: s.New!, score: 50 }, at(-1 * DAY)),
      };
      // Never matched: junk, deleted.
      await insertLead(t.store, { name: 'junk', stageId: s.New!, score: 70, status: 'junk' }, at(-30 * DAY));
      await insertLead(t.store, { name: 'deleted', stageId: s.New!, score: 70, deletedAt: at(-DAY) }, at(-30 * DAY));
      // recent's last timeline entry is exactly two days before now.
      await t.store.activities.add({ leadId: m.recent!, type: 'note', at: at(-2 * DAY), userId: null, body: 'spoke' });
    });
    const match = (conditions: RuleCondition[]) => t.store.followUpRules.matchingLeads(conditions, T0);

    it.each<[string, RuleCondition[], string[]]>([
      ['no conditions: every live, active lead', [], ['idle', 'recent', 'fresh']],
      ['stage = (case-insensitive)', [{ field: 'stage', op: '=', value: 'new' }], ['idle', 'fresh']],
      ['stage !=', [{ field: 'stage', op: '!=', value: 'New' }], ['recent']],
      ['source =', [{ field: 'source', op: '=', value: 'website' }], ['idle']],
      ['source != keeps leads with no source', [{ field: 'source', op: '!=', value: 'Website' }], ['recent', 'fresh']],
      ['tag =', [{ field: 'tag', op: '=', value: 'VIP' }], ['idle']],
      ['tag !=', [{ field: 'tag', op: '!=', value: 'vip' }], ['recent', 'fresh']],
      ['score >', [{ field: 'score', op: '>', value: 30 }], ['idle', 'fresh']],
      ['score >=', [{ field: 'score', op: '>=', value: 50 }], ['idle', 'fresh']],
      ['score <', [{ field: 'score', op: '<', value: 50 }], ['recent']],
      ['score <=', [{ field: 'score', op: '<=', value: 50 }], ['recent', 'fresh']],
      ['score =', [{ field: 'score', op: '=', value: 70 }], ['idle']],
      ['score !=', [{ field: 'score', op: '!=', value: 70 }], ['recent', 'fresh']],
      ['no-activity > 14 days (creation counts when there is no entry)', [{ field: 'no-activity', op: '>', days: 14 }], ['idle']],
      ['no-activity >= 2 days includes a last entry exactly 2 days old', [{ field: 'no-activity', op: '>=', days: 2 }], ['idle', 'recent']],
      ['no-activity > 2 days excludes it', [{ field: 'no-activity', op: '>', days: 2 }], ['idle']],
      ['every condition must hold', [{ field: 'stage', op: '=', value: 'New' }, { field: 'score', op: '>=', value: 50 }, { field: 'no-activity', op: '>', days: 14 }], ['idle']],
    ])('%s', async (_label, conditions, expected) => {
      expect(await match(conditions)).toEqual(expected.map((k) => m[k]));
    });
  });
});

describe('store contract: reminders due and marked sent', () => {
  let t: TestTeam;
  beforeEach(async () => {
    t = await testTeam();
  });
  afterEach(() => t.close());

  it('due: unsent reminders due by now of scheduled or open follow-ups, oldest first, with what the message needs', async () => {
    const lead = await insertLead(t.store);
    const f1 = await insertFollowUp(t.store, lead, { title: 'Call Ana', startAt: at(10), endAt: at(40), assigneeIds: [t.ravi.id, t.priya.id] });
    const done = await insertFollowUp(t.store, lead, { title: 'Done', status: 'completed' });
    const open = await insertFollowUp(t.store, lead, { title: 'Open', status: 'open', startAt: at(20), endAt: at(30) });
    await t.store.transaction(async () => {
      await t.store.followUps.setReminders(f1, [{ minutesBefore: 10, channel: 'email', dueAt: at(0) }, { minutesBefore: 20, channel: 'inbox', dueAt: at(-10) }]);
      await t.store.followUps.setReminders(done, [{ minutesBefore: 60, channel: 'email', dueAt: at(-60) }]);
      await t.store.followUps.setReminders(open, [{ minutesBefore: 5, channel: 'sms', dueAt: at(15) }]);
    });
    const due = await t.store.reminders.due(T0, 10);
    expect(due.map((r) => ({ ...r, assigneeIds: [...r.assigneeIds].sort() }))).toEqual([
      { id: due[0]!.id, followUpId: f1, minutesBefore: 20, channel: 'inbox', dueAt: at(-10), sentAt: null, leadId: lead, title: 'Call Ana', startAt: at(10), assigneeIds: [t.ravi.id, t.priya.id].sort() },
      { id: due[1]!.id, followUpId: f1, minutesBefore: 10, channel: 'email', dueAt: at(0), sentAt: null, leadId: lead, title: 'Call Ana', startAt: at(10), assigneeIds: [t.ravi.id, t.priya.id].sort() },
    ]);
    expect((await t.store.reminders.due(T0, 1)).map((r) => r.dueAt)).toEqual([at(-10)]);
    expect((await t.store.reminders.due(at(15), 10)).map((r) => r.title)).toEqual(['Call Ana', 'Call Ana', 'Open']);
    // Marked sent: no longer due; a second mark is refused.
    expect(await t.store.reminders.markSent(due[0]!.id, at(1))).toBe(true);
    expect(await t.store.reminders.markSent(due[0]!.id, at(2))).toBe(false);
    expect((await t.store.reminders.due(T0, 10)).map((r) => r.dueAt)).toEqual([at(0)]);
    expect((await t.store.followUps.reminders(f1)).find((r) => r.id === due[0]!.id)!.sentAt).toBe(at(1));
    // A follow-up cancelled since: its reminders are no longer due.
    await t.store.transaction(() => t.store.followUps.update(f1, { status: 'cancelled', cancelledAt: at(3) }, at(3)));
    expect(await t.store.reminders.due(T0, 10)).toEqual([]);
  });

  it('two flows marking the same reminder get it once between them: in one process, and from another store on the location', async () => {
    const lead = await insertLead(t.store);
    const f = await insertFollowUp(t.store, lead);
    await t.store.transaction(() => t.store.followUps.setReminders(f, [
      { minutesBefore: 10, channel: 'email', dueAt: at(0) },
      { minutesBefore: 20, channel: 'email', dueAt: at(-10) },
    ]));
    const [r1, r2] = await t.store.reminders.due(T0, 2);
    const results = await Promise.all([
      t.store.transaction(() => t.store.reminders.markSent(r1!.id, at(1))),
      t.store.transaction(() => t.store.reminders.markSent(r1!.id, at(1))),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const other = await openStore(t.store.location);
    try {
      expect(await other.transaction(() => other.reminders.markSent(r1!.id, at(2)))).toBe(false);
      expect(await other.transaction(() => other.reminders.markSent(r2!.id, at(2)))).toBe(true);
    } finally {
      await other.close();
    }
    expect(await t.store.reminders.markSent(r2!.id, at(3))).toBe(false);
    expect(await t.store.reminders.due(T0, 10)).toEqual([]);
  });
});
