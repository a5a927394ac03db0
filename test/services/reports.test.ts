import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermissionError, UsageError } from '../../src/errors.js';
import { addAppointment, changeAppointment } from '../../src/services/appointments/service.js';
import { logCall } from '../../src/services/calls/service.js';
import { addFollowUp, cancelFollowUp, completeFollowUp } from '../../src/services/followups/service.js';
import { addLead, convertLead, loseLead, moveLead, type LeadInput } from '../../src/services/leads/service.js';
import { dashboard } from '../../src/services/reports/dashboard.js';
import { runReport } from '../../src/services/reports/reports.js';
import { setSetting } from '../../src/services/settings/service.js';
import { aLead, FIXED_NOW, testTeam, type TestTeam } from '../helpers/store.js';

/**
 * A small, hand-checkable team: every expected figure below is counted by hand from this
 * setup (now = Monday 2026-11-23 09:00 UTC, reports in UTC).
 */
const at = (iso: string) => new Date(iso);
const UTC = { timeZone: 'UTC' };
let t: TestTeam;
const ids: Record<string, number> = {};

beforeAll(async () => {
  t = await testTeam();
  const { admin, ravi, priya } = t;
  // Each lead is added at its creation time (the service's clock), as a user would have added it.
  const add = async (created: string, overrides: Partial<LeadInput>) => (await addLead(t.as(admin, at(created)), aLead(overrides))).lead.id;
  // L1 ravi, Website, EUR 1,000, today 08:00 → Qualified at 08:20.
  ids.l1 = await add('2026-11-23T08:00:00.000Z', { name: 'L1', source: 'Website', value: '1000', assign: ['ravi@acme.example'] });
  // L2 ravi, Referral, EUR 2,000, created 10 Nov, converted by ravi today 08:30.
  ids.l2 = await add('2026-11-10T12:00:00.000Z', { name: 'L2', source: 'Referral', value: '2000', assign: ['ravi@acme.example'] });
  // L3 priya, Website, EUR 500, created 15 Oct (previous month), lost.
  ids.l3 = await add('2026-10-15T12:00:00.000Z', { name: 'L3', source: 'Website', value: '500', assign: ['priya@acme.example'] });
  // L4 priya, Phone, no value, today 07:00, never attempted (only a cancelled follow-up).
  ids.l4 = await add('2026-11-23T07:00:00.000Z', { name: 'L4', source: 'Phone', assign: ['priya@acme.example'] });
  // L5 unassigned, Website, EUR 3,000 in Demo, created 1 Nov, birthday today.
  ids.l5 = await add('2026-11-01T12:00:00.000Z', { name: 'L5', source: 'Website', value: '3000', stage: 'Demo', birthday: '1990-11-23' });
  // L6 unassigned, USD 700, birthday in 3 days, created 2 Nov.
  ids.l6 = await add('2026-11-02T12:00:00.000Z', { name: 'L6', value: '700', currency: 'USD', birthday: '11-26' });

  await moveLead(t.as(ravi, at('2026-11-23T08:20:00Z')), ids.l1!, 'Qualified');
  await convertLead(t.as(ravi, at('2026-11-23T08:30:00Z')), ids.l2!, 'SO-1');
  await loseLead(t.as(priya, at('2026-11-20T10:00:00Z')), ids.l3!, 'Price');

  // Follow-ups: ravi today 10:00 (scheduled); ravi 20 Nov (overdue); priya 21 Nov completed; priya cancelled.
  const fu = async (user: typeof ravi, lead: number, start: string, when = FIXED_NOW) =>
    (await addFollowUp(t.as(user, when), { leadId: lead, title: 'FU', type: 'call', start, duration: '30m', category: 'Sales' }, UTC)).followUp.id;
  await fu(ravi, ids.l1!, '2026-11-23 10:00');
  await fu(ravi, ids.l2!, '2026-11-20 10:00', at('2026-11-19T09:00:00Z'));
  const f3 = await fu(priya, ids.l3!, '2026-11-21 10:00', at('2026-11-19T09:00:00Z'));
  await completeFollowUp(t.as(priya, at('2026-11-21T10:20:00Z')), f3);
  const f4 = await fu(priya, ids.l4!, '2026-11-24 10:00');
  await cancelFollowUp(t.as(priya), f4);

  // Calls: ravi two today (08:10, 08:40) and one yesterday; priya one on 5 Nov.
  const call = (user: typeof ravi, lead: number, when: string) => logCall(t.as(user), { leadId: lead, direction: 'out', outcome: 'connected', duration: '2m', at: when }, UTC);
  await call(ravi, ids.l1!, '2026-11-23 08:10');
  await call(ravi, ids.l1!, '2026-11-23 08:40');
  await call(ravi, ids.l2!, '2026-11-22 16:00');
  await call(priya, ids.l3!, '2026-11-05 11:00');

  // Demos: L5 on 20 Nov, completed; L1 tomorrow 11:00, confirmed; one last month, cancelled.
  const demo = async (lead: number, when: string) => (await addAppointment(t.as(admin), { leadId: lead, kind: 'demo', at: when, duration: '45m', past: true }, UTC)).id;
  const d1 = await demo(ids.l5!, '2026-11-20 15:00');
  await changeAppointment(t.as(admin, at('2026-11-20T16:00:00Z')), d1, 'complete');
  const d2 = await demo(ids.l1!, '2026-11-24 11:00');
  await changeAppointment(t.as(admin), d2, 'confirm');
  const d3 = await demo(ids.l3!, '2026-10-10 11:00');
  await changeAppointment(t.as(admin), d3, 'cancel');
});
afterAll(() => t.close());

