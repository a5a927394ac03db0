/**
 * Invoice documents through the built binary (issue 19, O1): `crm invoice pdf` writes the PDF of
 * a billed invoice (to its default name in the working directory, to a file, or to stdout) and
 * refuses a draft; `crm invoice send` queues the invoice's email with the PDF, which the daemon
 * delivers to a real SMTP server on loopback.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFParse } from 'pdf-parse';
import { afterEach, describe, expect, it } from 'vitest';
import { teamHome, type Home } from '../helpers/cli.js';
import { daemonTracker, LIVE } from '../helpers/daemon.js';
import { startSmtp } from '../helpers/notify-servers.js';
import { waitFor } from '../helpers/wait.js';

let h: Home | undefined;
afterEach(() => {
  h?.cleanup();
  h = undefined;
});

async function billed(home: Home): Promise<string> {
  const lead = (await home.ok(['lead', 'add', '-q', '--name', 'Ana Sousa', '--business', 'Sousa Lda', '--email', 'ana@sousa.example', '--assign', 'ravi@acme.example'])).trim();
  await home.ok(['order', 'add', '--lead', lead, '--item', 'Widget; qty=3; price=19.99; tax=23', '--title', 'Widgets']);
  await home.ok(['order', 'bill', '1']);
  return lead;
}

describe('crm invoice pdf', () => {
  it('writes the PDF to its default name, to -o FILE, to stdout with -o -; --json describes it; a draft has none', async () => {
    h = await teamHome();
    const lead = await billed(h);
    expect(await h.ok(['invoice', 'pdf', 'INV-2026-0001'], { cwd: h.dir })).toMatch(/^Wrote INV-2026-0001\.pdf \(invoice INV-2026-0001, \d+ bytes\)\n?$/);
    const first = readFileSync(join(h.dir, 'INV-2026-0001.pdf'));
    expect(first.subarray(0, 5).toString()).toBe('%PDF-');

    const out = join(h.dir, 'copy.pdf');
    const j = await h.json(['invoice', 'pdf', '1', '-o', out, '--as', 'ravi@acme.example']);
    expect(j).toEqual({ file: out, bytes: first.length, invoice: 'INV-2026-0001', orderId: 1, status: 'billed' });
    // Same invoice, same state, other user and later clock: the same bytes.
    expect(readFileSync(out).equals(first)).toBe(true);

    const piped = await h.run(['invoice', 'pdf', 'INV-2026-0001', '-o', '-'], { env: { CRM_NOW: '2026-12-01T10:00:00Z' } });
    expect(piped.exitCode).toBe(0);
    expect(String(piped.stdout).startsWith('%PDF-')).toBe(true);
    await h.fail(['invoice', 'pdf', 'INV-2026-0001', '-o', '-', '--json'], 2, /--json and -o - both write to stdout/);

    await h.ok(['order', 'add', '--lead', lead, '--item', 'Extra; price=5']);
    await h.fail(['invoice', 'pdf', '2', '-o', join(h.dir, 'draft.pdf')], 4, /order 2 is draft; it has no invoice/);
    expect(existsSync(join(h.dir, 'draft.pdf'))).toBe(false);
    await h.fail(['invoice', 'pdf', 'INV-2026-0001', '--as', 'priya@acme.example'], 5, /not assigned to you/);
    await h.fail(['invoice', 'pdf', 'INV-2099-0001'], 3, /no invoice 'INV-2099-0001'/);
  });
});

describe('crm invoice send, delivered by the daemon', () => {
  const tracked = daemonTracker();
  afterEach(() => tracked.teardown());

  it('queues the email with the PDF; the daemon delivers it over SMTP; refusals have their exit codes', async () => {
    const home = tracked.home(await teamHome());
    const smtp = tracked.server(await startSmtp());
    for (const [k, v] of [['smtp.host', '127.0.0.1'], ['smtp.port', String(smtp.port)], ['smtp.ignore-tls', 'true'], ['smtp.from', 'billing@acme.example'], ['business.name', 'Acme Solutions Lda']]) {
      await home.ok(['config', 'set', k!, v!]);
    }
    await home.ok(['notify', 'set', 'new-lead', '--off']);
    const lead = await billed(home);

    const dry = await home.json(['invoice', 'send', 'INV-2026-0001', '--dry-run', '--as', 'ravi@acme.example']);
    expect(dry).toMatchObject({ invoice: 'INV-2026-0001', dryRun: true, to: 'ana@sousa.example', subject: 'Invoice INV-2026-0001 from Acme Solutions Lda', outboxKey: null, attachment: { filename: 'INV-2026-0001.pdf' } });
    expect((await home.json<any[]>(['outbox', 'list'])).filter((m) => m.key.startsWith('invoice'))).toEqual([]);

    expect(await home.ok(['invoice', 'send', 'INV-2026-0001', '--cc', 'accounts@sousa.example', '--message', 'As agreed on the phone.', '--as', 'ravi@acme.example']))
      .toBe('Queued invoice INV-2026-0001 to ana@sousa.example (cc accounts@sousa.example) with INV-2026-0001.pdf; the daemon sends it (crm outbox list to follow it)');
    expect(await home.ok(['invoice', 'show', 'INV-2026-0001'])).toMatch(/Sent +2026-11-23/);

    await home.ok(['daemon', 'start'], { env: { CRM_NOW: '2026-11-23T09:05:00Z' } });
    const mail = await waitFor(() => smtp.messages.find((m) => m.subject?.includes('INV-2026-0001')), { what: 'the invoice email' });
    await home.ok(['daemon', 'stop'], LIVE);
    expect(mail.subject).toBe('Invoice INV-2026-0001 from Acme Solutions Lda');
    expect(JSON.stringify(mail.to)).toContain('ana@sousa.example');
    expect(JSON.stringify(mail.cc)).toContain('accounts@sousa.example');
    expect(mail.text).toContain('As agreed on the phone.');
    expect(mail.text).toContain('Please find attached invoice INV-2026-0001 for EUR 73.76 (Widgets), due 2026-12-07.');
    expect(mail.attachments.map((a) => [a.filename, a.contentType])).toEqual([['INV-2026-0001.pdf', 'application/pdf']]);
    const pdf = mail.attachments[0]!.content;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const parser = new PDFParse({ data: pdf });
    try {
      const r = await parser.getText();
      expect(r.total).toBe(1);
      for (const s of ['Acme Solutions Lda', 'Invoice INV-2026-0001', 'Sousa Lda', 'Widget', 'Total EUR 73.76', 'Balance due EUR 73.76']) expect(r.text).toContain(s);
    } finally {
      await parser.destroy();
    }
    expect(smtp.messages.filter((m) => m.subject?.includes('INV-2026-0001'))).toHaveLength(1);

    // Refusals: a draft (4), an address not the lead's (2), another rep's invoice (5), a lead without email (2).
    await home.ok(['order', 'add', '--lead', lead, '--item', 'Extra; price=5']);
    await home.fail(['invoice', 'send', '2'], 4, /order 2 is draft; it has no invoice/);
    await home.fail(['invoice', 'send', '1', '--to', 'x@else.example'], 2, /--to x@else\.example is not an address of lead \d+ \(Ana Sousa\)/);
    await home.fail(['invoice', 'send', '1', '--as', 'priya@acme.example'], 5, /not assigned to you/);
    const noMail = (await home.ok(['lead', 'add', '-q', '--name', 'Rui', '--phone', '+351 912 345 678'])).trim();
    await home.ok(['order', 'add', '--lead', noMail, '--item', 'Thing; price=10']);
    await home.ok(['order', 'bill', '3']);
    await home.fail(['invoice', 'send', '3'], 2, new RegExp(`lead ${noMail} \\(Rui\\) has no email address; an invoice is sent by email`));
  });
});

describe('crm followup rule with invoice-overdue', () => {
  it('makes one call follow-up per overdue invoice on the lead\'s rep; a second run makes none', async () => {
    h = await teamHome();
    const lead = await billed(h); // due 2026-12-07
    await h.ok(['followup', 'rule', 'add', '--name', 'unpaid', '--where', 'invoice-overdue>14d', '--title', 'Call about invoice', '--type', 'call']);
    await h.fail(['followup', 'rule', 'add', '--name', 'bad', '--where', 'invoice-overdue<3d', '--title', 'x'], 2, /invoice-overdue compares with > or >=/);
    expect(await h.ok(['followup', 'rule', 'run'], { env: { CRM_NOW: '2026-12-21T09:00:00Z' } })).toBe('unpaid: 0 matching, created 0, 0 already had one');
    expect(await h.ok(['followup', 'rule', 'run'], { env: { CRM_NOW: '2026-12-22T09:00:00Z' } })).toBe(`unpaid: 1 matching, created 1 (invoices INV-2026-0001 of lead ${lead}), 0 already had one`);
    expect(await h.ok(['followup', 'rule', 'run'], { env: { CRM_NOW: '2026-12-23T09:00:00Z' } })).toBe('unpaid: 1 matching, created 0, 1 already had one');
    const list = await h.json<any[]>(['followup', 'list', '--as', 'ravi@acme.example'], { env: { CRM_NOW: '2026-12-22T09:00:00Z' } });
    expect(list.map((f) => [f.title, f.type])).toEqual([['Call about invoice: invoice INV-2026-0001, 15 days overdue, balance EUR 73.76', 'call']]);
    await h.ok(['invoice', 'pay', 'INV-2026-0001'], { env: { CRM_NOW: '2026-12-23T09:00:00Z' } });
    expect(await h.ok(['followup', 'rule', 'run'], { env: { CRM_NOW: '2026-12-24T09:00:00Z' } })).toBe('unpaid: 0 matching, created 0, 0 already had one');
  });
});
