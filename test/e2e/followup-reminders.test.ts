import { afterEach, describe, expect, it } from 'vitest';
import { NOW, teamHome } from '../helpers/cli.js';
import { daemonTracker } from '../helpers/daemon.js';
import { startSmtp } from '../helpers/notify-servers.js';
import { waitFor } from '../helpers/wait.js';

const tracked = daemonTracker();
afterEach(() => tracked.teardown());

/** The daemon on a fixed clock: its scheduler and deliveries see that time. */
const at = (iso: string) => ({ env: { CRM_NOW: iso, CRM_SMTP_PASS: 'pw' } });

describe('follow-up reminders delivered by the daemon', () => {
  it('a reminder not yet due is not sent; once its time has come the daemon delivers it to the inbox and by email', async () => {
    const h = tracked.home(await teamHome());
    const smtp = tracked.server(await startSmtp({ user: 'crm', pass: 'pw' }));
    for (const [k, v] of [['smtp.host', '127.0.0.1'], ['smtp.port', String(smtp.port)], ['smtp.ignore-tls', 'true'], ['smtp.user', 'crm'], ['smtp.from', 'crm@acme.example']]) await h.ok(['config', 'set', k!, v!]);
    await h.ok(['notify', 'set', 'new-lead', '--off']);
    await h.ok(['notify', 'set', 'not-attempted', '--off']);
    const lead = (await h.json(['lead', 'add', '--name', 'Ana Sousa', '--email', 'ana@sousa.example', '--assign', 'ravi@acme.example'])).lead.id;
    // 10:00, reminded 15 minutes before: due at 09:45 (the clock says 09:00).
    const f = await h.json(['followup', 'add', '--lead', String(lead), '--title', 'Send revised quote', '--start', 'today 10:00', '--assign', 'ravi@acme.example', '--notify', '15m', '--channel', 'email,inbox']);
    expect((await h.json(['followup', 'show', String(f.id)])).reminders.map((r: any) => [r.channel, r.dueAt, r.sentAt])).toEqual([
      ['email', '2026-11-23T09:45:00.000Z', null], ['inbox', '2026-11-23T09:45:00.000Z', null],
    ]);

    // At 09:00 the daemon runs the reminder job (recorded in its status) and sends nothing.
    await h.ok(['daemon', 'start'], at(NOW));
    await waitFor(async () => (await h.json(['daemon', 'status'], at(NOW))).jobs.find((j: any) => j.name === 'rules.followup-reminders')?.lastRunAt, { what: 'the reminder job to run at 09:00' });
    expect((await h.json(['daemon', 'status'], at(NOW))).outbox).toMatchObject({ pending: 0, sending: 0, sent: 0 });
    expect(await h.json(['inbox', '--as', 'ravi@acme.example'])).toEqual([]);
    await h.ok(['daemon', 'stop'], at(NOW));
    expect(smtp.messages).toHaveLength(0);

    // At 09:50 the reminder is due: the daemon delivers it, once per channel.
    const later = '2026-11-23T09:50:00.000Z';
    await h.ok(['daemon', 'start'], at(later));
    const [mail] = await smtp.waitFor(1);
    expect(JSON.stringify(mail!.to)).toContain('ravi@acme.example');
    expect(`${mail!.subject}\n${mail!.text}`).toContain('Send revised quote');
    const inbox = await waitFor(async () => {
      const rows = await h.json<any[]>(['inbox', '--as', 'ravi@acme.example']);
      return rows.length > 0 && rows;
    }, { what: "the reminder in Ravi's inbox" });
    expect(inbox).toHaveLength(1);
    expect(inbox[0]).toMatchObject({ leadId: lead });
    expect(`${inbox[0].subject}\n${inbox[0].body}`).toContain('Send revised quote');
    const reminders = await waitFor(async () => {
      const r = (await h.json(['followup', 'show', String(f.id)], at(later))).reminders;
      return r.every((x: any) => x.sentAt) && r;
    }, { what: 'both reminders marked sent' });
    expect(reminders).toHaveLength(2);
    expect(smtp.messages).toHaveLength(1);
  }, 60_000);
});
