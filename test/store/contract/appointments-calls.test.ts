import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppointmentQuery, NewAppointment } from '../../../src/domain/appointments.js';
import type { CallQuery, NewCall } from '../../../src/domain/calls.js';
import { testTeam, type TestTeam } from '../../helpers/store.js';
import { at, followUpFields, insertLead, T0 } from './builders.js';

let t: TestTeam;
beforeEach(async () => {
  t = await testTeam();
});
afterEach(() => t.close());

const appointment = (leadId: number, o: Partial<NewAppointment> = {}): NewAppointment => ({
  leadId, kind: 'demo', startAt: at(60), endAt: at(105), durationMinutes: 45, location: null, participants: [], createdBy: t.admin.id, ...o,
});

describe('store contract: appointments', () => {
  it('insert makes a scheduled appointment; get returns it with the lead\'s name, participants by email, the creator\'s email', async () => {
    const lead = await insertLead(t.store, { name: 'Ana Sousa' });
    const id = await t.store.transaction(() => t.store.appointments.insert(appointment(lead, {
      kind: 'meeting', location: 'Lisbon office', createdBy: t.ravi.id,
      participants: [{ email: 'ravi@acme.example', userId: t.ravi.id }, { email: 'ana@sousa.example', userId: null }],
    }), at(-5)));
    expect(await t.store.appointments.get(id)).toEqual({
      id, leadId: lead, leadName: 'Ana Sousa', kind: 'meeting', status: 'scheduled', startAt: at(60), endAt: at(105), durationMinutes: 45,
      location: 'Lisbon office', participants: [{ email: 'ana@sousa.example', userId: null }, { email: 'ravi@acme.example', userId: t.ravi.id }],
      outcome: null, createdBy: 'ravi@acme.example', createdAt: at(-5), updatedAt: at(-5), confirmedAt: null, completedAt: null, cancelledAt: null,
    });
    expect(await t.store.appointments.get(id + 100)).toBeUndefined();
  });

  it('update changes status, outcome and the stamps given, and updatedAt', async () => {
    const lead = await insertLead(t.store);
    const id = await t.store.appointments.insert(appointment(lead), at(-5));
    await t.store.appointments.update(id, { status: 'confirmed', confirmedAt: at(1) }, at(1));
    expect(await t.store.appointments.get(id)).toMatchObject({ status: 'confirmed', confirmedAt: at(1), completedAt: null, outcome: null, updatedAt: at(1), createdAt: at(-5) });
    await t.store.appointments.update(id, { status: 'completed', completedAt: at(120), outcome: 'wants a quote' }, at(120));
    expect(await t.store.appointments.get(id)).toMatchObject({ status: 'completed', confirmedAt: at(1), completedAt: at(120), outcome: 'wants a quote', updatedAt: at(120) });
  });

  describe('list', () => {
    let a: Record<string, number>;
    let leads: Record<string, number>;
    beforeEach(async () => {
      leads = {
        ravis: await insertLead(t.store, { name: 'Ravi\'s', assigneeIds: [t.ravi.id] }),
        open: await insertLead(t.store, { name: 'Unassigned' }),
        gone: await insertLead(t.store, { name: 'Deleted', assigneeIds: [t.ravi.id] }),
      };
      a = {
        // On Ravi's lead, by the admin.
        onRavis: await t.store.appointments.insert(appointment(leads.ravis!, { startAt: at(-60), endAt: at(-15) }), T0),
        // Priya takes part.
        priyaIn: await t.store.appointments.insert(appointment(leads.open!, { kind: 'meeting', startAt: at(60), endAt: at(90), participants: [{ email: 'priya@acme.example', userId: t.priya.id }] }), T0),
        // Made by the manager, nobody else.
        byManager: await t.store.appointments.insert(appointment(leads.open!, { startAt: at(1440), endAt: at(1500), createdBy: t.manager.id }), T0),
        onDeleted: await t.store.appointments.insert(appointment(leads.gone!, { startAt: at(10), endAt: at(20) }), T0),
      };
      await t.store.appointments.update(a.byManager!, { status: 'cancelled', cancelledAt: at(1) }, at(1));
      await t.store.transaction(() => t.store.leads.update(leads.gone!, { deletedAt: at(1) }, at(1)));
    });
    const list = async (q: AppointmentQuery) => (await t.store.appointments.list(q)).map((x) => x.id);

    it('in start order; none of deleted leads; leadId, statuses, start range, limit', async () => {
      expect(await list({})).toEqual([a.onRavis, a.priyaIn, a.byManager]);
      expect(await list({ leadId: leads.open! })).toEqual([a.priyaIn, a.byManager]);
      expect(await list({ statuses: ['scheduled', 'confirmed'] })).toEqual([a.onRavis, a.priyaIn]);
      expect(await list({ startFrom: T0 })).toEqual([a.priyaIn, a.byManager]);
      expect(await list({ startBefore: at(60) })).toEqual([a.onRavis]);
      expect(await list({ startFrom: at(-60), startBefore: at(61) })).toEqual([a.onRavis, a.priyaIn]);
      expect(await list({ limit: 1 })).toEqual([a.onRavis]);
    });

    it('visibleTo: made by the user, with the user taking part, or on a lead assigned to them', async () => {
      expect(await list({ visibleTo: t.ravi.id })).toEqual([a.onRavis]);
      expect(await list({ visibleTo: t.priya.id })).toEqual([a.priyaIn]);
      expect(await list({ visibleTo: t.manager.id })).toEqual([a.byManager]);
      expect(await list({ visibleTo: t.admin.id })).toEqual([a.onRavis, a.priyaIn]);
    });
  });

  it('moveToLead moves a lead\'s appointments onto another (merge)', async () => {
    const from = await insertLead(t.store, { name: 'From' });
    const to = await insertLead(t.store, { name: 'To' });
    const id = await t.store.appointments.insert(appointment(from), T0);
    await t.store.transaction(() => t.store.appointments.moveToLead(from, to));
    expect(await t.store.appointments.list({ leadId: from })).toEqual([]);
    expect(await t.store.appointments.get(id)).toMatchObject({ leadId: to, leadName: 'To' });
  });
});

