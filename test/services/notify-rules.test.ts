import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runDueJobs } from '../../src/daemon/jobs.js';
import { addAppointment, changeAppointment } from '../../src/services/appointments/service.js';
import { addFollowUp, completeFollowUp } from '../../src/services/followups/service.js';
import { addLead } from '../../src/services/leads/service.js';
import { setRule } from '../../src/services/notify/service.js';
import { runDailyReport, runFollowUpReminders, runMissedFollowUps } from '../../src/services/notify/time-rules.js';
import { Deliverer } from '../../src/services/outbox/deliver.js';
import { setSetting } from '../../src/services/settings/service.js';
import type { OutboxMessage } from '../../src/domain/notify.js';
import { startSmtp, type Smtp } from '../helpers/notify-servers.js';
import { aLead, testTeam, type TestTeam } from '../helpers/store.js';

let team: TestTeam;
let smtp: Smtp;
beforeEach(async () => {
  team = await testTeam();
  smtp = await startSmtp();
  const admin = team.as(team.admin);
  for (const [k, v] of [['smtp.host', '127.0.0.1'], ['smtp.port', String(smtp.port)], ['smtp.ignore-tls', 'true'], ['smtp.from', 'crm@acme.example'], ['notify.timezone', 'UTC']] as const) {
    await setSetting(admin, k, v);
  }
  // The lead rules are tested elsewhere: their mails would mix with these.
  await setRule(admin, 'new-lead', { on: false });
});
afterEach(async () => {
  await team.close();
  await smtp.stop();
});

const T = (hhmm: string, day = 23) => new Date(`2026-11-${day}T${hhmm}:00.000Z`);
const UTC = { timeZone: 'UTC' };
const env = () => ({ CRM_HOME: team.dir });

/** The outbox rows of a rule, as [channel, recipient] pairs, sorted. */
async function rows(rule: string): Promise<OutboxMessage[]> {
  return (await team.store.outbox.list({ limit: 1000 })).filter((m) => m.rule === rule);
}
const who = (ms: OutboxMessage[]) => ms.map((m) => `${m.channel}:${m.address ?? `${m.recipientKind}${m.recipientId}`}`).sort();

async function deliver(now: Date) {
  const d = new Deliverer({ store: team.store, env: env() });
  try {
    return await d.drain(now);
  } finally {
    d.close();
  }
}

async function aClientLead(user = team.ravi) {
  const { lead } = await addLead(team.as(team.admin, T('08:00')), aLead({ name: 'Anita Desai', emails: ['anita@desai.example'], business: 'Desai Textiles', assign: [user.email] } as never));
  return lead;
}

