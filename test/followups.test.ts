import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError, PermissionError } from '../src/errors.js';
import { addFollowUp, completeFollowUp, editFollowUp, generateRecurring, listFollowUps, logFollowUp, showFollowUp } from '../src/services/followups/service.js';
import { addRule, parseRuleWhere, runRules } from '../src/services/followups/rules.js';
import { addLead, mergeLeads, moveLead } from '../src/services/leads/service.js';
import { parseDuration, parseTime } from '../src/services/time/parse.js';
import { aLead, addLeadAs, FIXED_NOW, testTeam, type TestTeam } from './helpers/store.js';

const UTC = { timeZone: 'UTC' };
const LISBON = { timeZone: 'Europe/Lisbon' };

describe('time phrases (chrono-node, injected clock, IANA zone)', () => {
  // Saturday 24 Oct 2026, 10:00 in Lisbon (WEST, UTC+1); DST ends on Sunday 25 Oct at 02:00.
  const now = new Date('2026-10-24T09:00:00Z');
  const lisbon = { now, timeZone: 'Europe/Lisbon' };

  it('reads wall-clock phrases in the zone of the day they fall on, across the DST change', async () => {
    // Tomorrow is winter time (UTC+0): 10:00 local is 10:00Z, not 09:00Z.
    expect((await parseTime('tomorrow 10:00', 'start', lisbon)).toISOString()).toBe('2026-10-25T10:00:00.000Z');
    expect((await parseTime('tomorrow 10am', 'start', lisbon)).toISOString()).toBe('2026-10-25T10:00:00.000Z');
    expect((await parseTime('next monday 9:30', 'start', { ...lisbon, forward: true })).toISOString()).toBe('2026-10-26T09:30:00.000Z');
    expect((await parseTime('2026-11-25 15:00', 'start', lisbon)).toISOString()).toBe('2026-11-25T15:00:00.000Z');
    expect((await parseTime('2026-07-01 15:00', 'start', lisbon)).toISOString()).toBe('2026-07-01T14:00:00.000Z');
  });

  it('reads amounts of time from now as exact instants', async () => {
    expect((await parseTime('in 2h', 'start', lisbon)).toISOString()).toBe('2026-10-24T11:00:00.000Z');
    expect((await parseTime('now', 'at', lisbon)).toISOString()).toBe(now.toISOString());
    expect((await parseTime('2026-11-25T15:00:00Z', 'start', lisbon)).toISOString()).toBe('2026-11-25T15:00:00.000Z');
  });

  it('reads ISO, "now" and "… ago / later / from now" without chrono, days keeping the wall-clock time', async () => {
    expect((await parseTime('2026-10-26', 'until', lisbon)).toISOString()).toBe('2026-10-26T00:00:00.000Z');
    expect((await parseTime('2026-10-24T08:00', 'at', lisbon)).toISOString()).toBe('2026-10-24T07:00:00.000Z');
    expect((await parseTime('2026-10-24 08:00+05:30', 'at', lisbon)).toISOString()).toBe('2026-10-24T02:30:00.000Z');
    expect((await parseTime('2026-10-24 08:00 Z', 'at', lisbon)).toISOString()).toBe('2026-10-24T08:00:00.000Z');
    expect((await parseTime('2026-10-24T08:00:00.000-0300', 'at', lisbon)).toISOString()).toBe('2026-10-24T11:00:00.000Z');
    expect((await parseTime('2 hours ago', 'at', lisbon)).toISOString()).toBe('2026-10-24T07:00:00.000Z');
    expect((await parseTime('90m later', 'at', lisbon)).toISOString()).toBe('2026-10-24T10:30:00.000Z');
    // 10:00 summer time today → 10:00 winter time in two days (11:00 − 1 h of DST).
    expect((await parseTime('2 days from now', 'at', lisbon)).toISOString()).toBe('2026-10-26T10:00:00.000Z');
    await expect(parseTime('2026-02-30 10:00', 'at', lisbon)).rejects.toThrow(/cannot read at '2026-02-30 10:00'/);
    await expect(parseTime('2026-10-24 25:00', 'at', lisbon)).rejects.toThrow(UsageError);
  });

  it('refuses what it cannot read whole, naming the formats that work', async () => {
    for (const bad of ['blah', 'tomorrow maybe', '', '32/13/2026']) {
      const err = await parseTime(bad, 'start', lisbon).catch((e: unknown) => e);
      expect(err, bad).toBeInstanceOf(UsageError);
      expect((err as UsageError).hint).toMatch(/tomorrow 10am/);
    }
  });

  it('reads durations and refuses what is not one', () => {
    expect(parseDuration('4m30s', 'duration')).toBe(270);
    expect(parseDuration('1h15m', 'duration')).toBe(4500);
    expect(parseDuration('45', 'duration')).toBe(2700);
    for (const bad of ['4 minutes-ish', 'm4', '1h1h', '-5m', '']) expect(() => parseDuration(bad, 'duration'), bad).toThrow(UsageError);
  });
});