const call = (leadId: number, userId: number, o: Partial<NewCall> = {}): NewCall => ({
  leadId, userId, direction: 'out', outcome: 'connected', number: null, startAt: at(-30), endAt: at(-28), durationSeconds: 120,
  recordingUrl: null, note: null, followUpId: null, ...o,
});

describe('store contract: calls', () => {
  it('insert then get: the call with the lead\'s name and the user\'s email', async () => {
    const lead = await insertLead(t.store, { name: 'Ana Sousa' });
    const c = call(lead, t.ravi.id, { direction: 'in', outcome: 'call-back', number: '+351912000001', recordingUrl: 'https://rec.example/1', note: 'call at 5' });
    const id = await t.store.transaction(() => t.store.calls.insert(c, at(-1)));
    expect(await t.store.calls.get(id)).toEqual({ ...c, id, leadName: 'Ana Sousa', user: 'ravi@acme.example', createdAt: at(-1) });
    expect(await t.store.calls.get(id + 100)).toBeUndefined();
  });

  describe('list', () => {
    let c: Record<string, number>;
    let leads: Record<string, number>;
    beforeEach(async () => {
      leads = {
        priyas: await insertLead(t.store, { name: 'Priya\'s', assigneeIds: [t.priya.id] }),
        open: await insertLead(t.store, { name: 'Unassigned' }),
        gone: await insertLead(t.store, { name: 'Deleted' }),
      };
      c = {
        ravi1: await t.store.calls.insert(call(leads.priyas!, t.ravi.id, { startAt: at(-120), outcome: 'rnr', durationSeconds: 0 }), T0),
        ravi2: await t.store.calls.insert(call(leads.open!, t.ravi.id, { startAt: at(-60), direction: 'in' }), T0),
        priya: await t.store.calls.insert(call(leads.open!, t.priya.id, { startAt: at(-30), outcome: 'voicemail' }), T0),
        gone: await t.store.calls.insert(call(leads.gone!, t.ravi.id, { startAt: at(-10) }), T0),
      };
      await t.store.transaction(() => t.store.leads.update(leads.gone!, { deletedAt: at(1) }, at(1)));
    });
    const list = async (q: CallQuery) => (await t.store.calls.list(q)).map((x) => x.id);

    it('newest first; none on deleted leads; every filter', async () => {
      expect(await list({})).toEqual([c.priya, c.ravi2, c.ravi1]);
      expect(await list({ ids: [c.ravi1!, c.gone!] })).toEqual([c.ravi1]);
      expect(await list({ ids: [] })).toEqual([]);
      expect(await list({ leadId: leads.open! })).toEqual([c.priya, c.ravi2]);
      expect(await list({ userId: t.ravi.id })).toEqual([c.ravi2, c.ravi1]);
      expect(await list({ outcomes: ['rnr', 'voicemail'] })).toEqual([c.priya, c.ravi1]);
      expect(await list({ directions: ['in'] })).toEqual([c.ravi2]);
      expect(await list({ from: at(-60) })).toEqual([c.priya, c.ravi2]);
      expect(await list({ to: at(-60) })).toEqual([c.ravi1]);
      expect(await list({ from: at(-120), to: at(-30) })).toEqual([c.ravi2, c.ravi1]);
      expect(await list({ limit: 1 })).toEqual([c.priya]);
    });

    it('visibleTo: calls the user made or on a lead assigned to them', async () => {
      expect(await list({ visibleTo: t.priya.id })).toEqual([c.priya, c.ravi1]);
      expect(await list({ visibleTo: t.ravi.id })).toEqual([c.ravi2, c.ravi1]);
      expect(await list({ visibleTo: t.manager.id })).toEqual([]);
    });
  });

  it('delete removes the calls and their timeline entries, returns the ids it removed', async () => {
    const lead = await insertLead(t.store);
    const keep = await t.store.calls.insert(call(lead, t.ravi.id), T0);
    const drop = await t.store.calls.insert(call(lead, t.ravi.id), T0);
    await t.store.activities.add({ leadId: lead, type: 'call', at: at(-30), userId: t.ravi.id, data: { callId: keep } });
    await t.store.activities.add({ leadId: lead, type: 'call', at: at(-29), userId: t.ravi.id, data: { callId: drop } });
    await t.store.activities.add({ leadId: lead, type: 'note', at: at(-28), userId: t.ravi.id, body: 'a note' });
    expect(await t.store.transaction(() => t.store.calls.delete([drop, drop + 1000]))).toEqual([drop]);
    expect(await t.store.calls.get(drop)).toBeUndefined();
    expect((await t.store.calls.list({ leadId: lead })).map((x) => x.id)).toEqual([keep]);
    expect((await t.store.activities.forLead(lead)).map((a) => [a.type, a.data.callId ?? null])).toEqual([['note', null], ['call', keep]]);
    expect(await t.store.calls.delete([drop])).toEqual([]);
  });

  it('summary: per user with calls (by name), today / yesterday / this month / all and talk time; visibleTo: only that user', async () => {
    const lead = await insertLead(t.store);
    const gone = await insertLead(t.store, { deletedAt: at(-1) });
    const when = (iso: string, seconds: number) => ({ startAt: iso, endAt: iso, durationSeconds: seconds });
    for (const [iso, secs] of [['2026-11-23T08:00:00.000Z', 60], ['2026-11-22T10:00:00.000Z', 120], ['2026-11-05T10:00:00.000Z', 30], ['2026-10-30T10:00:00.000Z', 10]] as const) {
      await t.store.calls.insert(call(lead, t.ravi.id, when(iso, secs)), T0);
    }
    await t.store.calls.insert(call(lead, t.priya.id, when('2026-11-23T07:00:00.000Z', 300)), T0);
    await t.store.calls.insert(call(gone, t.priya.id, when('2026-11-23T07:30:00.000Z', 999)), T0);
    const bounds = { todayStart: '2026-11-23T00:00:00.000Z', tomorrowStart: '2026-11-24T00:00:00.000Z', yesterdayStart: '2026-11-22T00:00:00.000Z', monthStart: '2026-11-01T00:00:00.000Z' };
    const priya = { userId: t.priya.id, user: 'priya@acme.example', name: 'Priya Shah', today: 1, yesterday: 0, thisMonth: 1, all: 1, talkSeconds: 300 };
    const ravi = { userId: t.ravi.id, user: 'ravi@acme.example', name: 'Ravi Kumar', today: 1, yesterday: 1, thisMonth: 3, all: 4, talkSeconds: 220 };
    expect(await t.store.calls.summary(bounds)).toEqual([priya, ravi]);
    expect(await t.store.calls.summary(bounds, t.ravi.id)).toEqual([ravi]);
    expect(await t.store.calls.summary(bounds, t.manager.id)).toEqual([]);
  });

  it('moveToLead moves a lead\'s calls onto another (merge)', async () => {
    const from = await insertLead(t.store, { name: 'From' });
    const to = await insertLead(t.store, { name: 'To' });
    const id = await t.store.calls.insert(call(from, t.ravi.id), T0);
    await t.store.transaction(() => t.store.calls.moveToLead(from, to));
    expect(await t.store.calls.list({ leadId: from })).toEqual([]);
    expect(await t.store.calls.get(id)).toMatchObject({ leadId: to, leadName: 'To' });
  });
});