describe('follow-up reminders and missed follow-ups (walking a day)', () => {
  it('each reminder row becomes messages on its own channel at its time, once; completing the follow-up stops the rest', async () => {
    const lead = await aClientLead();
    const { followUp } = await addFollowUp(team.as(team.ravi, T('09:00')), { leadId: lead.id, title: 'Call Anita', start: '2026-11-23 11:00', notify: ['1h', '15m'], channels: ['email', 'inbox'] }, UTC);
    expect(await runFollowUpReminders(team.store, T('09:59'))).toBe(0);
    expect(await runFollowUpReminders(team.store, T('10:00'))).toBe(2);
    expect(who(await rows('followup-reminder'))).toEqual([`email:ravi@acme.example`, `inbox:user${team.ravi.id}`]);
    const reminders = await team.store.followUps.reminders(followUp.id);
    expect(reminders.filter((r) => r.sentAt).map((r) => [r.minutesBefore, r.channel]).sort()).toEqual([[60, 'email'], [60, 'inbox']]);
    // The same minute again (or a restarted daemon): nothing more.
    expect(await runFollowUpReminders(team.store, T('10:01'))).toBe(0);
    expect((await rows('followup-reminder')).length).toBe(2);
    await deliver(T('10:01'));
    const [mail] = await smtp.waitFor(1);
    expect(mail!.subject).toBe('Reminder: Call Anita with Anita Desai at 11:00');
    expect(JSON.stringify(mail!.to)).toContain('ravi@acme.example');
    expect(mail!.text).toContain('starts on 2026-11-23 at 11:00');
    await completeFollowUp(team.as(team.ravi, T('10:30')), followUp.id);
    expect(await runFollowUpReminders(team.store, T('10:45'))).toBe(0);
    expect((await rows('followup-reminder')).length).toBe(2);
  });

  it('a reminder found more than an hour after its follow-up started (daemon down) is handled without a message', async () => {
    const lead = await aClientLead();
    const { followUp } = await addFollowUp(team.as(team.ravi, T('09:00')), { leadId: lead.id, title: 'Call', start: '2026-11-23 11:00', notify: ['1h', '15m'], channels: ['inbox'] }, UTC);
    expect(await runFollowUpReminders(team.store, T('12:01'))).toBe(0);
    expect(await rows('followup-reminder')).toEqual([]);
    expect((await team.store.followUps.reminders(followUp.id)).map((r) => r.sentAt)).toEqual([T('12:01').toISOString(), T('12:01').toISOString()]);
    // Within the hour it still goes out, late.
    const late = (await addFollowUp(team.as(team.ravi, T('09:00')), { leadId: lead.id, title: 'Late', start: '2026-11-23 13:00', notify: ['15m'], channels: ['inbox'] }, UTC)).followUp;
    expect(await runFollowUpReminders(team.store, T('13:30'))).toBe(1);
    expect((await rows('followup-reminder')).map((m) => m.vars.title)).toEqual(['Late']);
    expect(late.id).toBeGreaterThan(followUp.id);
  });

  it('a reminder on a channel the rule excludes is handled without a message', async () => {
    const lead = await aClientLead();
    await setRule(team.as(team.admin), 'followup-reminder', { channels: ['inbox'] });
    const { followUp } = await addFollowUp(team.as(team.ravi, T('09:00')), { leadId: lead.id, title: 'Call', start: '2026-11-23 11:00', notify: ['1h'], channels: ['email', 'inbox'] }, UTC);
    await runFollowUpReminders(team.store, T('10:00'));
    expect(who(await rows('followup-reminder'))).toEqual([`inbox:user${team.ravi.id}`]);
    expect((await team.store.followUps.reminders(followUp.id)).every((r) => r.sentAt)).toBe(true);
  });

  it('a follow-up past its end and still open goes to its assignee and their manager, once; a completed one does not', async () => {
    const lead = await aClientLead(team.priya);
    const ctx = team.as(team.priya, T('09:00'));
    const missed = (await addFollowUp(ctx, { leadId: lead.id, title: 'Send quote', start: '2026-11-23 09:30', duration: '30m' }, UTC)).followUp;
    const done = (await addFollowUp(ctx, { leadId: lead.id, title: 'Call', start: '2026-11-23 09:30', duration: '30m' }, UTC)).followUp;
    await completeFollowUp(team.as(team.priya, T('09:50')), done.id);
    expect(await runMissedFollowUps(team.store, T('10:00'))).toBe(0);
    expect(await runMissedFollowUps(team.store, T('10:01'))).toBe(1);
    expect(await runMissedFollowUps(team.store, T('10:02'))).toBe(0);
    const ms = await rows('missed-followup');
    expect(who(ms)).toEqual(['email:meera@acme.example', 'email:priya@acme.example', `inbox:user${team.manager.id}`, `inbox:user${team.priya.id}`].sort());
    expect(ms.every((m) => m.vars.title === 'Send quote' && m.leadId === lead.id)).toBe(true);
    await deliver(T('10:02'));
    const mails = await smtp.waitFor(2);
    expect(mails.map((m) => m.subject)).toEqual(['Missed follow-up: Send quote with Anita Desai', 'Missed follow-up: Send quote with Anita Desai']);
    expect(mails[0]!.text).toContain('due on 2026-11-23 at 09:30');
    expect(missed.id).toBeGreaterThan(0);
  });
});

