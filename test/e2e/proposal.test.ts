import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFParse } from 'pdf-parse';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { teamHome, type Home } from '../helpers/cli.js';
import { startSmtp } from '../helpers/notify-servers.js';
import { daemonTracker, LIVE } from '../helpers/daemon.js';
import { waitFor } from '../helpers/wait.js';

const ITEMS = 'description,quantity,unit_price,discount,tax\nWidget,3,19.99,10,23\n"Install, on site",1,250,,23\nSupport hours,2.5,40.00,0,0\n';
const BROCHURE = Buffer.from('%PDF-1.4\n% a brochure\n');

async function pdfText(pdf: Buffer): Promise<string> {
  const p = new PDFParse({ data: pdf });
  try {
    return (await p.getText()).text;
  } finally {
    await p.destroy();
  }
}

async function files(h: Home) {
  writeFileSync(join(h.dir, 'proposal.md'), 'Dear {contact_name},\n\nOur offer for {business_name}: {total}, valid until {valid_until}.\n\n{sender}\n');
  writeFileSync(join(h.dir, 'items.csv'), ITEMS);
  writeFileSync(join(h.dir, 'brochure.pdf'), BROCHURE);
  writeFileSync(join(h.dir, 'bad.md'), 'Hello {first_name}\n');
}

describe('crm proposal through the binary, delivered by the daemon to a real SMTP server', () => {
  const tracked = daemonTracker();
  afterEach(() => tracked.teardown());

  it('template add, send with items: one email with cc, the PDF (business, items, totals) and the brochure; daemon expires it later', async () => {
    const h = tracked.home(await teamHome());
    const smtp = tracked.server(await startSmtp());
    for (const [k, v] of [['smtp.host', '127.0.0.1'], ['smtp.port', String(smtp.port)], ['smtp.ignore-tls', 'true'], ['smtp.from', 'sales@acme.example'], ['business.name', 'Acme Solutions Lda']]) {
      await h.ok(['config', 'set', k!, v!]);
    }
    await h.ok(['notify', 'set', 'new-lead', '--off']);
    await files(h);
    const id = (await h.ok(['lead', 'add', '-q', '--name', 'Ana Sousa', '--business', 'Sousa Lda', '--email', 'ana@sousa.example', '--assign', 'ravi@acme.example'])).trim();
    expect(await h.ok(['proposal', 'template', 'add', '--name', 'standard', '--subject', 'Proposal for {business_name}', '--body-file', join(h.dir, 'proposal.md'), '--cc', 'boss@acme.example', '--attach', join(h.dir, 'brochure.pdf')]))
      .toBe('Added proposal template standard (1) with 1 attachment(s)');
    expect(await h.ok(['proposal', 'template', 'list'])).toBe('1\tstandard\tProposal for {business_name}\tboss@acme.example\tbrochure.pdf');
    const sent = await h.json(['proposal', 'send', '--lead', id, '--template', 'standard', '--items', join(h.dir, 'items.csv'), '--valid-until', '2026-12-31', '--as', 'ravi@acme.example']);
    expect(sent).toMatchObject({ id: 1, status: 'sent', revision: 1, subject: 'Proposal for Sousa Lda', outboxKey: 'proposal1/rev1', movedTo: 'Proposal Sent', total: { amountMinor: 47388, amount: '473.88', currency: 'EUR' } });
    expect(await h.ok(['proposal', 'list', '--status', 'sent'])).toBe(`1\t${id} Ana Sousa\tProposal for Sousa Lda\tsent\t1\tEUR 473.88\t2026-12-31\travi@acme.example\t2026-11-23 09:00`);

    const row = (await h.json<any[]>(['outbox', 'list'])).find((m) => m.key === 'proposal1/rev1');
    expect(await h.ok(['outbox', 'show', String(row.id)])).toMatch(/cc +boss@acme\.example\n {2}attachments +proposal-1\.pdf \(\d+ bytes\), brochure\.pdf \(22 bytes\)/);

    // The daemon's clock is frozen a little later (not the real one, which would expire the proposal some day).
    await h.ok(['daemon', 'start'], { env: { CRM_NOW: '2026-11-23T09:05:00Z' } });
    const mail = await waitFor(() => smtp.messages.find((m) => m.subject === 'Proposal for Sousa Lda'), { what: 'the proposal email' });
    expect(JSON.stringify(mail.to)).toContain('ana@sousa.example');
    expect(JSON.stringify(mail.cc)).toContain('boss@acme.example');
    expect(mail.text).toContain('Our offer for Sousa Lda: EUR 473.88, valid until 2026-12-31.');
    expect(mail.attachments.map((a) => [a.filename, a.contentType])).toEqual([['proposal-1.pdf', 'application/pdf'], ['brochure.pdf', 'application/pdf']]);
    expect(mail.attachments[1]!.content.equals(BROCHURE)).toBe(true);
    const text = await pdfText(mail.attachments[0]!.content);
    for (const s of ['Acme Solutions Lda', 'Proposal 1', 'Ana Sousa', 'Widget 3 19.99 10 23 59.97', 'Install, on site 1 250.00 0 23 250.00', 'Subtotal EUR 409.97', 'Discount - EUR 6.00', 'Tax EUR 69.91', 'Total EUR 473.88', 'Valid until: 2026-12-31']) {
      expect(text).toContain(s);
    }
    expect(smtp.messages.filter((m) => m.subject === 'Proposal for Sousa Lda')).toHaveLength(1);
    await h.ok(['daemon', 'stop'], LIVE);

    // The same PDF from the command line.
    expect(await h.ok(['proposal', 'pdf', '1', '-o', join(h.dir, 'p.pdf')])).toMatch(/^Wrote .*p\.pdf \(proposal 1, revision 1, \d+ bytes\)$/);
    expect(await pdfText(readFileSync(join(h.dir, 'p.pdf')))).toContain('Total EUR 473.88');

    // After its last valid day the daemon's job expires it (the daemon's clock frozen by CRM_NOW).
    await h.ok(['proposal', 'mark', '1', 'viewed', '--as', 'ravi@acme.example']);
    await h.ok(['daemon', 'start'], { env: { CRM_NOW: '2027-01-01T09:00:00Z' } });
    await waitFor(async () => (await h.json(['proposal', 'show', '1'])).status === 'expired', { what: 'the proposal to expire' });
    await h.ok(['daemon', 'stop'], LIVE);
    const shown = await h.json(['proposal', 'show', '1']);
    expect(shown.history.map((e: any) => e.event)).toEqual(['created', 'sent', 'viewed', 'expired']);
    await h.fail(['proposal', 'mark', '1', 'accepted'], 4, 'error: proposal 1 is already expired; it cannot be marked accepted');
    const timeline = await h.json(['lead', 'show', id]);
    expect(JSON.stringify(timeline)).toContain('#1 expired (valid until 2026-12-31, revision 1)');
  });
});

