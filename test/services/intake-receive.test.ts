import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { intakeActor, receiveInquiry } from '../../src/services/intake/receive.js';
import { loseLead } from '../../src/services/leads/service.js';
import { addLeadAs, testTeam, type TestTeam } from '../helpers/store.js';

describe('the intake service (one way in for every channel)', () => {
  let t: TestTeam;
  beforeEach(async () => {
    t = await testTeam();
  });
  afterEach(() => t.close());

  it('creates a lead, keeps the message and the payload on its timeline', async () => {
    const r = await receiveInquiry(t.as(t.admin), { channel: 'form', ref: 'website', lead: { name: 'Nina Costa', emails: ['NINA@costa.example'], phones: ['+351 912 345 678'] }, message: { subject: 'Pricing', text: 'How much for 10 seats?' }, payload: { name: 'Nina Costa' } });
    expect(r.outcome).toBe('created');
    expect(r.lead.emails).toEqual(['NINA@costa.example']);
    expect(r.lead.phones).toEqual(['+351912345678']);
    const entry = (await t.store.activities.forLead(r.lead.id)).find((a) => a.id === r.activityId)!;
    expect(entry.type).toBe('intake');
    expect(entry.body).toBe('Subject: Pricing\nHow much for 10 seats?');
    expect(entry.data).toMatchObject({ channel: 'form', ref: 'website', outcome: 'created', payload: { name: 'Nina Costa' } });
  });

  it('puts a message from a known contact on its timeline instead of duplicating it', async () => {
    const known = await addLeadAs(t, t.admin, { name: 'Known', emails: [], phones: ['+351 913 000 111'] });
    const r = await receiveInquiry(t.as(t.admin), { channel: 'sms', lead: { phones: ['+351913000111'] }, message: { text: 'Call me back' } });
    expect(r.outcome).toBe('existing');
    expect(r.lead.id).toBe(known.id);
    const timeline = await t.store.activities.forLead(known.id);
    expect(timeline.some((a) => a.type === 'intake' && a.body === 'Call me back')).toBe(true);
  });

  it('drops an invalid email but keeps the inquiry when a valid phone remains; refuses one with nothing to go on', async () => {
    const r = await receiveInquiry(t.as(t.admin), { channel: 'form', lead: { name: 'Rui', emails: ['not-an-email'], phones: ['+351 914 222 333'] } });
    expect(r.outcome).toBe('created');
    expect(r.dropped).toEqual(['not-an-email']);
    await expect(receiveInquiry(t.as(t.admin), { channel: 'form', ref: 'website', lead: { emails: ['bad'], phones: ['12'] } })).rejects.toThrow(/has no name and no valid email or phone/);
  });

  it('re-engages a lost lead', async () => {
    const lost = await addLeadAs(t, t.admin, { name: 'Lost one', emails: ['lost@x.example'] });
    await loseLead(t.as(t.admin), lost.id, 'price');
    const r = await receiveInquiry(t.as(t.admin), { channel: 'email', lead: { name: 'Lost one', emails: ['lost@x.example'] } });
    expect(r.outcome).toBe('re-engaged');
    expect(r.lead.id).toBe(lost.id);
    expect(r.lead.status).toBe('active');
  });

  it('an inquiry or a campaign message is not a contact attempt; a call is', async () => {
    const r = await receiveInquiry(t.as(t.admin), { channel: 'whatsapp', lead: { name: 'Inbound', phones: ['+351 915 555 666'] }, message: { text: 'hi' } });
    await t.store.transaction(() => t.store.activities.add({ leadId: r.lead.id, type: 'campaign', at: '2026-11-23T09:05:00Z', userId: t.admin.id, data: {} }));
    await receiveInquiry(t.as(t.admin), { channel: 'sms', lead: { phones: ['+351915555666'] }, message: { text: 'again' } });
    // As the board and the dashboard show it: "not attempted" until someone reaches out.
    const notAttempted = async () => (await t.store.board.cards({ ids: [r.lead.id], now: '2026-11-23T09:30:00Z' }))[0]!.notAttempted;
    expect(await notAttempted()).toBe(true);
    await t.store.transaction(() => t.store.activities.add({ leadId: r.lead.id, type: 'note', at: '2026-11-23T09:10:00Z', userId: t.admin.id, body: 'called back', data: {} }));
    expect(await notAttempted()).toBe(false);
  });

  it('acts as the preferred user when active, else the first active admin', async () => {
    expect((await intakeActor(t.store, t.ravi.id)).id).toBe(t.ravi.id);
    expect((await intakeActor(t.store, null)).id).toBe(t.admin.id);
  });
});