describe('demos and appointments', () => {
  it('confirming and completing a demo notifies the client, managers and rep with its date and time, in the same transaction', async () => {
    const lead = await aClientLead();
    const a = await addAppointment(team.as(team.ravi, T('09:00')), { leadId: lead.id, kind: 'demo', at: '2026-11-23 15:00', location: 'Zoom' }, UTC);
    const meeting = await addAppointment(team.as(team.ravi, T('09:00')), { leadId: lead.id, kind: 'meeting', at: '2026-11-23 16:00' }, UTC);
    await changeAppointment(team.as(team.ravi, T('09:05')), meeting.id, 'confirm');
    expect(await rows('demo-confirmed')).toEqual([]);
    await changeAppointment(team.as(team.ravi, T('09:05')), a.id, 'confirm');
    const confirmed = await rows('demo-confirmed');
    expect(who(confirmed)).toEqual(['email:anita@desai.example', 'email:meera@acme.example', 'email:ravi@acme.example', `inbox:user${team.manager.id}`, `inbox:user${team.ravi.id}`].sort());
    // A refused change stores no notification.
    await expect(changeAppointment(team.as(team.ravi, T('09:06')), a.id, 'confirm')).rejects.toThrow(/confirmed/);
    expect((await rows('demo-confirmed')).length).toBe(5);
    await deliver(T('09:06'));
    const mails = await smtp.waitFor(3);
    const client = mails.find((m) => JSON.stringify(m.to).includes('anita@desai.example'))!;
    expect(client.subject).toBe('Demo confirmed: 2026-11-23 at 15:00');
    expect(client.text).toContain('Where:  Zoom');
    expect(client.text).toContain('With:   Ravi Kumar');
    await changeAppointment(team.as(team.ravi, T('16:00')), a.id, 'complete');
    expect(who(await rows('demo-completed'))).toEqual(who(confirmed));
  });

  it("walking a day: the 07:00 message for the day's appointments, 1 h before a demo, the 19:00 report slept through and sent once", async () => {
    const log = () => undefined;
    const ctx = { store: team.store, env: env(), log };
    expect(await runDueJobs({ ...ctx, now: T('06:00') })).not.toContain('rules.appointments-today');
    const lead = await aClientLead();
    const demo = await addAppointment(team.as(team.ravi, T('06:00')), { leadId: lead.id, kind: 'demo', at: '2026-11-23 15:00', location: 'Office' }, UTC);
    await addAppointment(team.as(team.ravi, T('06:00')), { leadId: lead.id, kind: 'meeting', at: '2026-11-24 10:00' }, UTC);
    expect(await runDueJobs({ ...ctx, now: T('06:59') })).not.toContain('rules.appointments-today');
    expect(await runDueJobs({ ...ctx, now: T('07:00') })).toContain('rules.appointments-today');
    expect(await runDueJobs({ ...ctx, now: T('07:01') })).not.toContain('rules.appointments-today');
    const today = await rows('appointments-today');
    // Only today's (the demo), to the client and the rep.
    expect(who(today)).toEqual(['email:anita@desai.example', 'email:ravi@acme.example', `inbox:user${team.ravi.id}`]);
    expect(today.every((m) => m.vars.at === demo.startAt && m.vars.kind === 'demo')).toBe(true);

    await runDueJobs({ ...ctx, now: T('13:59') });
    expect(await rows('demo-soon')).toEqual([]);
    await runDueJobs({ ...ctx, now: T('14:00') });
    await runDueJobs({ ...ctx, now: T('14:30') });
    expect(who(await rows('demo-soon'))).toEqual(['email:anita@desai.example', 'email:meera@acme.example', 'email:ravi@acme.example', `inbox:user${team.manager.id}`, `inbox:user${team.ravi.id}`].sort());

    // Asleep from 18:50 to 21:00: the 19:00 report goes out once on waking.
    expect(await runDueJobs({ ...ctx, now: T('18:50') })).not.toContain('reports.daily');
    expect(await runDueJobs({ ...ctx, now: T('21:00') })).toContain('reports.daily');
    expect(await runDueJobs({ ...ctx, now: T('21:01') })).not.toContain('reports.daily');
    expect(who(await rows('daily-report'))).toEqual(['email:meera@acme.example', `inbox:user${team.manager.id}`]);
    await deliver(T('21:01'));
    // 2 for the morning (client, rep), 3 an hour before (client, manager, rep), 1 report.
    const mails = await smtp.waitFor(6);
    expect(mails.map((m) => m.subject).sort()).toEqual([
      'Daily report 2026-11-23', 'Demo in one hour: Anita Desai at 15:00', 'Demo in one hour: Anita Desai at 15:00', 'Demo in one hour: Anita Desai at 15:00',
      'Today: demo at 15:00 (Anita Desai)', 'Today: demo at 15:00 (Anita Desai)',
    ]);
    const report = mails.find((m) => m.subject === 'Daily report 2026-11-23')!;
    expect(JSON.stringify(report.to)).toContain('meera@acme.example');
  });

  it("the evening report holds today's completed demos, tomorrow's confirmed ones and the day's leads by user, source and status", async () => {
    const admin = team.as(team.admin, T('08:00'));
    const a = (await addLead(admin, aLead({ name: 'Anita Desai', source: 'Website', assign: ['ravi@acme.example'] }))).lead;
    const b = (await addLead(admin, aLead({ name: 'Bruno Sousa', source: 'Website', assign: ['ravi@acme.example'] }))).lead;
    await addLead(admin, aLead({ name: 'Carla Reis', source: 'Referral', assign: ['priya@acme.example'] }));
    await addLead(team.as(team.admin, T('08:00', 22)), aLead({ name: 'Yesterday Lead', source: 'IVR' }));
    const done = await addAppointment(team.as(team.ravi, T('09:00')), { leadId: a.id, kind: 'demo', at: '2026-11-23 10:00' }, UTC);
    await changeAppointment(team.as(team.ravi, T('11:00')), done.id, 'complete');
    const tomorrow = await addAppointment(team.as(team.ravi, T('09:00')), { leadId: b.id, kind: 'demo', at: '2026-11-24 12:00', location: 'Zoom' }, UTC);
    await changeAppointment(team.as(team.ravi, T('09:10')), tomorrow.id, 'confirm');
    await setRule(team.as(team.admin), 'daily-report', { channels: ['email'] });
    expect(await runDailyReport(team.store, T('19:00'), env())).toBe(1);
    expect(await runDailyReport(team.store, T('19:05'), env())).toBe(0);
    const [msg] = await rows('daily-report');
    const text = msg!.vars.report!;
    const section = (title: string) => text.split('\n\n').find((s) => s.startsWith(title)) ?? '';
    expect(section('Demos completed')).toMatch(/Anita Desai/);
    expect(section('Demos completed')).not.toMatch(/Bruno Sousa/);
    expect(section('Demos confirmed')).toMatch(/Bruno Sousa.*Zoom/);
    expect(section('Leads created by source')).toMatch(/Website\s+2\b/);
    expect(section('Leads created by source')).toMatch(/Referral\s+1\b/);
    expect(section('Leads created by source')).not.toMatch(/IVR/);
    expect(section('Leads created by user')).toMatch(/ravi@acme\.example\s+2\b|Ravi Kumar\s+2\b/);
    expect(section('Leads created by status')).toMatch(/\b3\b/);
    await deliver(T('19:01'));
    const mail = (await smtp.waitFor(1)).find((m) => m.subject === 'Daily report 2026-11-23');
    expect(mail!.text).toContain('Bruno Sousa');
    expect(mail!.text).toContain('Leads created by source');
  });
});