describe('store contract: calls through Twilio', () => {
  const twilioCall = (leadId: number | null, o: Partial<Parameters<TestTeam['store']['calls']['addTwilio']>[0]> = {}) => ({
    sid: 'CA0001', direction: 'out' as const, leadId, userId: t.ravi.id, number: '+351912000001', legTo: '+351912000001', status: 'queued', ...o,
  });

  it('addTwilio records a call once by CallSid; twilio reads it back; updateTwilio changes only the fields given and updatedAt', async () => {
    const lead = await insertLead(t.store);
    expect(await t.store.transaction(() => t.store.calls.addTwilio(twilioCall(lead), at(-5)))).toBe(true);
    expect(await t.store.calls.addTwilio(twilioCall(lead, { status: 'ringing', number: '+1999' }), at(-4))).toBe(false);
    expect(await t.store.calls.twilio('CA0001')).toEqual({
      sid: 'CA0001', direction: 'out', leadId: lead, userId: t.ravi.id, number: '+351912000001', legTo: '+351912000001', status: 'queued',
      legSid: null, legStatus: null, legSeconds: null, recordingUrl: null, callId: null, loggedAt: null, wrappedAt: null, createdAt: at(-5), updatedAt: at(-5),
    });
    await t.store.calls.updateTwilio('CA0001', { legSid: 'CA0002', legStatus: 'completed', legSeconds: 95 }, at(-2));
    await t.store.calls.updateTwilio('CA0001', { status: 'completed' }, at(-1));
    expect(await t.store.calls.twilio('CA0001')).toMatchObject({ status: 'completed', legSid: 'CA0002', legStatus: 'completed', legSeconds: 95, callId: null, updatedAt: at(-1), createdAt: at(-5) });
    expect(await t.store.calls.twilio('CA0002')).toBeUndefined();
  });

  it('twilioOfCall finds the Twilio call of a log entry; twilioOfUser lists a user\'s calls in one direction, newest first; a deleted entry leaves loggedAt', async () => {
    const lead = await insertLead(t.store);
    const id = await t.store.calls.insert(call(lead, t.ravi.id, { outcome: 'failed' }), T0);
    await t.store.calls.addTwilio(twilioCall(lead), at(-5));
    await t.store.calls.addTwilio(twilioCall(lead, { sid: 'CA0003' }), at(-3));
    await t.store.calls.addTwilio(twilioCall(lead, { sid: 'CA0004', direction: 'in', legTo: null }), at(-2));
    await t.store.calls.addTwilio(twilioCall(null, { sid: 'CA0005', userId: null, direction: 'in' }), at(-1));
    await t.store.calls.updateTwilio('CA0001', { callId: id, loggedAt: at(-1) }, at(-1));
    expect((await t.store.calls.twilioOfCall(id))?.sid).toBe('CA0001');
    expect((await t.store.calls.twilioOfUser(t.ravi.id, 'out', 10)).map((c) => c.sid)).toEqual(['CA0003', 'CA0001']);
    expect((await t.store.calls.twilioOfUser(t.ravi.id, 'in', 10)).map((c) => c.sid)).toEqual(['CA0004']);
    expect((await t.store.calls.twilioOfUser(t.ravi.id, 'out', 1)).map((c) => c.sid)).toEqual(['CA0003']);
    await t.store.transaction(() => t.store.calls.delete([id]));
    expect(await t.store.calls.twilio('CA0001')).toMatchObject({ callId: null, loggedAt: at(-1) });
  });

  it('wrapUp sets outcome, note and follow-up on the call and its timeline entry; setRecording sets the link', async () => {
    const lead = await insertLead(t.store);
    const id = await t.store.calls.insert(call(lead, t.ravi.id, { outcome: 'connected' }), T0);
    const other = await t.store.calls.insert(call(lead, t.ravi.id, { outcome: 'rnr' }), T0);
    await t.store.activities.add({ leadId: lead, type: 'call', at: at(-30), userId: t.ravi.id, data: { callId: id, outcome: 'connected', durationSeconds: 60 } });
    await t.store.activities.add({ leadId: lead, type: 'call', at: at(-29), userId: t.ravi.id, data: { callId: other, outcome: 'rnr' } });
    const fu = await t.store.followUps.insert(followUpFields(lead), T0);
    await t.store.transaction(() => t.store.calls.wrapUp(id, { outcome: 'call-back', note: 'send prices', followUpId: fu }));
    await t.store.calls.setRecording(id, 'https://api.twilio.com/rec/RE1');
    expect(await t.store.calls.get(id)).toMatchObject({ outcome: 'call-back', note: 'send prices', followUpId: fu, recordingUrl: 'https://api.twilio.com/rec/RE1' });
    expect(await t.store.calls.get(other)).toMatchObject({ outcome: 'rnr', note: null, followUpId: null, recordingUrl: null });
    const entries = (await t.store.activities.forLead(lead)).filter((a) => a.type === 'call');
    expect(entries.map((a) => [a.body, a.data])).toEqual([
      [null, { callId: other, outcome: 'rnr' }],
      ['send prices', { callId: id, outcome: 'call-back', durationSeconds: 60, followUpId: fu }],
    ]);
  });
});
