import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, PermissionError, UsageError } from '../../src/errors.js';
import { addLead } from '../../src/services/leads/service.js';
import { setRule } from '../../src/services/notify/service.js';
import { Deliverer } from '../../src/services/outbox/deliver.js';
import { addSchedule, listSchedules, removeSchedule, runDueSchedules, runScheduleNow } from '../../src/services/reports/schedules.js';
import { setSetting } from '../../src/services/settings/service.js';
import { startSmtp, type Smtp } from '../helpers/notify-servers.js';
import { aLead, testTeam, type TestTeam } from '../helpers/store.js';

let team: TestTeam;
let smtp: Smtp;
beforeEach(async () => {
  team = await testTeam();
  smtp = await startSmtp();
  const admin = team.as(team.admin);
  for (const [k, v] of [['smtp.host', '127.0.0.1'], ['smtp.port', String(smtp.port)], ['smtp.ignore-tls', 'true'], ['smtp.from', 'crm@acme.example']] as const) await setSetting(admin, k, v);
  await setRule(admin, 'new-lead', { on: false });
});
afterEach(async () => {
  await team.close();
  await smtp.stop();
});

const T = (hhmm: string, day = 23) => new Date(`2026-11-${day}T${hhmm}:00.000Z`);
const env = () => ({ CRM_HOME: team.dir });
const daily = { name: 'leads-daily', report: 'leads', options: { by: 'source' }, cron: '0 19 * * *', tz: 'UTC', to: ['managers', 'boss@partner.example'], format: 'csv' };

async function deliver(now: Date) {
  const d = new Deliverer({ store: team.store, env: env() });
  try {
    return await d.drain(now);
  } finally {
    d.close();
  }
}
const scheduled = async () => (await team.store.outbox.list({ limit: 1000 })).filter((m) => m.rule === 'scheduled-report');

