import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { receiveVoiceCall, receiveVoiceStatus } from '../../src/services/calls/twilio.js';
import { wrapUpCall } from '../../src/services/calls/service.js';
import { addLeadAs, testTeam, type TestTeam } from '../helpers/store.js';

/** Twilio's status callbacks arrive in any order and may repeat: the call log gets one entry, made from the lead's leg. */
describe('voice status callbacks (services, real store)', () => {
  let t: TestTeam;
  const now = new Date('2026-11-23T09:00:00.000Z');
  beforeEach(async () => {
    t = await testTeam();
  });
  afterEach(() => t.close());

  async function dialled(sid = 'CA1') {
    const lead = await addLeadAs(t, t.ravi, { name: 'Ana Sousa', phones: ['+351 912 345 678'] });
    await t.store.calls.addTwilio({ sid, direction: 'out', leadId: lead.id, userId: t.ravi.id, number: '+351912345678', legTo: '+351912345678', status: 'queued' }, now.toISOString());
    return lead;
  }

  it('the call ending before its leg is reported: logged when the leg is, once; a replay of either changes nothing', async () => {
    const lead = await dialled();
    expect(await receiveVoiceStatus(t.store, now, { CallSid: 'CA1', CallStatus: 'completed', CallDuration: '70' })).toMatchObject({ result: 'accepted', callId: null });
    expect(await t.store.calls.list({ leadId: lead.id })).toEqual([]);
    const leg = await receiveVoiceStatus(t.store, now, { CallSid: 'CA2', ParentCallSid: 'CA1', CallStatus: 'busy', CallDuration: '0' });
    expect(leg).toMatchObject({ result: 'accepted', leadId: lead.id, callId: expect.any(Number) });
    expect((await receiveVoiceStatus(t.store, now, { CallSid: 'CA2', ParentCallSid: 'CA1', CallStatus: 'busy' })).result).toBe('duplicate');
    expect((await receiveVoiceStatus(t.store, now, { CallSid: 'CA1', CallStatus: 'completed' })).result).toBe('duplicate');
    const calls = await t.store.calls.list({ leadId: lead.id });
    expect(calls.map((c) => [c.direction, c.outcome, c.durationSeconds, c.user])).toEqual([['out', 'rnr', 0, 'ravi@acme.example']]);
  });

  it('a call log entry deleted after the callback is not made again by a replay; a wrap-up changes the outcome Twilio reported', async () => {
    const lead = await dialled();
    const r = await receiveVoiceStatus(t.store, now, { CallSid: 'CA2', ParentCallSid: 'CA1', CallStatus: 'completed', CallDuration: '42' });
    const call = (await t.store.calls.get(r.callId!))!;
    expect(call).toMatchObject({ outcome: 'connected', durationSeconds: 42, startAt: '2026-11-23T08:59:18.000Z' });
    const w = await wrapUpCall(t.as(t.ravi, now), call, { outcome: 'wrong number', note: 'not Ana' }, { timeZone: 'UTC' });
    expect(w.call).toMatchObject({ outcome: 'wrong-number', note: 'not Ana', durationSeconds: 42 });
    expect((await t.store.calls.twilio('CA1'))!.wrappedAt).toBe(now.toISOString());
    await t.store.transaction(() => t.store.calls.delete([call.id]));
    await t.store.calls.updateTwilio('CA1', { legStatus: 'in-progress' }, now.toISOString());
    await receiveVoiceStatus(t.store, now, { CallSid: 'CA2', ParentCallSid: 'CA1', CallStatus: 'completed', CallDuration: '42' });
    expect(await t.store.calls.list({ leadId: lead.id })).toEqual([]);
  });

  it('an unknown CallSid and a callback without a status are refused; an inbound call from a withheld number makes no lead', async () => {
    await dialled();
    await expect(receiveVoiceStatus(t.store, now, { CallSid: 'CAX', CallStatus: 'completed' })).rejects.toMatchObject({ status: 404 });
    await expect(receiveVoiceStatus(t.store, now, { CallSid: 'CA1' })).rejects.toMatchObject({ status: 400 });
    const before = (await t.store.leads.matchContacts([], ['+351912345678'])).length;
    const r = await receiveVoiceCall(t.store, now, { CallSid: 'CAin', From: 'anonymous', To: '+15005550006' }, { env: {}, base: 'https://crm.example.com' });
    expect(r).toMatchObject({ result: 'accepted', leadId: null, reason: expect.stringContaining("'anonymous' is not a phone number") });
    expect(r.twiml).toContain('<Say>');
    expect((await t.store.leads.matchContacts([], ['+351912345678'])).length).toBe(before);
    expect((await receiveVoiceStatus(t.store, now, { CallSid: 'CAin', CallStatus: 'completed' })).callId).toBeNull();
  });
});
