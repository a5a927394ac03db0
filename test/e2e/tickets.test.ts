import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { teamHome, type Home } from '../helpers/cli.js';
import { daemonTracker, LIVE } from '../helpers/daemon.js';
import { anEmail, fakeImap, type FakeImap } from '../helpers/imap-server.js';
import { startSmtp } from '../helpers/notify-servers.js';
import { waitFor } from '../helpers/wait.js';

describe('crm ticket: an email round trip through the loopback SMTP and IMAP servers, and the SLA rule', () => {
  const tracked = daemonTracker();
  let imap: FakeImap | undefined;
  afterEach(async () => {
    await tracked.teardown();
    await imap?.close();
  });

  it('a reply is mailed with its Message-ID; the answer lands on the ticket (not a new lead); a missed target is announced', async () => {
    const h = tracked.home(await teamHome());
    const smtp = tracked.server(await startSmtp());
    imap = await fakeImap();
    for (const [k, v] of [['smtp.host', '127.0.0.1'], ['smtp.port', String(smtp.port)], ['smtp.ignore-tls', 'true'], ['smtp.from', 'support@acme.example']]) await h.ok(['config', 'set', k!, v!]);
    await h.ok(['notify', 'set', 'new-lead', '--off']);
    const ana = (await h.ok(['lead', 'add', '-q', '--name', 'Ana Sousa', '--business', 'Sousa Lda', '--email', 'ana@sousa.example', '--assign', 'ravi@acme.example'])).trim();

    expect(await h.ok(['ticket', 'add', '--lead', ana, '--subject', 'Invoice shows the wrong address', '--priority', 'high', '--body', 'The invoice says Porto; we are in Lisbon.', '--as', 'ravi@acme.example']))
      .toBe(`Opened ticket 1 on lead ${ana} (Ana Sousa): high, unassigned`);
    expect(await h.ok(['ticket', 'list'])).toBe(`1\t${ana} Ana Sousa\tInvoice shows the wrong address\tnew\thigh\t\t\tok\t2026-11-23 09:00`);
    expect(await h.ok(['ticket', 'reply', '1', '--body', 'Fixed: the new invoice is on its way.', '--as', 'ravi@acme.example'])).toMatch(/^Replied to ticket 1: mail to ana@sousa\.example queued \(ticket1\/reply\/[\w-]+\); status pending-customer$/);
    const replied = await h.json<any>(['ticket', 'show', '1']);
    expect(replied).toMatchObject({ status: 'pending-customer', sla: { breached: false, firstResponse: { state: 'met' } }, firstResponseAt: '2026-11-23T09:00:00.000Z' });
    const sentId: string = replied.messages[1].messageId;
    expect(sentId).toMatch(/^<t-1\.[\w-]+@acme\.example>$/);

    // The daemon mails it; the Message-ID on the wire is the one recorded.
    await h.ok(['daemon', 'start'], { env: { CRM_NOW: '2026-11-23T09:05:00Z' } });
    const mail = await waitFor(() => smtp.messages.find((m) => m.subject === 'Re: Invoice shows the wrong address [#T-1]'), { what: 'the reply email' });
    await h.ok(['daemon', 'stop'], LIVE);
    expect(mail.messageId).toBe(sentId);
    expect(JSON.stringify(mail.to)).toContain('ana@sousa.example');
    expect(mail.text).toContain('Fixed: the new invoice is on its way.');

    // Ana answers the mail; another person writes a new inquiry. One poll: a reply on the ticket, one new lead.
    await h.ok(['mailbox', 'set', '--imap-host', imap.host, '--port', String(imap.port), '--no-tls', '--user', imap.user]);
    await h.ok(['config', 'set', 'mailbox.pass', imap.pass]);
    imap.deliver(anEmail({
      from: 'Ana Sousa <ana@sousa.example>', subject: 'Re: Invoice shows the wrong address [#T-1]',
      headers: { 'In-Reply-To': mail.messageId!, References: mail.messageId! }, body: 'It still says Porto.\n\nOn Mon, 23 Nov 2026, support@acme.example wrote:\n> Fixed: the new invoice is on its way.\n',
    }));
    imap.deliver(anEmail({ from: 'Kavya Menon <kavya@menon.example>', subject: 'Need a quote', body: 'Please quote 500 m.' }));
    const poll = await h.ok(['mailbox', 'poll'], { env: { CRM_NOW: '2026-11-23T10:00:00Z' } });
    expect(poll).toContain(`\tticket\t${ana}\tana@sousa.example\tRe: Invoice shows the wrong address [#T-1]\treply to ticket T-1`);
    expect(poll).toContain('2 message(s) in leads@acme.example/INBOX: 1 new lead(s), 0 to known contacts, 0 re-engaged, 0 skipped, 0 already handled, 1 reply(ies) to tickets');
    expect((await h.json<{ name: string }[]>(['lead', 'list'])).map((l) => l.name).sort()).toEqual(['Ana Sousa', 'Kavya Menon']);
    const answered = await h.json<any>(['ticket', 'show', '1']);
    expect(answered.status).toBe('open');
    expect(answered.messages[2]).toMatchObject({ direction: 'in', from: 'ana@sousa.example', body: 'It still says Porto.', inReplyTo: sentId });
    const show = await h.ok(['lead', 'show', ana]);
    expect(show).toContain('Tickets\n  2026-11-23 09:00  #1 Invoice shows the wrong address (open, high)');
    expect(show).toContain('ticket 1 customer replied (ana@sousa.example): It still says Porto.');
    expect(show).toContain('ticket 1 replied to ana@sousa.example (pending-customer): Fixed: the new invoice is on its way.  — ravi@acme.example');
    expect(show).toContain('ticket 1 opened (high): Invoice shows the wrong address  — ravi@acme.example');
    // Ravi, the lead's rep, is told in his inbox once the daemon delivers.

    // An urgent ticket nobody answers: 1 h for the first response. At 10:30 the daemon announces it to Ravi and his manager, by email.
    await h.ok(['ticket', 'add', '--lead', ana, '--subject', 'Site down', '--priority', 'urgent', '--assign', 'ravi@acme.example']);
    expect(await h.ok(['ticket', 'list', '--breached'], { env: { CRM_NOW: '2026-11-23T10:30:00Z' } })).toMatch(/^2\t.*\tSite down\topen\turgent\t\travi@acme\.example\tbreached\t/);
    await h.ok(['daemon', 'start'], { env: { CRM_NOW: '2026-11-23T10:30:00Z' } });
    const breach = await waitFor(() => {
      const got = smtp.messages.filter((m) => m.subject === 'Ticket T-2 missed its first response target: Site down');
      return got.length === 2 && got;
    }, { what: 'the SLA breach emails to the rep and the manager' });
    expect(breach.map((m) => JSON.stringify(m.to)).join()).toMatch(/ravi@acme\.example.*meera@acme\.example|meera@acme\.example.*ravi@acme\.example/);
    expect(breach[0]!.text).toContain('was due a first response by 2026-11-23 10:00');
    await waitFor(async () => (await h.json<any[]>(['inbox', '--as', 'ravi@acme.example'], LIVE)).length >= 2, { what: "Ravi's inbox" });
    await h.ok(['daemon', 'stop'], LIVE);
    const inbox = await h.json<{ subject: string }[]>(['inbox', '--as', 'ravi@acme.example'], LIVE);
    expect(inbox.map((i) => i.subject)).toEqual(expect.arrayContaining([
      'Ticket T-2 missed its first response target (urgent, due 2026-11-23 10:00): Site down. crm ticket show 2',
      'Ana Sousa replied to ticket T-1 "Invoice shows the wrong address". crm ticket show 1',
    ]));
    const rule = (await h.json<{ rule: string; key: string }[]>(['outbox', 'list', '--all'])).filter((m) => m.rule === 'ticket-sla-breach');
    expect(rule.map((m) => m.key).sort()).toEqual([
      'ticket-sla-breach/ticket2/first-response/breach/email/user2', 'ticket-sla-breach/ticket2/first-response/breach/email/user3',
      'ticket-sla-breach/ticket2/first-response/breach/inbox/user2', 'ticket-sla-breach/ticket2/first-response/breach/inbox/user3',
    ]);
  }, 180_000);
});