describe('scheduled reports (R2)', () => {
  it('refuses bad definitions with the reason, and reps altogether', async () => {
    const m = team.as(team.manager, T('09:00'));
    await expect(addSchedule(m, { ...daily, cron: '0 19 * *' })).rejects.toThrow(UsageError);
    await expect(addSchedule(m, { ...daily, cron: '0 0 19 * * *' })).rejects.toThrow(/invalid cron expression/);
    await expect(addSchedule(m, { ...daily, cron: '0 25 * * *' })).rejects.toThrow(/invalid cron expression '0 25/);
    await expect(addSchedule(m, { ...daily, report: 'sales' })).rejects.toThrow(/unknown report 'sales'/);
    await expect(addSchedule(m, { ...daily, options: {} })).rejects.toThrow(/^by is required/);
    await expect(addSchedule(m, { ...daily, format: 'chart' })).rejects.toThrow(/unknown format 'chart'/);
    await expect(addSchedule(m, { ...daily, to: ['not an address'] })).rejects.toThrow(UsageError);
    await expect(addSchedule(m, { ...daily, tz: 'Mars/Olympus' })).rejects.toThrow(/unknown time zone/);
    await expect(addSchedule(team.as(team.ravi, T('09:00')), daily)).rejects.toBeInstanceOf(PermissionError);
    expect(await team.store.reportSchedules.list()).toEqual([]);
    await addSchedule(m, daily);
    await expect(addSchedule(m, daily)).rejects.toBeInstanceOf(ConflictError);
    await expect(removeSchedule(m, 'nope')).rejects.toBeInstanceOf(NotFoundError);
    await expect(listSchedules(team.as(team.ravi))).rejects.toBeInstanceOf(PermissionError);
  });

  it('runs at each cron slot once; a machine asleep through one or several slots runs it once on waking, never twice', async () => {
    const m = team.as(team.manager, T('09:00'));
    await addSchedule(m, daily, env());
    expect((await listSchedules(m))[0]).toMatchObject({ name: 'leads-daily', nextRunAt: T('19:00').toISOString(), lastRunAt: null, recipients: ['managers', 'boss@partner.example'] });
    expect(await runDueSchedules(team.store, T('18:59'), env())).toEqual([]);
    expect(await runDueSchedules(team.store, T('19:00'), env())).toEqual(['leads-daily']);
    expect(await runDueSchedules(team.store, T('19:01'), env())).toEqual([]);
    expect((await scheduled()).map((x) => x.address).sort()).toEqual(['boss@partner.example', 'meera@acme.example']);
    // Asleep from 24th 18:00 to 26th 20:00: two slots missed, one run.
    expect(await runDueSchedules(team.store, T('18:00', 24), env())).toEqual([]);
    expect(await runDueSchedules(team.store, T('20:00', 26), env())).toEqual(['leads-daily']);
    expect(await runDueSchedules(team.store, T('20:01', 26), env())).toEqual([]);
    expect(await runDueSchedules(team.store, T('20:02', 26), env())).toEqual([]);
    expect((await scheduled()).length).toBe(4);
    const [s] = await listSchedules(team.as(team.manager, T('20:02', 26)));
    expect(s).toMatchObject({ lastSlotAt: T('19:00', 26).toISOString(), lastRunAt: T('20:00', 26).toISOString(), lastError: null, nextRunAt: T('19:00', 27).toISOString() });
  });

  it("follows the schedule's own time zone", async () => {
    await addSchedule(team.as(team.admin, T('09:00')), { ...daily, tz: 'Asia/Kolkata' }, env());
    // 19:00 in Kolkata is 13:30 UTC.
    expect(await runDueSchedules(team.store, T('13:29'), env())).toEqual([]);
    expect(await runDueSchedules(team.store, T('13:30'), env())).toEqual(['leads-daily']);
  });

  it('emails a readable body and the report as a spreadsheet-safe CSV attachment', async () => {
    const admin = team.as(team.admin, T('08:00'));
    await addLead(admin, aLead({ source: 'Website' }));
    await addLead(admin, aLead({ source: 'Website' }));
    await team.store.transaction(() => team.store.sources.insert('=HYPERLINK("http://evil")'));
    await addLead(admin, aLead({ source: '=HYPERLINK("http://evil")' }));
    await addSchedule(team.as(team.manager, T('09:00')), daily, env());
    await runDueSchedules(team.store, T('19:00'), env());
    await deliver(T('19:00'));
    const mails = await smtp.waitFor(2);
    expect(mails.map((x) => (x.to as { text: string }).text).sort()).toEqual(['boss@partner.example', 'meera@acme.example']);
    for (const mail of mails) {
      expect(mail.subject).toBe('Report leads-daily: Leads created by source (2026-11-23)');
      expect(mail.text).toMatch(/SOURCE\s+LEADS\s+NOW CUSTOMERS\s+CONVERSION %/);
      expect(mail.text).toMatch(/Website\s+2\s+0/);
      expect(mail.attachments.map((a) => [a.filename, a.contentType])).toEqual([['leads-daily-2026-11-23.csv', 'text/csv']]);
      const csv = mail.attachments[0]!.content.toString('utf8');
      expect(csv.split('\r\n')[0]).toBe('SOURCE,LEADS,NOW CUSTOMERS,CONVERSION %');
      expect(csv).toContain('Website,2,0,');
      // A formula is neutralised for spreadsheets.
      expect(csv).toContain(`"'=HYPERLINK(""http://evil"")",1,0,`);
    }
  });

  it('run-now queues the same messages at once (json and table formats too); a deactivated author is reported on the schedule', async () => {
    const m = team.as(team.manager, T('09:00'));
    await addSchedule(m, { ...daily, name: 'pipeline-json', report: 'pipeline', options: {}, format: 'json', to: ['admins'] }, env());
    await addSchedule(m, { ...daily, name: 'demos-text', report: 'demos', options: { confirmed: 'tomorrow' }, format: 'table', to: ['admin@acme.example'] }, env());
    const r = await runScheduleNow(team.as(team.admin, T('10:00')), 'pipeline-json', env());
    expect(r).toMatchObject({ queued: 1, addresses: ['admin@acme.example'], emailConfigured: true });
    await runScheduleNow(team.as(team.admin, T('10:00')), 'demos-text', env());
    await deliver(T('10:00'));
    const mails = await smtp.waitFor(2);
    const json = mails.find((x) => x.subject?.startsWith('Report pipeline-json'))!;
    expect(json.attachments[0]!.filename).toBe('pipeline-json-2026-11-23.json');
    expect(JSON.parse(json.attachments[0]!.content.toString('utf8'))).toMatchObject({ report: 'pipeline', rows: expect.any(Array) });
    const text = mails.find((x) => x.subject?.startsWith('Report demos-text'))!;
    expect(text.attachments[0]!.filename).toBe('demos-text-2026-11-23.txt');
    expect(text.attachments[0]!.content.toString('utf8')).toContain('No rows.');
    // Run-now does not use up the 19:00 slot.
    expect(await runDueSchedules(team.store, T('19:00'), env())).toEqual(['demos-text', 'pipeline-json']);
    await team.store.users.update(team.manager.id, { active: false });
    await expect(runDueSchedules(team.store, T('19:00', 24), env())).rejects.toThrow(/deactivated/);
    expect((await team.store.reportSchedules.byName('demos-text'))!.lastError).toMatch(/deactivated/);
    // The failed slot is spent: not retried every minute.
    expect(await runDueSchedules(team.store, T('19:01', 24), env())).toEqual([]);
  });
});