describe('dashboard (D1)', () => {
  it('admin: every KPI for the whole team', async () => {
    await setSetting(t.as(t.admin), 'dashboard.hot-sources', 'Website');
    const d = await dashboard(t.as(t.admin), 'UTC');
    expect(d.scope).toBe('all');
    expect(d.followUps).toEqual({ overdue: 1, open: 2, today: 1, myToday: 0, myByStatus: { scheduled: 0, open: 0, completed: 0, cancelled: 0 } });
    expect(d.leads).toMatchObject({ leads: 5, customers: 1, conversionRatePct: 16.7, newThisMonth: 5, previousMonth: 1, hot: 2, notAttempted: 2, lost: 1, mine: 0, myConversions: 0 });
    expect(d.demos).toEqual({ thisMonth: { scheduled: 2, completed: 1 }, previousMonth: { scheduled: 0, completed: 0 } });
    expect(d.pipeline.open).toEqual([
      { currency: 'EUR', amountMinor: 400_000, weightedMinor: 220_000 },
      { currency: 'USD', amountMinor: 70_000, weightedMinor: 7_000 },
    ]);
    const byStage = Object.fromEntries(d.pipeline.byStage.map((s) => [s.stage, s.count]));
    expect(byStage).toEqual({ New: 2, Contacted: 0, Qualified: 1, Demo: 1, 'Proposal Sent': 0, Won: 1, Lost: 1 });
    expect(d.admin!.sources.find((s) => s.source === 'Website')).toEqual({ source: 'Website', contacts: 3, customers: 0, conversionPct: 0 });
    expect(d.admin!.sources.find((s) => s.source === 'Referral')).toEqual({ source: 'Referral', contacts: 1, customers: 1, conversionPct: 100 });
    expect(d.admin!.birthdays.today.map((b) => b.name)).toEqual(['L5']);
    expect(d.admin!.birthdays.next30Days.map((b) => [b.name, b.inDays])).toEqual([['L6', 3]]);
  });

  it('a rep sees only their own figures and no team section', async () => {
    const d = await dashboard(t.as(t.ravi), 'UTC');
    expect(d.scope).toBe('own');
    expect(d.admin).toBeNull();
    expect(d.followUps).toMatchObject({ overdue: 1, open: 2, today: 1, myToday: 1 });
    expect(d.leads).toMatchObject({ leads: 1, customers: 1, conversionRatePct: 50, mine: 1, myConversions: 1, notAttempted: 0 });
    expect(d.calls).toEqual({ today: 2, yesterday: 1, thisMonth: 3 });
    const priya = await dashboard(t.as(t.priya), 'UTC');
    expect(priya.calls).toEqual({ today: 0, yesterday: 0, thisMonth: 1 });
    expect(priya.leads).toMatchObject({ leads: 2, lost: 1, notAttempted: 1, previousMonth: 1, newThisMonth: 1 });
  });

  it('"today" follows the time zone', async () => {
    const la = await dashboard(t.as(t.ravi), 'America/Los_Angeles');
    // In LA it is 01:00 on the 23rd: the 08:10 and 08:40 UTC calls were on the 23rd 00:10/00:40 local, the 22nd 16:00 UTC call on the 22nd 08:00.
    expect(la.calls).toEqual({ today: 2, yesterday: 1, thisMonth: 3 });
    const tokyo = await dashboard(t.as(t.ravi, at('2026-11-23T16:00:00Z')), 'Asia/Tokyo');
    // 16:00 UTC is the 24th 01:00 in Tokyo: all three calls (23rd 01:00, 17:10, 17:40 local) are yesterday's.
    expect(tokyo.calls).toEqual({ today: 0, yesterday: 3, thisMonth: 3 });
  });
});