describe('crm proposal commands and bad input', () => {
  let h: Home;
  let ana: string;
  let noMail: string;
  beforeAll(async () => {
    h = await teamHome();
    await files(h);
    ana = (await h.ok(['lead', 'add', '-q', '--name', 'Ana Sousa', '--business', 'Sousa Lda', '--email', 'ana@sousa.example', '--assign', 'ravi@acme.example'])).trim();
    noMail = (await h.ok(['lead', 'add', '-q', '--name', 'No Mail', '--phone', '+351 912 345 678', '--assign', 'ravi@acme.example'])).trim();
    await h.ok(['proposal', 'template', 'add', '--name', 'standard', '--subject', 'Proposal for {business_name}', '--body-file', join(h.dir, 'proposal.md')]);
  });
  afterAll(() => h.cleanup());

  it('bad input: clear messages and documented exit codes, nothing stored', async () => {
    await h.fail(['proposal', 'template', 'add', '--name', 'x', '--subject', 'S', '--body-file', join(h.dir, 'bad.md')], 2, 'error: unknown template tag {first_name} in the body');
    await h.fail(['proposal', 'template', 'add', '--name', 'x', '--subject', 'S', '--body-file', join(h.dir, 'proposal.md'), '--attach', join(h.dir, 'missing.pdf')], 2, /cannot read the attachment '.*missing\.pdf'/);
    await h.ok(['config', 'set', 'proposal.max-attachment-mb', '1']);
    writeFileSync(join(h.dir, 'big.pdf'), Buffer.alloc(2 * 1024 * 1024));
    await h.fail(['proposal', 'template', 'add', '--name', 'x', '--subject', 'S', '--body-file', join(h.dir, 'proposal.md'), '--attach', join(h.dir, 'big.pdf')], 2, /big\.pdf' is 2\.0 MB, over the 1\.0 MB limit/);
    expect(await h.json(['proposal', 'template', 'list'])).toHaveLength(1);
    await h.fail(['proposal', 'template', 'add', '--name', 'standard', '--subject', 'S', '--body-file', join(h.dir, 'proposal.md')], 4, 'already exists');
    await h.fail(['proposal', 'send', '--lead', noMail, '--template', 'standard'], 2, `error: lead ${noMail} (No Mail) has no email address`);
    await h.fail(['proposal', 'send', '--lead', ana, '--template', 'nope'], 3, "no proposal template 'nope'");
    await h.fail(['proposal', 'send', '--lead', ana, '--template', 'standard', '--valid-until', '2026-11-01'], 2, 'is in the past');
    await h.fail(['proposal', 'send', '--lead', ana, '--template', 'standard', '--as', 'priya@acme.example'], 5, 'not assigned to you');
    expect(await h.json(['proposal', 'list'])).toEqual([]);
    await h.fail(['proposal', 'show', '9'], 3, 'no proposal 9');
    await h.fail(['proposal', 'mark', '9', 'maybe'], 2, "cannot mark a proposal 'maybe'");
  });

  it('accepting an expired proposal is a conflict (exit 4); approval and revision through the binary', async () => {
    await h.ok(['proposal', 'send', '--lead', ana, '--template', 'standard', '--valid-until', '2026-11-30']);
    const later = { env: { CRM_NOW: '2026-12-02T09:00:00Z' } };
    await h.fail(['proposal', 'mark', '1', 'accepted'], 4, /proposal 1 expired: it was valid until 2026-11-30 \(today is 2026-12-02\)[\s\S]*hint: send a new revision/, later);
    expect(await h.ok(['proposal', 'revise', '1', '--valid-until', '2026-12-20', '--items', join(h.dir, 'items.csv')], later)).toMatch(/^Proposal 1 \(revision 2, EUR 473\.88\) to lead \d+ Ana Sousa: queued for email/);
    expect(await h.ok(['proposal', 'mark', '1', 'accepted', '--note', 'signed'], later)).toBe('Proposal 1 marked accepted');
    await h.fail(['proposal', 'mark', '1', 'rejected'], 4, 'already accepted');

    await h.ok(['config', 'set', 'proposal.approval', 'required']);
    expect(await h.ok(['proposal', 'send', '--lead', ana, '--template', 'standard', '--as', 'ravi@acme.example'])).toMatch(/waits for approval \(crm proposal approve 2/);
    await h.fail(['proposal', 'approve', '2', '--as', 'ravi@acme.example'], 5, 'may not approve proposals');
    expect(await h.ok(['proposal', 'approve', '2', '--as', 'meera@acme.example'])).toMatch(/^Approved\. Proposal 2 .*queued for email/);
    const show = await h.ok(['proposal', 'show', '1']);
    expect(show).toMatch(/Revisions:\n {2}1 .*no items {2}valid until 2026-11-30 {2}sent 2026-11-23 09:00\n {2}2 .*EUR 473\.88 {2}valid until 2026-12-20 {2}sent 2026-12-02 09:00/);
    expect(show).toMatch(/^ {2}Total +EUR 473\.88$/m);
    expect(show).toMatch(/^Install, on site +1 +250\.00 +0 +23 +250\.00$/m);
    expect(show).toMatch(/accepted by admin@acme\.example: signed/);
    const outbox = await h.json<any[]>(['outbox', 'list']);
    expect(outbox.filter((m) => m.rule === 'proposal').map((m) => m.key).sort()).toEqual(['proposal1/rev1', 'proposal1/rev2', 'proposal2/rev1']);
  });
});
