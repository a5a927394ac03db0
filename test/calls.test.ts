import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PermissionError } from '../src/errors.js';
import { callSummary, callsToDelete, deleteCalls, listCalls, logCall } from '../src/services/calls/service.js';
import { addLeadAs, testTeam, type TestTeam } from './helpers/store.js';

const UTC = { timeZone: 'UTC' };

describe('call log (services, fixed clock)', () => {
  let t: TestTeam;
  beforeEach(async () => {
    t = await testTeam();
  });
  afterEach(() => t.close());

  it('logs a call with its duration on the timeline; a call-back creates its follow-up in the same transaction', async () => {
    const lead = await addLeadAs(t, t.ravi, { phones: ['+351912345678'] });
    const r = await logCall(t.as(t.ravi), { leadId: lead.id, outcome: 'call-back', duration: '4m30s', callback: 'in 2h', note: 'In a meeting' }, UTC);
    expect(r.call).toMatchObject({ outcome: 'call-back', durationSeconds: 270, number: '+351912345678', startAt: '2026-11-23T08:55:30.000Z', endAt: '2026-11-23T09:00:00.000Z', followUpId: r.followUpId });
    const fu = (await t.store.followUps.get(r.followUpId!))!;
    expect(fu).toMatchObject({ title: `Call back ${lead.name}`, type: 'call', startAt: '2026-11-23T11:00:00.000Z', leadId: lead.id });
    expect(fu.assignees.map((a) => a.email)).toEqual(['ravi@acme.example']);
    const types = (await t.store.activities.forLead(lead.id)).map((a) => a.type);
    expect(types).toEqual(expect.arrayContaining(['call', 'follow-up']));
  });

  it('stores nothing when the duration, the outcome or the call-back time is bad', async () => {
    const lead = await addLeadAs(t, t.admin);
    const ctx = t.as(t.admin);
    await expect(logCall(ctx, { leadId: lead.id, outcome: 'connected', duration: 'four minutes' }, UTC)).rejects.toThrow(/invalid duration 'four minutes'/);
    await expect(logCall(ctx, { leadId: lead.id, outcome: 'maybe' }, UTC)).rejects.toThrow(/invalid outcome 'maybe'/);
    await expect(logCall(ctx, { leadId: lead.id, outcome: 'call-back', callback: 'whenever' }, UTC)).rejects.toThrow(/cannot read callback/);
    await expect(logCall(ctx, { leadId: lead.id, outcome: 'connected', at: 'tomorrow 10:00' }, UTC)).rejects.toThrow(/in the future/);
    expect(await t.store.calls.list({})).toEqual([]);
    expect(await t.store.followUps.list({})).toEqual([]);
  });

  it('counts calls per user today, yesterday, this month and all, with days in the user’s zone', async () => {
    const a = await addLeadAs(t, t.ravi);
    const b = await addLeadAs(t, t.priya);
    const log = (user: typeof t.ravi, leadId: number, at: string) => logCall(t.as(user), { leadId, outcome: 'connected', duration: '1m', at }, UTC);
    await log(t.ravi, a.id, '2026-11-23 08:00'); // today
    await log(t.ravi, a.id, '2026-11-23 00:30'); // today
    await log(t.ravi, a.id, '2026-11-22 23:30'); // yesterday
    await log(t.ravi, a.id, '2026-11-02 10:00'); // this month
    await log(t.ravi, a.id, '2026-10-31 10:00'); // earlier
    await log(t.priya, b.id, '2026-11-22 10:00'); // yesterday
    const rows = await callSummary(t.as(t.admin), UTC);
    expect(rows.map((r) => [r.user, r.today, r.yesterday, r.thisMonth, r.all, r.talkSeconds])).toEqual([
      ['priya@acme.example', 0, 1, 1, 1, 60],
      ['ravi@acme.example', 2, 1, 4, 5, 300],
    ]);
    // In New York (UTC−5) it is 04:00 on the 23rd: the 00:30Z and 23:30Z calls were both on the 22nd there.
    const ny = await callSummary(t.as(t.admin), { timeZone: 'America/New_York' });
    expect(ny.find((r) => r.user === 'ravi@acme.example')).toMatchObject({ today: 1, yesterday: 2 });
    // A rep sees only their own line.
    expect((await callSummary(t.as(t.ravi), UTC)).map((r) => r.user)).toEqual(['ravi@acme.example']);
  });

  it('filters, and deletes by ids or a where expression; reps only their own calls', async () => {
    const a = await addLeadAs(t, t.ravi);
    const ravi = t.as(t.ravi);
    const c1 = (await logCall(ravi, { leadId: a.id, outcome: 'rnr' }, UTC)).call;
    const c2 = (await logCall(ravi, { leadId: a.id, outcome: 'wrong-number', at: '2026-10-01 10:00' }, UTC)).call;
    const c3 = (await logCall(t.as(t.manager), { leadId: a.id, outcome: 'connected' }, UTC)).call;
    expect((await listCalls(t.as(t.admin), { outcome: ['rnr'] }, UTC)).map((c) => c.id)).toEqual([c1.id]);
    expect((await listCalls(t.as(t.admin), { from: '2026-11-01' }, UTC)).map((c) => c.id).sort()).toEqual([c1.id, c3.id]);
    expect((await listCalls(t.as(t.priya), {}, UTC))).toEqual([]);
    await expect(callsToDelete(ravi, { ids: [c3.id] }, UTC)).rejects.toBeInstanceOf(PermissionError);
    const matched = await callsToDelete(ravi, { where: 'outcome=wrong-number and before=2026-11-01' }, UTC);
    expect(matched.map((c) => c.id)).toEqual([c2.id]);
    expect(await deleteCalls(ravi, matched)).toEqual([c2.id]);
    const left = (await t.store.calls.list({})).map((c) => c.id).sort();
    expect(left).toEqual([c1.id, c3.id]);
    // The timeline entry goes with the call.
    expect((await t.store.activities.forLead(a.id)).filter((x) => x.type === 'call').length).toBe(2);
    await expect(callsToDelete(ravi, { where: 'colour=red' }, UTC)).rejects.toThrow(/unknown field 'colour'/);
  });
});
