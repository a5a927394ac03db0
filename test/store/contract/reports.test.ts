import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewAppointment } from '../../../src/domain/appointments.js';
import type { NewCall } from '../../../src/domain/calls.js';
import { testTeam, type TestTeam } from '../../helpers/store.js';
import { insertFollowUp, insertLead, sourceIds, stageIds } from './builders.js';

/**
 * A small data set whose every aggregate is counted by hand below (now: 2026-11-23 09:00 UTC).
 *
 *   lead  assigned  source    stage  type      status  created           other
 *   L1    ravi      Website   New    lead      active  23 Nov 08:00      EUR 1000
 *   L2    ravi      Referral  Won    customer  active  10 Nov 12:00      converted by ravi 23 Nov 08:30, SO-1, EUR 2000
 *   L3    priya     Website   Lost   lead      active  15 Oct 12:00
 *   L4    priya     Phone     New    lead      junk    23 Nov 07:00      birthday 11-24
 *   L5    -         Website   Demo   lead      active  1 Nov 12:00       birthday 1990-11-23, business Five Ltd
 *   L6    -         -         Won    customer  active  2 Nov 12:00       converted by priya 20 Nov 15:10, USD 700, birthday 11-26
 *   L7    ravi      Website   New    customer  DELETED 23 Nov 06:00      birthday 2000-11-23, converted by ravi 23 Nov 08:00
 *
 *   follow-up  lead  assignees    start         status     type     category
 *   F1         L1    ravi         23 Nov 10:00  scheduled  call     Sales
 *   F2         L2    ravi         20 Nov 10:00  scheduled  email    Support   (overdue)
 *   F3         L3    priya        21 Nov 10:00  completed  meeting  Sales
 *   F4         L4    priya        24 Nov 10:00  cancelled  call     sales
 *   F5         L5    ravi, priya  22 Nov 09:00  open       email    -         (overdue)
 *   F6         L7    ravi         22 Nov 09:00  open       call     -         (deleted lead)
 *   F7         L6    -            25 Nov 09:00  scheduled  call     -
 *   F8         L1    ravi         23 Nov 07:00  completed  email    -         completed 07:15
 *
 *   calls: ravi 23 Nov 08:10 and 08:40 on L1, 22 Nov 16:00 on L2; priya 5 Nov 11:00 on L3.
 *   appointments: D1 demo L5 20 Nov 15:00 completed 16:00 (priya takes part); D2 demo L1 24 Nov 11:00 confirmed;
 *                 D3 demo L3 10 Oct cancelled; D4 demo L7 21 Nov (deleted lead); M1 meeting L1 by ravi completed 23 Nov 07:45.
 */