describe('crm ticket commands: permissions and bad input', () => {
  let h: Home;
  let ana: string;
  let other: string;
  beforeAll(async () => {
    h = await teamHome();
    ana = (await h.ok(['lead', 'add', '-q', '--name', 'Ana Sousa', '--email', 'ana@sousa.example', '--assign', 'ravi@acme.example'])).trim();
    other = (await h.ok(['lead', 'add', '-q', '--name', 'No Mail Co', '--phone', '+351 912 345 678', '--assign', 'priya@acme.example'])).trim();
  });
  afterAll(() => h.cleanup());

  it('documented exit codes, clear messages, nothing half-written', async () => {
    await h.fail(['ticket', 'show', '99'], 3, 'error: no ticket with id 99');
    await h.fail(['ticket', 'add', '--lead', ana, '--subject', 'x', '--priority', 'asap'], 2, "error: invalid priority 'asap'");
    await h.fail(['ticket', 'add', '--lead', ana], 2, /--subject/);
    await h.ok(['config', 'set', 'ticket.categories', 'Billing,Delivery']);
    await h.fail(['ticket', 'add', '--lead', ana, '--subject', 'x', '--category', 'Login'], 2, /invalid --category 'Login'.*use one of: Billing, Delivery/s);
    await h.fail(['config', 'set', 'ticket.sla.urgent', '4h/1h'], 2, "invalid ticket.sla.urgent '4h/1h'");
    expect(await h.ok(['ticket', 'list', '--include-closed'])).toBe('');

    const id = (await h.ok(['ticket', 'add', '-q', '--lead', other, '--subject', 'Wrong size', '--category', 'delivery', '--as', 'priya@acme.example'])).trim();
    await h.fail(['ticket', 'show', id, '--as', 'ravi@acme.example'], 5, /ticket 1 is not on a lead of yours nor assigned to you/);
    await h.fail(['ticket', 'reply', id, '--body', 'Hello'], 2, /ticket 1 has no customer email address to reply to.*crm ticket edit 1 --email/s);
    await h.fail(['ticket', 'assign', id, 'ravi@acme.example', '--as', 'priya@acme.example'], 5, /may assign tickets only to themselves/);
    expect(await h.ok(['ticket', 'assign', id, 'priya@acme.example', '--as', 'priya@acme.example'])).toBe('Ticket 1 assigned to priya@acme.example (open)');
    expect(await h.ok(['ticket', 'edit', id, '--email', 'orders@nomail.example', '--priority', 'low'])).toBe('Ticket 1 updated: low, Delivery, orders@nomail.example');
    expect(await h.ok(['ticket', 'close', id, '--resolved', '--note', 'sent the right size'])).toBe('Ticket 1 resolved');
    expect(await h.ok(['ticket', 'list'])).toBe('');
    expect(await h.ok(['ticket', 'close', id])).toBe('Ticket 1 closed');
    await h.fail(['ticket', 'close', id], 2, /ticket 1 is already closed.*crm ticket reopen 1/s);
    expect(await h.ok(['ticket', 'reopen', id])).toBe('Ticket 1 open again');
    const shown = await h.json<any>(['ticket', 'list', '--status', 'open']);
    expect(shown).toMatchObject([{ id: 1, ref: 'T-1', status: 'open', priority: 'low', category: 'Delivery', assignee: 'priya@acme.example', resolvedAt: null, closedAt: null }]);
    const timeline = (await h.json<any>(['lead', 'show', other])).timeline.filter((a: any) => a.type === 'ticket').map((a: any) => a.data.event);
    expect(timeline).toEqual(['reopened', 'closed', 'resolved', 'edited', 'assigned', 'opened']);
  });
});
