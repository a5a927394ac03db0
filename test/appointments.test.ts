import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError } from '../src/errors.js';
import { addAppointment, changeAppointment, listAppointments } from '../src/services/appointments/service.js';
import { setSetting } from '../src/services/settings/service.js';
import { addLeadAs, testTeam, type TestTeam } from './helpers/store.js';

const UTC = { timeZone: 'UTC' };

describe('appointments and demos (services, fixed clock)', () => {
  let t: TestTeam;
  beforeEach(async () => {
    t = await testTeam();
  });
  afterEach(() => t.close());

  it('books a demo with participants; confirming moves the lead to the configured stage, completing to the next', async () => {
    const lead = await addLeadAs(t, t.ravi);
    const admin = t.as(t.admin);
    await setSetting(admin, 'demo.confirmed-stage', 'Demo');
    const a = await addAppointment(t.as(t.ravi), { leadId: lead.id, kind: 'demo', at: '2026-11-25 15:00', duration: '45m', location: 'Zoom', with: ['ravi@acme.example', 'client@sousa.example'] }, UTC);
    expect(a).toMatchObject({ status: 'scheduled', startAt: '2026-11-25T15:00:00.000Z', endAt: '2026-11-25T15:45:00.000Z', durationMinutes: 45, location: 'Zoom' });
    expect(a.participants).toEqual([{ email: 'client@sousa.example', userId: null }, { email: 'ravi@acme.example', userId: t.ravi.id }]);
    const confirmed = await changeAppointment(t.as(t.ravi), a.id, 'confirm');
    expect(confirmed.movedTo).toBe('Demo');
    expect((await t.store.leads.get(lead.id))!.stage).toBe('Demo');
    await expect(changeAppointment(t.as(t.ravi), a.id, 'complete')).rejects.toThrow(/in the future/);
    const done = await changeAppointment(t.as(t.ravi, new Date('2026-11-25T16:00:00Z')), a.id, 'complete', 'Liked the reports');
    expect(done).toMatchObject({ movedTo: 'Proposal Sent', appointment: { status: 'completed', outcome: 'Liked the reports' } });
    const types = (await t.store.activities.forLead(lead.id)).map((x) => x.type);
    expect(types).toEqual(['stage', 'appointment-completed', 'stage', 'appointment-confirmed', 'appointment', 'created']);
    await expect(changeAppointment(admin, a.id, 'cancel')).rejects.toBeInstanceOf(ConflictError);
  });

  it('refuses a time in the past unless --past, and a duration that is not one; stores nothing', async () => {
    const lead = await addLeadAs(t, t.admin);
    const ctx = t.as(t.admin);
    await expect(addAppointment(ctx, { leadId: lead.id, at: 'yesterday 10:00' }, UTC)).rejects.toThrow(/in the past/);
    await expect(addAppointment(ctx, { leadId: lead.id, at: 'tomorrow 10:00', duration: 'long' }, UTC)).rejects.toThrow(/invalid duration/);
    await expect(addAppointment(ctx, { leadId: lead.id, at: 'at some point' }, UTC)).rejects.toThrow(/cannot read at/);
    expect(await t.store.appointments.list({})).toEqual([]);
    const past = await addAppointment(ctx, { leadId: lead.id, at: 'yesterday 10:00', past: true }, UTC);
    expect(past.startAt).toBe('2026-11-22T10:00:00.000Z');
  });

  it('lists today, tomorrow and this month in the user’s zone; reps see their own', async () => {
    const mine = await addLeadAs(t, t.ravi);
    const hers = await addLeadAs(t, t.priya);
    const add = (user: typeof t.ravi, leadId: number, at: string) => addAppointment(t.as(user), { leadId, at, with: [user.email] }, UTC);
    const today = await add(t.ravi, mine.id, '2026-11-23 15:00');
    const tomorrow = await add(t.ravi, mine.id, '2026-11-24 09:00');
    const later = await add(t.priya, hers.id, '2026-11-29 09:00');
    const december = await add(t.priya, hers.id, '2026-12-02 09:00');
    const ids = async (user: typeof t.ravi, f: Parameters<typeof listAppointments>[1]) => (await listAppointments(t.as(user), f, UTC)).map((a) => a.id);
    expect(await ids(t.admin, { today: true })).toEqual([today.id]);
    expect(await ids(t.admin, { tomorrow: true })).toEqual([tomorrow.id]);
    expect(await ids(t.admin, { thisMonth: true })).toEqual([today.id, tomorrow.id, later.id]);
    expect(await ids(t.admin, {})).toEqual([today.id, tomorrow.id, later.id, december.id]);
    expect(await ids(t.ravi, {})).toEqual([today.id, tomorrow.id]);
    await changeAppointment(t.as(t.ravi), tomorrow.id, 'confirm');
    expect(await ids(t.admin, { status: 'confirmed' })).toEqual([tomorrow.id]);
  });
});