let t: TestTeam;
const L: Record<string, number> = {};
const NOV = { from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' };
const TODAY = { from: '2026-11-23T00:00:00.000Z', to: '2026-11-24T00:00:00.000Z' };

beforeAll(async () => {
  t = await testTeam();
  const s = await stageIds(t.store);
  const src = await sourceIds(t.store);
  const { ravi, priya, admin } = t;
  L.L1 = await insertLead(t.store, { name: 'L1', assigneeIds: [ravi.id], sourceId: src.Website!, stageId: s.New!, valueMinor: 1000 }, '2026-11-23T08:00:00.000Z');
  L.L2 = await insertLead(t.store, {
    name: 'L2', assigneeIds: [ravi.id], sourceId: src.Referral!, stageId: s.Won!, type: 'customer', valueMinor: 2000,
    convertedAt: '2026-11-23T08:30:00.000Z', convertedBy: ravi.id, orderId: 'SO-1',
  }, '2026-11-10T12:00:00.000Z');
  L.L3 = await insertLead(t.store, { name: 'L3', assigneeIds: [priya.id], sourceId: src.Website!, stageId: s.Lost! }, '2026-10-15T12:00:00.000Z');
  L.L4 = await insertLead(t.store, { name: 'L4', assigneeIds: [priya.id], sourceId: src.Phone!, stageId: s.New!, status: 'junk', birthday: '1985-11-24' }, '2026-11-23T07:00:00.000Z');
  L.L5 = await insertLead(t.store, { name: 'L5', businessName: 'Five Ltd', sourceId: src.Website!, stageId: s.Demo!, birthday: '1990-11-23' }, '2026-11-01T12:00:00.000Z');
  L.L6 = await insertLead(t.store, {
    name: 'L6', stageId: s.Won!, type: 'customer', currency: 'USD', valueMinor: 700, birthday: '11-26',
    convertedAt: '2026-11-20T15:10:00.000Z', convertedBy: priya.id,
  }, '2026-11-02T12:00:00.000Z');
  L.L7 = await insertLead(t.store, {
    name: 'L7', assigneeIds: [ravi.id], sourceId: src.Website!, stageId: s.New!, type: 'customer', birthday: '2000-11-23',
    convertedAt: '2026-11-23T08:00:00.000Z', convertedBy: ravi.id, deletedAt: '2026-11-23T08:55:00.000Z',
  }, '2026-11-23T06:00:00.000Z');

  const fu = (lead: string, assigneeIds: number[], start: string, o: Parameters<typeof insertFollowUp>[2] = {}) =>
    insertFollowUp(t.store, L[lead]!, { assigneeIds, startAt: `2026-11-${start}:00.000Z`, endAt: new Date(Date.parse(`2026-11-${start}:00.000Z`) + 30 * 60_000).toISOString(), ...o });
  await fu('L1', [ravi.id], '23T10:00', { category: 'Sales' });
  await fu('L2', [ravi.id], '20T10:00', { category: 'Support', type: 'email' });
  await fu('L3', [priya.id], '21T10:00', { category: 'Sales', type: 'meeting', status: 'completed', completedAt: '2026-11-21T10:20:00.000Z' });
  await fu('L4', [priya.id], '24T10:00', { category: 'sales', status: 'cancelled', cancelledAt: '2026-11-23T08:00:00.000Z' });
  await fu('L5', [ravi.id, priya.id], '22T09:00', { type: 'email', status: 'open' });
  await fu('L7', [ravi.id], '22T09:00', { status: 'open' });
  await fu('L6', [], '25T09:00');
  await fu('L1', [ravi.id], '23T07:00', { type: 'email', status: 'completed', completedAt: '2026-11-23T07:15:00.000Z', endAt: '2026-11-23T07:15:00.000Z' });

  const call = (lead: string, userId: number, startAt: string): NewCall => ({
    leadId: L[lead]!, userId, direction: 'out', outcome: 'connected', number: null, startAt, endAt: startAt, durationSeconds: 120, recordingUrl: null, note: null, followUpId: null,
  });
  for (const c of [call('L1', ravi.id, '2026-11-23T08:10:00.000Z'), call('L1', ravi.id, '2026-11-23T08:40:00.000Z'), call('L2', ravi.id, '2026-11-22T16:00:00.000Z'), call('L3', priya.id, '2026-11-05T11:00:00.000Z')]) {
    await t.store.calls.insert(c, '2026-11-23T09:00:00.000Z');
  }

  const appt = async (lead: string, kind: 'demo' | 'meeting', startAt: string, o: Partial<NewAppointment> = {}) => t.store.appointments.insert({
    leadId: L[lead]!, kind, startAt, endAt: new Date(Date.parse(startAt) + 3_600_000).toISOString(), durationMinutes: 60, location: 'Lisbon', participants: [], createdBy: admin.id, ...o,
  }, '2026-11-01T00:00:00.000Z');
  const d1 = await appt('L5', 'demo', '2026-11-20T15:00:00.000Z', { participants: [{ email: 'priya@acme.example', userId: priya.id }] });
  await t.store.appointments.update(d1, { status: 'completed', completedAt: '2026-11-20T16:00:00.000Z' }, '2026-11-20T16:00:00.000Z');
  const d2 = await appt('L1', 'demo', '2026-11-24T11:00:00.000Z');
  await t.store.appointments.update(d2, { status: 'confirmed', confirmedAt: '2026-11-22T10:00:00.000Z' }, '2026-11-22T10:00:00.000Z');
  const d3 = await appt('L3', 'demo', '2026-10-10T11:00:00.000Z');
  await t.store.appointments.update(d3, { status: 'cancelled', cancelledAt: '2026-10-09T10:00:00.000Z' }, '2026-10-09T10:00:00.000Z');
  await appt('L7', 'demo', '2026-11-21T11:00:00.000Z');
  const m1 = await appt('L1', 'meeting', '2026-11-23T07:00:00.000Z', { createdBy: ravi.id });
  await t.store.appointments.update(m1, { status: 'completed', completedAt: '2026-11-23T07:45:00.000Z' }, '2026-11-23T07:45:00.000Z');
  L.D1 = d1;
  L.D2 = d2;
});
afterAll(() => t.close());

describe('store contract: reports (hand-counted)', () => {
  it('leadsCreated: live leads created in [from, to), per user by assignment', async () => {
    expect(await t.store.reports.leadsCreated(NOV)).toBe(5);
    expect(await t.store.reports.leadsCreated({ ...NOV, userId: t.ravi.id })).toBe(2);
    expect(await t.store.reports.leadsCreated({ ...NOV, userId: t.priya.id })).toBe(1);
    expect(await t.store.reports.leadsCreated(TODAY)).toBe(2);
    expect(await t.store.reports.leadsCreated({ from: '2026-10-01T00:00:00.000Z', to: NOV.from })).toBe(1);
  });

  it('leadsBy user, source and stage: leads and customers, most leads first, then by key', async () => {
    expect(await t.store.reports.leadsBy({ by: 'user', ...NOV })).toEqual([
      { key: '(unassigned)', leads: 2, customers: 1 },
      { key: 'ravi@acme.example', leads: 2, customers: 1 },
      { key: 'priya@acme.example', leads: 1, customers: 0 },
    ]);
    expect(await t.store.reports.leadsBy({ by: 'source', ...NOV })).toEqual([
      { key: 'Website', leads: 2, customers: 0 },
      { key: '(none)', leads: 1, customers: 1 },
      { key: 'Phone', leads: 1, customers: 0 },
      { key: 'Referral', leads: 1, customers: 1 },
    ]);
    expect(await t.store.reports.leadsBy({ by: 'stage', ...NOV })).toEqual([
      { key: 'Won', leads: 2, customers: 2 },
      { key: 'Demo', leads: 1, customers: 0 },
      { key: 'New', leads: 1, customers: 0 },
      { key: 'New (junk)', leads: 1, customers: 0 },
    ]);
    expect(await t.store.reports.leadsBy({ by: 'stage', ...NOV, userId: t.ravi.id })).toEqual([
      { key: 'New', leads: 1, customers: 0 },
      { key: 'Won', leads: 1, customers: 1 },
    ]);
  });

  it('birthdays: active live leads whose birthday (with or without a year) falls on the given days, by id', async () => {
    const days = ['11-23', '11-24', '11-25', '11-26'];
    expect(await t.store.reports.birthdays({ monthDays: days })).toEqual([
      { id: L.L5, name: 'L5', type: 'lead', birthday: '1990-11-23' },
      { id: L.L6, name: 'L6', type: 'customer', birthday: '11-26' },
    ]);
    expect(await t.store.reports.birthdays({ monthDays: ['11-24'] })).toEqual([]);
    expect(await t.store.reports.birthdays({ monthDays: days, userId: t.ravi.id })).toEqual([]);
  });

  it('followUpsByStatus: every status counted, none of deleted leads; per assignee, start range, open only', async () => {
    expect(await t.store.reports.followUpsByStatus({})).toEqual({ scheduled: 3, open: 1, completed: 2, cancelled: 1 });
    expect(await t.store.reports.followUpsByStatus({ userId: t.ravi.id })).toEqual({ scheduled: 2, open: 1, completed: 1, cancelled: 0 });
    expect(await t.store.reports.followUpsByStatus({ userId: t.priya.id })).toEqual({ scheduled: 0, open: 1, completed: 1, cancelled: 1 });
    expect(await t.store.reports.followUpsByStatus({ startFrom: '2026-11-22T00:00:00.000Z', startTo: '2026-11-24T00:00:00.000Z' })).toEqual({ scheduled: 1, open: 1, completed: 1, cancelled: 0 });
    expect(await t.store.reports.followUpsByStatus({ openOnly: true })).toEqual({ scheduled: 3, open: 1, completed: 0, cancelled: 0 });
    expect(await t.store.reports.followUpsByStatus({ userId: t.manager.id })).toEqual({ scheduled: 0, open: 0, completed: 0, cancelled: 0 });
  });

  it('overdueFollowUps: scheduled or open, ended before now, of live leads', async () => {
    const now = '2026-11-23T09:00:00.000Z';
    expect(await t.store.reports.overdueFollowUps({ now })).toBe(2);
    expect(await t.store.reports.overdueFollowUps({ now, userId: t.ravi.id })).toBe(2);
    expect(await t.store.reports.overdueFollowUps({ now, userId: t.priya.id })).toBe(1);
    expect(await t.store.reports.overdueFollowUps({ now: '2026-11-20T10:29:00.000Z' })).toBe(0);
    expect(await t.store.reports.overdueFollowUps({ now: '2026-11-30T00:00:00.000Z' })).toBe(4);
  });

  it('callCounts: one count per range, [from, to)', async () => {
    const ranges = [TODAY, { from: '2026-11-22T00:00:00.000Z', to: TODAY.from }, NOV, { from: '2026-11-23T08:10:00.000Z', to: '2026-11-23T08:40:00.000Z' }];
    expect(await t.store.reports.callCounts({ ranges })).toEqual([2, 1, 4, 1]);
    expect(await t.store.reports.callCounts({ ranges, userId: t.ravi.id })).toEqual([2, 1, 3, 1]);
    expect(await t.store.reports.callCounts({ ranges, userId: t.priya.id })).toEqual([0, 0, 1, 0]);
    expect(await t.store.reports.callCounts({ ranges: [] })).toEqual([]);
  });

  it('demos: demos starting in range, not cancelled, and completed; per user as they see appointments', async () => {
    expect(await t.store.reports.demos(NOV)).toEqual({ scheduled: 2, completed: 1 });
    expect(await t.store.reports.demos({ from: '2026-10-01T00:00:00.000Z', to: NOV.from })).toEqual({ scheduled: 0, completed: 0 });
    expect(await t.store.reports.demos({ ...NOV, userId: t.ravi.id })).toEqual({ scheduled: 1, completed: 0 });
    expect(await t.store.reports.demos({ ...NOV, userId: t.priya.id })).toEqual({ scheduled: 1, completed: 1 });
  });

  it('demoList: demos of a status by start or completion time, with the lead and its reps', async () => {
    expect(await t.store.reports.demoList({ status: 'completed', ...NOV, field: 'completed' })).toEqual([
      { id: L.D1, leadId: L.L5, lead: 'L5', businessName: 'Five Ltd', status: 'completed', startAt: '2026-11-20T15:00:00.000Z', durationMinutes: 60, location: 'Lisbon', reps: null },
    ]);
    expect(await t.store.reports.demoList({ status: 'confirmed', ...NOV, field: 'start' })).toEqual([
      { id: L.D2, leadId: L.L1, lead: 'L1', businessName: null, status: 'confirmed', startAt: '2026-11-24T11:00:00.000Z', durationMinutes: 60, location: 'Lisbon', reps: 'ravi@acme.example' },
    ]);
    expect(await t.store.reports.demoList({ status: 'confirmed', ...TODAY, field: 'start' })).toEqual([]);
    expect((await t.store.reports.demoList({ status: 'confirmed', ...NOV, field: 'start', userId: t.ravi.id })).map((d) => d.id)).toEqual([L.D2]);
    expect(await t.store.reports.demoList({ status: 'confirmed', ...NOV, field: 'start', userId: t.priya.id })).toEqual([]);
  });

  it('conversions: per converting user and in detail, newest first; range, user, details off', async () => {
    const l2 = { id: L.L2, name: 'L2', businessName: null, user: 'ravi@acme.example', convertedAt: '2026-11-23T08:30:00.000Z', orderId: 'SO-1', previousType: 'lead' };
    const l6 = { id: L.L6, name: 'L6', businessName: null, user: 'priya@acme.example', convertedAt: '2026-11-20T15:10:00.000Z', orderId: null, previousType: 'lead' };
    expect(await t.store.reports.conversions({})).toEqual({
      byUser: [
        { userId: t.priya.id, user: 'priya@acme.example', name: 'Priya Shah', conversions: 1 },
        { userId: t.ravi.id, user: 'ravi@acme.example', name: 'Ravi Kumar', conversions: 1 },
      ],
      details: [l2, l6],
    });
    expect(await t.store.reports.conversions({ from: '2026-11-21T00:00:00.000Z', to: NOV.to })).toEqual({
      byUser: [{ userId: t.ravi.id, user: 'ravi@acme.example', name: 'Ravi Kumar', conversions: 1 }], details: [l2],
    });
    expect((await t.store.reports.conversions({ userId: t.priya.id })).details).toEqual([l6]);
    expect((await t.store.reports.conversions({ details: false })).details).toEqual([]);
  });

  it('followUpsBy user: each assignee\'s follow-ups by status (unassigned ones together), most first', async () => {
    expect(await t.store.reports.followUpsBy({ by: 'user' })).toEqual([
      { key: 'ravi@acme.example', detail: null, scheduled: 2, open: 1, completed: 1, cancelled: 0, total: 4 },
      { key: 'priya@acme.example', detail: null, scheduled: 0, open: 1, completed: 1, cancelled: 1, total: 3 },
      { key: '(unassigned)', detail: null, scheduled: 1, open: 0, completed: 0, cancelled: 0, total: 1 },
    ]);
    const priyas = await t.store.reports.followUpsBy({ by: 'user', userId: t.priya.id });
    expect(priyas.find((r) => r.key === 'priya@acme.example')).toEqual({ key: 'priya@acme.example', detail: null, scheduled: 0, open: 1, completed: 1, cancelled: 1, total: 3 });
  });

  it('followUpsBy contact: per lead ("name #id", business name), category (case-insensitive), start range', async () => {
    const key = (l: string) => `${l} #${L[l]}`;
    const row = (l: string, detail: string | null, c: [number, number, number, number]) => ({ key: key(l), detail, scheduled: c[0], open: c[1], completed: c[2], cancelled: c[3], total: c.reduce((a, b) => a + b, 0) });
    expect(await t.store.reports.followUpsBy({ by: 'contact' })).toEqual([
      row('L1', null, [1, 0, 1, 0]),
      row('L2', null, [1, 0, 0, 0]),
      row('L3', null, [0, 0, 1, 0]),
      row('L4', null, [0, 0, 0, 1]),
      row('L5', 'Five Ltd', [0, 1, 0, 0]),
      row('L6', null, [1, 0, 0, 0]),
    ]);
    expect(await t.store.reports.followUpsBy({ by: 'contact', category: 'SALES' })).toEqual([row('L1', null, [1, 0, 0, 0]), row('L3', null, [0, 0, 1, 0]), row('L4', null, [0, 0, 0, 1])]);
    expect(await t.store.reports.followUpsBy({ by: 'contact', ...TODAY })).toEqual([row('L1', null, [1, 0, 1, 0])]);
    expect(await t.store.reports.followUpsBy({ by: 'contact', userId: t.priya.id })).toEqual([row('L3', null, [0, 0, 1, 0]), row('L4', null, [0, 0, 0, 1]), row('L5', 'Five Ltd', [0, 1, 0, 0])]);
  });

  it('hourly: calls, completed email and meeting follow-ups, completed appointments, conversions with revenue, by local hour', async () => {
    type Row = Awaited<ReturnType<TestTeam['store']['reports']['hourly']>>[number];
    /** Rows come per (hour, currency): folded per hour, revenue per currency. */
    const fold = (rows: Row[]) => {
      const out: Record<number, { calls: number; emails: number; meetings: number; won: number; revenue: Record<string, number> }> = {};
      for (const r of rows) {
        const h = (out[r.hour] ??= { calls: 0, emails: 0, meetings: 0, won: 0, revenue: {} });
        h.calls += r.calls;
        h.emails += r.emails;
        h.meetings += r.meetings;
        h.won += r.won;
        if (r.currency) h.revenue[r.currency] = (h.revenue[r.currency] ?? 0) + r.revenueMinor;
        else expect(r.revenueMinor).toBe(0);
      }
      return out;
    };
    const utc = { 7: { calls: 0, emails: 1, meetings: 1, won: 0, revenue: {} }, 8: { calls: 2, emails: 0, meetings: 0, won: 1, revenue: { EUR: 2000 } } };
    expect(fold(await t.store.reports.hourly({ ...TODAY, offsetMinutes: 0 }))).toEqual(utc);
    expect(fold(await t.store.reports.hourly({ ...TODAY, offsetMinutes: 60 }))).toEqual({ 8: utc[7], 9: utc[8] });
    // UTC−5:30: the email at 07:15 → 01:45, the meeting at 07:45 and a call at 08:10 → 02:xx, a call and the conversion → 03:xx.
    expect(fold(await t.store.reports.hourly({ ...TODAY, offsetMinutes: -330 }))).toEqual({
      1: { calls: 0, emails: 1, meetings: 0, won: 0, revenue: {} },
      2: { calls: 1, emails: 0, meetings: 1, won: 0, revenue: {} },
      3: { calls: 1, emails: 0, meetings: 0, won: 1, revenue: { EUR: 2000 } },
    });
    expect(fold(await t.store.reports.hourly({ ...TODAY, offsetMinutes: 0, userId: t.ravi.id }))).toEqual(utc);
    expect(await t.store.reports.hourly({ ...TODAY, offsetMinutes: 0, userId: t.priya.id })).toEqual([]);
    expect(fold(await t.store.reports.hourly({ from: '2026-11-20T00:00:00.000Z', to: '2026-11-21T00:00:00.000Z', offsetMinutes: 0 }))).toEqual({
      15: { calls: 0, emails: 0, meetings: 0, won: 1, revenue: { USD: 700 } },
      // Any completed appointment counts as a meeting: the demo D1, completed at 16:00.
      16: { calls: 0, emails: 0, meetings: 1, won: 0, revenue: {} },
    });
  });
});