describe('reports (R1)', () => {
  const run = (name: string, o: Parameters<typeof runReport>[2] = {}, user = t.admin) => runReport(t.as(user), name, o, 'UTC');

  it('follow-ups by user and by contact, with a category and a range', async () => {
    const byUser = await run('followups', { by: 'user' });
    expect(byUser.rows).toEqual([
      { key: 'priya@acme.example', detail: null, scheduled: 0, open: 0, completed: 1, cancelled: 1, total: 2 },
      { key: 'ravi@acme.example', detail: null, scheduled: 2, open: 0, completed: 0, cancelled: 0, total: 2 },
    ]);
    const ranged = await run('followups', { by: 'contact', from: '2026-11-21', to: '2026-11-23', category: 'sales' });
    expect(ranged.rows.map((r) => [r.key, r.total])).toEqual([[`L1 #${ids.l1}`, 1], [`L3 #${ids.l3}`, 1]]);
    await expect(run('followups', { by: 'team' })).rejects.toThrow(/cannot group by 'team'/);
    await expect(run('followups', { by: 'user', from: '2026-11-23', to: '2026-11-01' })).rejects.toThrow(/ends .* before it starts/);
  });

  it('conversions by user and in detail', async () => {
    expect((await run('conversions')).rows).toEqual([{ user: 'ravi@acme.example', name: 'Ravi Kumar', conversions: 1 }]);
    expect((await run('conversions', { details: true })).rows).toEqual([
      { id: ids.l2, name: 'L2', businessName: null, user: 'ravi@acme.example', convertedAt: '2026-11-23T08:30:00.000Z', orderId: 'SO-1', previousType: 'lead' },
    ]);
  });

  it('leads per user, source and status for a day and a range', async () => {
    const today = await run('leads', { by: 'user', day: 'today' });
    expect(today.rows.map((r) => [r.key, r.leads])).toEqual([['priya@acme.example', 1], ['ravi@acme.example', 1]]);
    const nov = await run('leads', { by: 'source', from: '2026-11-01', to: '2026-11-30' });
    expect(nov.rows.map((r) => [r.key, r.leads, r.customers, r.conversionPct])).toEqual([
      ['Website', 2, 0, 0], ['(none)', 1, 0, 0], ['Phone', 1, 0, 0], ['Referral', 1, 1, 100],
    ]);
    const status = await run('leads', { by: 'status', from: '2026-10-01', to: '2026-11-30' });
    expect(Object.fromEntries(status.rows.map((r) => [r.key, r.leads]))).toEqual({ New: 2, Qualified: 1, Demo: 1, Won: 1, Lost: 1 });
  });

  it('hourly performance of a day', async () => {
    const r = await run('performance', { day: '2026-11-23' });
    expect(r.rows).toEqual([{ hour: '08:00', calls: 2, emails: 0, meetings: 0, won: 1, revenue: [{ currency: 'EUR', amountMinor: 200000 }] }]);
    const yesterday = await run('performance', { day: 'yesterday' }, t.ravi);
    expect(yesterday.rows).toEqual([{ hour: '16:00', calls: 1, emails: 0, meetings: 0, won: 0, revenue: [] }]);
  });

  it('pipeline: value, weighted, win rate by stage, average deal size, sales cycle', async () => {
    const r = (await run('pipeline')) as Awaited<ReturnType<typeof run>> & { summary: unknown[] };
    const q = r.rows.find((x) => x.stage === 'Qualified')!;
    expect(q).toMatchObject({ count: 1, value: [{ currency: 'EUR', amountMinor: 100000 }], weighted: [{ currency: 'EUR', amountMinor: 40000 }] });
    // L1 reached Qualified and is still open: no closed deal from there yet.
    expect(q.winRatePct).toBeNull();
    // L2 (won) and L3 (lost) both closed from New; the closed stages have no win rate.
    expect(r.rows.find((x) => x.stage === 'New')).toMatchObject({ count: 2, winRatePct: 50 });
    expect(r.rows.find((x) => x.stage === 'Won')).toMatchObject({ winRatePct: null });
    expect(r.summary).toEqual([
      { currency: 'EUR', won: 1, lost: 1, winRatePct: 50, averageDealSize: 2000, averageDealSizeMinor: 200000, salesCycleDays: 12.9 },
      { currency: 'USD', won: 0, lost: 0, winRatePct: 0, averageDealSize: null, averageDealSizeMinor: null, salesCycleDays: null },
    ]);
  });

  it('demos completed on a day and confirmed for tomorrow', async () => {
    expect((await run('demos', { completed: '2026-11-20' })).rows.map((r) => r.lead)).toEqual(['L5']);
    expect((await run('demos', { confirmed: 'tomorrow' })).rows.map((r) => [r.lead, r.reps])).toEqual([['L1', 'ravi@acme.example']]);
    await expect(run('demos', {})).rejects.toThrow(UsageError);
  });

  it('a rep may not ask for another user, and unknown reports are refused', async () => {
    await expect(run('conversions', { user: 'priya@acme.example' }, t.ravi)).rejects.toThrow(PermissionError);
    await expect(run('sales-by-moon-phase')).rejects.toThrow(/unknown report/);
  });
});