describe('follow-ups (services, fixed clock)', () => {
  let t: TestTeam;
  beforeEach(async () => {
    t = await testTeam();
  });
  afterEach(() => t.close());

  it('stores a follow-up with its reminders (one per notify-before and channel) and puts it on the timeline', async () => {
    const lead = await addLeadAs(t, t.ravi);
    const { followUp } = await addFollowUp(t.as(t.ravi), {
      leadId: lead.id, title: 'Send revised quote', type: 'call', start: 'tomorrow 10:00', end: 'tomorrow 10:30',
      priority: 'high', category: 'Sales', notify: ['15m', '1d'], channels: ['email', 'inbox'],
    }, UTC);
    expect(followUp).toMatchObject({ startAt: '2026-11-24T10:00:00.000Z', endAt: '2026-11-24T10:30:00.000Z', status: 'scheduled', priority: 'high', notifyBefore: [1440, 15] });
    expect(followUp.assignees.map((a) => a.email)).toEqual(['ravi@acme.example']);
    const { reminders } = await showFollowUp(t.as(t.ravi), followUp.id);
    expect(reminders.map((r) => [r.minutesBefore, r.channel, r.dueAt, r.sentAt])).toEqual([
      [1440, 'email', '2026-11-23T10:00:00.000Z', null],
      [1440, 'inbox', '2026-11-23T10:00:00.000Z', null],
      [15, 'email', '2026-11-24T09:45:00.000Z', null],
      [15, 'inbox', '2026-11-24T09:45:00.000Z', null],
    ]);
    const timeline = await t.store.activities.forLead(lead.id);
    expect(timeline[0]).toMatchObject({ type: 'follow-up', body: 'Send revised quote', data: { followUpId: followUp.id } });
  });

  it('moves reminders with the start when edited, and drops them when completed', async () => {
    const lead = await addLeadAs(t, t.admin);
    const { followUp } = await addFollowUp(t.as(t.admin), { leadId: lead.id, title: 'Call', start: 'tomorrow 10:00', notify: ['1h'] }, UTC);
    await editFollowUp(t.as(t.admin), followUp.id, { start: 'tomorrow 14:00' }, UTC);
    const shown = await showFollowUp(t.as(t.admin), followUp.id);
    expect(shown.followUp.endAt).toBe('2026-11-24T14:30:00.000Z');
    expect(shown.reminders.map((r) => r.dueAt)).toEqual(['2026-11-24T13:00:00.000Z']);
    await completeFollowUp(t.as(t.admin), followUp.id, 'Agreed on price');
    const done = await showFollowUp(t.as(t.admin), followUp.id);
    expect(done.followUp.status).toBe('completed');
    expect(done.reminders).toEqual([]);
    expect(done.logs.map((l) => l.description)).toEqual(['Agreed on price']);
  });

  it('refuses bad input and stores nothing', async () => {
    const lead = await addLeadAs(t, t.admin);
    const ctx = t.as(t.admin);
    const cases: [Parameters<typeof addFollowUp>[1], RegExp][] = [
      [{ start: 'tomorrow 10:00', end: 'tomorrow 09:00' }, /ends .* before it starts/],
      [{ start: 'someday soon' }, /cannot read start/],
      [{ start: 'in 2h', notify: ['1d'] }, /notify-before 1d is longer than the lead time/],
      [{ every: '0d' }, /recurrence of 0 days/],
      [{ start: 'tomorrow 10:00', notify: ['soonish'] }, /invalid notify-before/],
      [{ type: 'fax' }, /invalid type 'fax'/],
    ];
    for (const [input, message] of cases) {
      await expect(addFollowUp(ctx, { leadId: lead.id, title: 'x', ...input }, UTC)).rejects.toThrow(message);
    }
    expect(await t.store.followUps.list({})).toEqual([]);
    expect((await t.store.activities.forLead(lead.id)).map((a) => a.type)).toEqual(['created']);
  });

  it('lists today, overdue (past end, still scheduled/open) and upcoming in the user’s time zone', async () => {
    const lead = await addLeadAs(t, t.admin);
    const ctx = t.as(t.admin);
    const add = async (title: string, start: string, end?: string) => (await addFollowUp(ctx, { leadId: lead.id, title, start, end }, UTC)).followUp;
    const earlier = await add('Earlier today', '2026-11-23 07:00', '2026-11-23 07:30');
    const later = await add('Later today', '2026-11-23 16:00');
    const yesterday = await add('Yesterday', '2026-11-22 10:00');
    const inThreeDays = await add('In three days', '2026-11-26 10:00');
    await add('In ten days', '2026-12-03 10:00');
    const finished = await add('Done yesterday', '2026-11-22 11:00');
    await completeFollowUp(ctx, finished.id);

    const titles = async (v: Parameters<typeof listFollowUps>[1], tz = UTC) => (await listFollowUps(ctx, v, tz)).map((f) => f.title);
    expect(await titles({ today: true })).toEqual([earlier.title, later.title]);
    expect(await titles({ overdue: true })).toEqual([yesterday.title, earlier.title]);
    expect(await titles({ upcoming: '7d' })).toEqual([later.title, inThreeDays.title]);
    expect(await titles({ upcoming: '7' })).toEqual([later.title, inThreeDays.title]);
    expect(await titles({ upcoming: '8h' })).toEqual([later.title]);
    expect(await titles({ status: 'completed' })).toEqual([finished.title]);
    // In Kiritimati (UTC+14) it is 23:00 on the 23rd: "today" there began at 10:00Z on the 22nd.
    expect(await titles({ today: true }, { timeZone: 'Pacific/Kiritimati' })).toEqual([yesterday.title, earlier.title]);
  });

  it('reps see their own follow-ups; managers see all', async () => {
    const ravisLead = await addLeadAs(t, t.ravi);
    const { followUp } = await addFollowUp(t.as(t.ravi), { leadId: ravisLead.id, title: 'Ravi’s call', start: 'tomorrow 10:00' }, UTC);
    expect((await listFollowUps(t.as(t.priya), {}, UTC)).length).toBe(0);
    expect((await listFollowUps(t.as(t.manager), {}, UTC)).map((f) => f.id)).toEqual([followUp.id]);
    await expect(showFollowUp(t.as(t.priya), followUp.id)).rejects.toBeInstanceOf(PermissionError);
    await expect(addFollowUp(t.as(t.priya), { leadId: ravisLead.id, title: 'x' }, UTC)).rejects.toBeInstanceOf(PermissionError);
    await expect(logFollowUp(t.as(t.priya), followUp.id, { subject: 'x' }, UTC)).rejects.toBeInstanceOf(PermissionError);
  });

  it('generates recurring occurrences ahead, idempotently, at the same local time across a DST change', async () => {
    const lead = await addLeadAs(t, t.admin);
    // Tuesday 20 Oct 2026, 10:00 Lisbon summer time = 09:00Z; every 7 days.
    const now = new Date('2026-10-19T12:00:00Z');
    const ctx = t.as(t.admin, now);
    const r = await addFollowUp(ctx, { leadId: lead.id, title: 'Weekly check-in', start: '2026-10-20 10:00', every: '7d', until: '2026-11-17' }, LISBON);
    expect(r.followUp.startAt).toBe('2026-10-20T09:00:00.000Z');
    const starts = async () => (await t.store.followUps.list({ leadId: lead.id })).map((f) => f.startAt);
    // Ahead by 30 days: 27 Oct and 3, 10, 17 Nov, all 10:00 Lisbon winter time = 10:00Z.
    expect(await starts()).toEqual(['2026-10-20T09:00:00.000Z', '2026-10-27T10:00:00.000Z', '2026-11-03T10:00:00.000Z', '2026-11-10T10:00:00.000Z', '2026-11-17T10:00:00.000Z']);
    expect(r.generated.length).toBe(4);
    // Running again (as the daemon does) creates nothing twice.
    expect((await generateRecurring(ctx)).created).toEqual([]);
    expect((await generateRecurring(t.as(t.admin, new Date('2026-11-20T00:00:00Z')))).created).toEqual([]);
    expect((await starts()).length).toBe(5);
  });

  it('generates only as far ahead as asked, and more as time passes', async () => {
    const lead = await addLeadAs(t, t.admin);
    const ctx = t.as(t.admin);
    await addFollowUp(ctx, { leadId: lead.id, title: 'Monthly', start: '2026-11-24 10:00', every: '30d' }, UTC);
    expect((await t.store.followUps.list({ leadId: lead.id })).length).toBe(1);
    const later = t.as(t.admin, new Date('2026-12-20T00:00:00Z'));
    const first = await generateRecurring(later);
    expect(first.created.map((c) => c.startAt)).toEqual(['2026-12-24T10:00:00.000Z']);
    expect((await generateRecurring(later)).created).toEqual([]);
  });

  it('lets a rep generate only the series they can see', async () => {
    const hers = await addLeadAs(t, t.priya);
    await addFollowUp(t.as(t.priya), { leadId: hers.id, title: 'Priya’s monthly', start: '2026-11-24 10:00', every: '30d' }, UTC);
    const later = new Date('2026-12-20T00:00:00Z');
    expect((await generateRecurring(t.as(t.ravi, later))).created).toEqual([]);
    expect((await generateRecurring(t.as(t.priya, later))).created.length).toBe(1);
  });

  it('runs advance rules once per matching lead, with a dry run that writes nothing', async () => {
    // Two leads qualified six weeks ago and quiet since; one qualified today; one not qualified.
    const old = new Date('2026-10-01T09:00:00Z');
    const stale = (await addLead(t.as(t.ravi, old), aLead())).lead.id;
    await moveLead(t.as(t.admin, old), stale, 'Qualified');
    const staleOther = (await addLead(t.as(t.priya, old), aLead())).lead;
    await moveLead(t.as(t.admin, old), staleOther.id, 'Qualified');
    const fresh = await addLeadAs(t, t.ravi, { stage: 'Qualified' });
    await addLead(t.as(t.ravi, old), aLead());

    const admin = t.as(t.admin);
    const conditions = await parseRuleWhere(t.store, 'stage=Qualified and no-activity>14d');
    expect(conditions).toEqual([{ field: 'stage', op: '=', value: 'Qualified' }, { field: 'no-activity', op: '>', days: 14 }]);
    await addRule(admin, { name: 'Stale qualified', where: 'stage=Qualified and no-activity>14d', title: 'Re-engage', type: 'call', assign: ['owner'] });

    const dry = await runRules(admin, { dryRun: true });
    expect(dry[0]!.created.map((c) => c.leadId)).toEqual([stale, staleOther.id]);
    expect(await t.store.followUps.list({})).toEqual([]);

    const run = await runRules(admin);
    expect(run[0]!.created.map((c) => c.leadId)).toEqual([stale, staleOther.id]);
    const made = await t.store.followUps.list({});
    expect(made.map((f) => [f.leadId, f.title, f.assignees.map((a) => a.email)])).toEqual([
      [stale, 'Re-engage', ['ravi@acme.example']],
      [staleOther.id, 'Re-engage', ['priya@acme.example']],
    ]);
    expect((await runRules(admin))[0]!.created).toEqual([]);
    // Months later the fresh lead has gone stale too; the pair (rule, lead) keeps the first two from repeating.
    const later = await runRules(t.as(t.admin, new Date('2027-01-01T00:00:00Z')));
    expect(later[0]!.created.map((c) => c.leadId)).toEqual([fresh.id]);
    expect(later[0]!.alreadyDone).toEqual([stale, staleOther.id]);
    expect((await t.store.followUps.list({})).length).toBe(3);
  });

  it('merging two leads that both got a rule’s follow-up keeps both follow-ups', async () => {
    const old = new Date('2026-10-01T09:00:00Z');
    const a = (await addLead(t.as(t.admin, old), aLead({ stage: 'Qualified' }))).lead.id;
    const b = (await addLead(t.as(t.admin, old), aLead({ stage: 'Qualified' }))).lead.id;
    const admin = t.as(t.admin);
    await addRule(admin, { name: 'Quiet', where: 'no-activity>14d', title: 'Wake up' });
    expect((await runRules(admin))[0]!.created.length).toBe(2);
    await mergeLeads(admin, b, a);
    const moved = await t.store.followUps.list({ leadId: a });
    expect(moved.map((f) => f.title)).toEqual(['Wake up', 'Wake up']);
    expect(moved.filter((f) => f.ruleId !== null).length).toBe(1);
  });

  it('refuses rule conditions it cannot compile, naming the field', async () => {
    await expect(parseRuleWhere(t.store, 'stage=Qualifed')).rejects.toThrow(/unknown stage 'Qualifed'/);
    await expect(parseRuleWhere(t.store, 'colour=red')).rejects.toThrow(/unknown field 'colour'/);
    await expect(parseRuleWhere(t.store, 'stage=New or tag=vip')).rejects.toThrow(/'or' is not supported/);
    await expect(parseRuleWhere(t.store, 'score>>5')).rejects.toThrow(UsageError);
    // A value that looks like SQL is only ever a parameter.
    const conditions = await parseRuleWhere(t.store, `tag="x' OR 1=1 --"`);
    expect(await t.store.followUpRules.matchingLeads(conditions, FIXED_NOW.toISOString())).toEqual([]);
  });
});
