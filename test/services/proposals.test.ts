import { writeFileSync } from 'node:fs';
import { crc32, deflateSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { PDFParse } from 'pdf-parse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, PermissionError, UsageError } from '../../src/errors.js';
import { mergeLeads, moveLead } from '../../src/services/leads/service.js';
import { Deliverer } from '../../src/services/outbox/deliver.js';
import type { OutboxMessage } from '../../src/domain/notify.js';
import { lineAmounts, parseItemsCsv, totalsOf } from '../../src/services/proposals/items.js';
import {
  addTemplate, approveProposal, listProposals, markProposal, proposalPdf, removeTemplate, reviseProposal, runProposalExpiry, sendProposal, showProposal,
} from '../../src/services/proposals/service.js';
import { setSetting } from '../../src/services/settings/service.js';
import { addLeadAs, FIXED_NOW, testTeam, type TestTeam } from '../helpers/store.js';
import { startSmtp } from '../helpers/notify-servers.js';

let team: TestTeam;
beforeEach(async () => {
  team = await testTeam();
});
afterEach(() => team.close());

const day = (iso: string) => new Date(`${iso}T09:00:00.000Z`);
const ITEMS = 'description,quantity,unit_price,discount,tax\nWidget,3,19.99,10,23\n"Install, on site",1,250,,23\nSupport hours,2.5,40.00,0,0\n';

function file(name: string, content: string | Buffer): string {
  const p = join(team.dir, name);
  writeFileSync(p, content);
  return p;
}

async function template(extra: Partial<Parameters<typeof addTemplate>[1]> = {}) {
  return addTemplate(team.as(team.admin), {
    name: 'standard', subject: 'Proposal for {business_name}', body: 'Dear {contact_name},\n\nOur offer: {total}, valid until {valid_until}.\n\n{sender}, {our_business}\n',
    cc: ['boss@acme.example'], bcc: ['archive@acme.example'], attach: [file('brochure.pdf', '%PDF-1.4 brochure')], ...extra,
  });
}

/** The proposal's email as queued: to the lead, with the proposal's own subject, text, copies, its PDF and the template's attachment. */
function expectProposalEmail(msg: OutboxMessage | undefined, leadId: number, address: string, p: { subject: string; body: string }): void {
  expect(msg).toMatchObject({
    rule: 'proposal', channel: 'email', recipientKind: 'lead', recipientId: leadId, address, leadId, status: 'pending',
    content: { subject: p.subject, text: p.body, cc: ['boss@acme.example'], bcc: ['archive@acme.example'] },
  });
  expect(p.body).toMatch(/^Dear Lead \d+,\n\nOur offer: /);
  expect(msg!.attachments!.map((a) => a.filename)).toEqual(['proposal-1.pdf', 'brochure.pdf']);
}

/** A real 2×2 RGB PNG, built by hand (signature, IHDR, IDAT, IEND with their CRCs). */
function png(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([Buffer.from(type), data])) >>> 0);
    return Buffer.concat([len, Buffer.from(type), data, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(2, 0);
  ihdr.writeUInt32BE(2, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const rows = Buffer.from([0, 255, 0, 0, 0, 0, 255, 0, 0, 255, 0, 255, 255, 255]);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

async function pdfText(pdf: Buffer): Promise<string> {
  const p = new PDFParse({ data: pdf });
  try {
    return (await p.getText()).text;
  } finally {
    await p.destroy();
  }
}

describe('quotation line items (P2): exact totals in minor units, rounded per line', () => {
  it('computes gross, discount, net, tax and total per line and sums the rounded lines', () => {
    const items = parseItemsCsv(ITEMS, 'EUR');
    expect(items.map((i) => [i.grossMinor, i.discountMinor, i.netMinor, i.taxMinor, i.totalMinor])).toEqual([
      [5997, 600, 5397, 1241, 6638], // 5.997 → 6.00 discount; 12.4131 → 12.41 tax
      [25000, 0, 25000, 5750, 30750],
      [10000, 0, 10000, 0, 10000],
    ]);
    expect(totalsOf(items)).toEqual({ subtotalMinor: 40997, discountMinor: 600, taxMinor: 6991, totalMinor: 47388 });
  });

  it('rounds half a minor unit up, and follows the currency digits (JPY 0, BHD 3)', () => {
    expect(lineAmounts({ n: 1n, scale: 0 }, 1, { n: 50n, scale: 0 }, { n: 0n, scale: 0 }).discountMinor).toBe(1); // 0.5 → 1
    expect(lineAmounts({ n: 1n, scale: 0 }, 3, { n: 50n, scale: 0 }, { n: 0n, scale: 0 }).discountMinor).toBe(2); // 1.5 → 2
    expect(lineAmounts({ n: 15n, scale: 1 }, 3, { n: 0n, scale: 0 }, { n: 0n, scale: 0 }).grossMinor).toBe(5); // 1.5 × 3 = 4.5 → 5
    const yen = parseItemsCsv('item,qty,price,tax\nTea,3,333,10\n', 'JPY');
    expect(yen[0]).toMatchObject({ grossMinor: 999, taxMinor: 100, totalMinor: 1099 });
    const dinar = parseItemsCsv('description;unit price;vat\nAudit;1.255;10\n', 'BHD');
    expect(dinar[0]).toMatchObject({ unitPriceMinor: 1255, taxMinor: 126, totalMinor: 1381 });
    expect(() => parseItemsCsv('description,unit_price\nTea,1.5\n', 'JPY')).toThrow(/JPY has 0 decimal places/);
  });

  it('refuses bad files with the line and the reason', () => {
    expect(() => parseItemsCsv('', 'EUR')).toThrow(/is empty/);
    expect(() => parseItemsCsv('description,unit_price\n', 'EUR')).toThrow(/no items/);
    expect(() => parseItemsCsv('description,colour,unit_price\nA,red,1\n', 'EUR')).toThrow(/unknown column 'colour'/);
    expect(() => parseItemsCsv('description,quantity\nA,1\n', 'EUR')).toThrow(/no unit_price column/);
    expect(() => parseItemsCsv('description,quantity,unit_price\nA,-1,5\n', 'EUR')).toThrow(/line 2: invalid quantity '-1'/);
    expect(() => parseItemsCsv('description,quantity,unit_price\nA,0,5\n', 'EUR')).toThrow(/line 2: quantity must be more than 0/);
    expect(() => parseItemsCsv('description,unit_price,discount\nA,5,120\n', 'EUR')).toThrow(/discount % '120' is over 100/);
    expect(() => parseItemsCsv('description,unit_price\nA,5\n,6\n', 'EUR')).toThrow(/line 3: the description is empty/);
    expect(() => parseItemsCsv('description,unit_price\nA,abc\n', 'EUR')).toThrow(/line 2: invalid unit price 'abc'/);
    expect(() => parseItemsCsv('description;unit_price\nA;19,99\n', 'EUR')).toThrow(/unit price '19,99' has a comma that is not a thousands separator/);
    expect(parseItemsCsv('description;unit_price\nA;"1,250.50"\n', 'EUR')[0]!.unitPriceMinor).toBe(125050);
  });
});

describe('proposal templates (P1)', () => {
  it('stores subject, body, cc/bcc and the attachment bytes; an unknown tag is refused at add time', async () => {
    const t = await template();
    expect(t).toMatchObject({ name: 'standard', cc: ['boss@acme.example'], bcc: ['archive@acme.example'], attachments: [{ filename: 'brochure.pdf', contentType: 'application/pdf', bytes: 17 }] });
    const err = await addTemplate(team.as(team.admin), { name: 'x', subject: 'Hi {contact_nme}', body: 'b' }).catch((e) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect(err.message).toBe('unknown template tag {contact_nme} in the subject');
    await expect(addTemplate(team.as(team.admin), { name: 'x', subject: 'Hi', body: 'for {campaign_name}' })).rejects.toThrow(/unknown template tag \{campaign_name\} in the body/);
    await expect(template()).rejects.toBeInstanceOf(ConflictError);
    await expect(template({ name: 'other', subject: '' })).rejects.toThrow(/needs subject/);
    await expect(addTemplate(team.as(team.ravi), { name: 'mine', subject: 's', body: 'b' })).rejects.toBeInstanceOf(PermissionError);
  });

  it('a missing attachment or one over proposal.max-attachment-mb is a usage error and stores nothing', async () => {
    const missing = await template({ attach: [join(team.dir, 'nope.pdf')] }).catch((e) => e);
    expect(missing).toBeInstanceOf(UsageError);
    expect(missing.message).toMatch(/cannot read the attachment '.*nope\.pdf'/);
    await setSetting(team.as(team.admin), 'proposal.max-attachment-mb', '1');
    const big = await template({ attach: [file('big.pdf', Buffer.alloc(1024 * 1024 + 1))] }).catch((e) => e);
    expect(big).toBeInstanceOf(UsageError);
    expect(big.message).toMatch(/big\.pdf' is 1\.0 MB, over the 1\.0 MB limit/);
    expect(await team.store.proposalTemplates.list()).toEqual([]);
  });
});

describe('sending a proposal (P1, P2)', () => {
  it('enqueues one email to the lead with cc, bcc, the PDF and the template attachments; moves the lead; writes the timeline', async () => {
    await setSetting(team.as(team.admin), 'business.name', 'Acme Solutions Lda');
    await template();
    const lead = await addLeadAs(team, team.admin, { name: 'Ana Sousa', businessName: 'Sousa Lda', emails: ['ana@sousa.example'], assign: ['ravi@acme.example'] });
    const r = await sendProposal(team.as(team.ravi), { lead: lead.id, template: 'standard', items: file('items.csv', ITEMS), validUntil: '2026-12-31' });
    expect(r.proposal).toMatchObject({ status: 'sent', revision: 1, subject: 'Proposal for Sousa Lda', totalMinor: 47388, currency: 'EUR', validUntil: '2026-12-31' });
    expect(r.proposal.body).toContain('Our offer: EUR 473.88, valid until 2026-12-31.\n\nRavi Kumar, Acme Solutions Lda');
    expect(r.movedTo).toBe('Proposal Sent');
    const msg = (await team.store.outbox.byKey('proposal1/rev1'))!;
    expect(msg).toMatchObject({ rule: 'proposal', channel: 'email', address: 'ana@sousa.example', recipientKind: 'lead', leadId: lead.id, content: { cc: ['boss@acme.example'], bcc: ['archive@acme.example'] } });
    expect(msg.attachments!.map((a) => [a.filename, a.contentType, a.encoding])).toEqual([['proposal-1.pdf', 'application/pdf', 'base64'], ['brochure.pdf', 'application/pdf', 'base64']]);
    expect(Buffer.from(msg.attachments![1]!.content, 'base64').toString()).toBe('%PDF-1.4 brochure');
    const text = await pdfText(Buffer.from(msg.attachments![0]!.content, 'base64'));
    expect(text).toContain('Acme Solutions Lda');
    expect(text).toContain('Install, on site 1 250.00 0 23 250.00');
    expect(text).toContain('Total EUR 473.88');
    expect(text).toContain('Valid until: 2026-12-31');
    expect((await team.store.leads.get(lead.id))!.stage).toBe('Proposal Sent');
    const timeline = await team.store.activities.forLead(lead.id);
    expect(timeline.map((a) => a.type)).toEqual(['stage', 'proposal', 'proposal', 'created']);
    expect(timeline[1]!.body).toBe('#1 sent to ana@sousa.example (revision 1, EUR 473.88)');
  });

  it('prints the logo of proposal.logo; a logo that is not a PNG or JPEG, a bad cc or an opted-out lead stops the send', async () => {
    await template();
    const lead = await addLeadAs(team, team.admin, { emails: ['logo@x.example'] });
    const plain = await proposalPdf(team.as(team.admin), (await sendProposal(team.as(team.admin), { lead: lead.id, template: 'standard', draft: true })).proposal.id);
    expect(plain.pdf.toString('latin1')).not.toContain('/Subtype /Image');
    await setSetting(team.as(team.admin), 'proposal.logo', file('logo.png', png()));
    const withLogo = await proposalPdf(team.as(team.admin), 1);
    expect(withLogo.pdf.toString('latin1')).toContain('/Subtype /Image');
    await setSetting(team.as(team.admin), 'proposal.logo', file('logo.txt', 'not an image'));
    await expect(sendProposal(team.as(team.admin), { id: 1 })).rejects.toThrow(/is not a PNG or JPEG image/);
    expect((await team.store.proposals.get(1))!.status).toBe('draft');
    await setSetting(team.as(team.admin), 'proposal.logo', '');
    await expect(sendProposal(team.as(team.admin), { lead: lead.id, template: 'standard', cc: ['not-an-email'] })).rejects.toThrow(/invalid cc 'not-an-email'/);
    await team.store.optOuts.set('lead', lead.id, 'email', true, FIXED_NOW.toISOString());
    await expect(sendProposal(team.as(team.admin), { id: 1 })).rejects.toThrow(/opted out of email/);
    expect(await team.store.outbox.byKey('proposal1/rev1')).toBeUndefined();
    expect(await team.store.proposals.list({})).toHaveLength(1);
  });

  it('proposal.font embeds a TrueType font, so names beyond Latin-1 come out right in the PDF', async () => {
    await template();
    const lead = await addLeadAs(team, team.admin, { name: 'Łucja Kumār', businessName: 'Żabka Sp. z o.o.', emails: ['lucja@x.example'] });
    await sendProposal(team.as(team.admin), { lead: lead.id, template: 'standard', draft: true });
    expect(await pdfText((await proposalPdf(team.as(team.admin), 1)).pdf)).not.toContain('Łucja Kumār');
    const font = join(dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')), 'standard_fonts', 'LiberationSans-Regular.ttf');
    await setSetting(team.as(team.admin), 'proposal.font', font);
    const text = await pdfText((await proposalPdf(team.as(team.admin), 1)).pdf);
    expect(text).toContain('Łucja Kumār');
    expect(text).toContain('Proposal for Żabka Sp. z o.o.');
    await setSetting(team.as(team.admin), 'proposal.font', file('font.txt', 'nope, not a font'));
    await expect(proposalPdf(team.as(team.admin), 1)).rejects.toThrow(/is not a TrueType or OpenType font/);
  });

  it('--cc on send replaces the template cc; proposal.stage off or a lead further along: no move', async () => {
    await template();
    await setSetting(team.as(team.admin), 'proposal.stage', 'off');
    const a = await addLeadAs(team, team.admin, { emails: ['a@x.example'] });
    const r = await sendProposal(team.as(team.admin), { lead: a.id, template: 'standard', cc: ['other@acme.example'] });
    expect(r.movedTo).toBeUndefined();
    expect((await team.store.outbox.byKey(r.outboxKey!))!.content!.cc).toEqual(['other@acme.example']);
    await setSetting(team.as(team.admin), 'proposal.stage', 'Proposal Sent');
    const b = await addLeadAs(team, team.admin, { emails: ['b@x.example'] });
    await moveLead(team.as(team.admin), b.id, 'Won');
    expect((await sendProposal(team.as(team.admin), { lead: b.id, template: 'standard' })).movedTo).toBeUndefined();
    expect((await team.store.leads.get(b.id))!.stage).toBe('Won');
  });

  it('--valid-until takes a day as every date flag does: ISO, numeric in the team\'s date order, "end of month"; a bad one names the field', async () => {
    await template();
    const lead = await addLeadAs(team, team.admin, { emails: ['v@x.example'] });
    const send = (validUntil: string) => sendProposal(team.as(team.admin), { lead: lead.id, template: 'standard', validUntil, draft: true });
    expect((await send('2027-01-31')).proposal.validUntil).toBe('2027-01-31');
    expect((await send('end of month')).proposal.validUntil).toBe('2026-11-30');
    await team.store.settings.set('date-order', 'dmy');
    expect((await send('05/12/2026')).proposal.validUntil).toBe('2026-12-05');
    await expect(send('31/02/2027')).rejects.toThrow(/valid|no such day/);
    await expect(send('someday')).rejects.toBeInstanceOf(UsageError);
  });

  it('a lead with no email, a missing template, an unreadable items file or a past --valid-until: clear error, nothing stored', async () => {
    await template();
    const noMail = await addLeadAs(team, team.admin, { emails: [], phones: [] });
    const err = await sendProposal(team.as(team.admin), { lead: noMail.id, template: 'standard' }).catch((e) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect(err.message).toMatch(/has no email address/);
    const lead = await addLeadAs(team, team.admin, { emails: ['c@x.example'] });
    await expect(sendProposal(team.as(team.admin), { lead: lead.id, template: 'nope' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(sendProposal(team.as(team.admin), { lead: lead.id, template: 'standard', items: join(team.dir, 'none.csv') })).rejects.toThrow(/cannot read the items file/);
    await expect(sendProposal(team.as(team.admin), { lead: lead.id, template: 'standard', validUntil: '2026-11-22' })).rejects.toThrow(/in the past/);
    await expect(sendProposal(team.as(team.admin), { lead: lead.id, template: 'standard', items: file('bad.csv', 'description,unit_price\nA,-3\n') })).rejects.toThrow(/line 2/);
    expect(await team.store.proposals.list({})).toEqual([]);
    expect((await team.store.outbox.list({})).filter((m) => m.rule === 'proposal')).toEqual([]);
  });

  it('reps act only on proposals of their leads and list only those', async () => {
    await template();
    const ravis = await addLeadAs(team, team.ravi, { emails: ['r@x.example'] });
    const priyas = await addLeadAs(team, team.priya, { emails: ['p@x.example'] });
    await expect(sendProposal(team.as(team.ravi), { lead: priyas.id, template: 'standard' })).rejects.toBeInstanceOf(PermissionError);
    const mine = await sendProposal(team.as(team.ravi), { lead: ravis.id, template: 'standard' });
    const theirs = await sendProposal(team.as(team.priya), { lead: priyas.id, template: 'standard' });
    expect((await listProposals(team.as(team.ravi), {})).map((p) => p.id)).toEqual([mine.proposal.id]);
    expect((await listProposals(team.as(team.manager), {})).map((p) => p.id)).toEqual([theirs.proposal.id, mine.proposal.id]);
    await expect(markProposal(team.as(team.ravi), theirs.proposal.id, 'viewed')).rejects.toBeInstanceOf(PermissionError);
    await expect(showProposal(team.as(team.ravi), theirs.proposal.id)).rejects.toBeInstanceOf(PermissionError);
    await expect(proposalPdf(team.as(team.ravi), theirs.proposal.id)).rejects.toBeInstanceOf(PermissionError);
  });

  it("merging leads moves the proposals to the lead kept", async () => {
    await template();
    const a = await addLeadAs(team, team.admin, { emails: ['m1@x.example'] });
    const b = await addLeadAs(team, team.admin, { emails: ['m2@x.example'] });
    await sendProposal(team.as(team.admin), { lead: a.id, template: 'standard' });
    await mergeLeads(team.as(team.admin), a.id, b.id);
    expect((await listProposals(team.as(team.admin), { lead: b.id })).map((p) => p.id)).toEqual([1]);
    expect((await reviseProposal(team.as(team.admin), 1, {})).proposal).toMatchObject({ leadId: b.id, status: 'sent', revision: 2 });
  });

  it('drafts are stored without sending and sent later by id', async () => {
    await template();
    const lead = await addLeadAs(team, team.admin, { emails: ['d@x.example'] });
    const draft = await sendProposal(team.as(team.admin), { lead: lead.id, template: 'standard', draft: true });
    expect(draft.proposal.status).toBe('draft');
    expect(await team.store.outbox.byKey('proposal1/rev1')).toBeUndefined();
    await expect(markProposal(team.as(team.admin), 1, 'accepted')).rejects.toThrow(/has not been sent/);
    const sent = await sendProposal(team.as(team.admin), { id: 1 });
    expect(sent.proposal.status).toBe('sent');
    expectProposalEmail(await team.store.outbox.byKey('proposal1/rev1'), lead.id, 'd@x.example', sent.proposal);
    await expect(sendProposal(team.as(team.admin), { id: 1 })).rejects.toThrow(/is sent, not a draft/);
  });
});

describe('approval, marks, revisions (P2)', () => {
  it('with proposal.approval required, send waits; a rep cannot approve; a manager approves and it is sent', async () => {
    await template();
    await setSetting(team.as(team.admin), 'proposal.approval', 'required');
    const lead = await addLeadAs(team, team.ravi, { emails: ['e@x.example'] });
    const r = await sendProposal(team.as(team.ravi), { lead: lead.id, template: 'standard' });
    expect(r.proposal.status).toBe('pending-approval');
    expect(r.outboxKey).toBeUndefined();
    expect(await team.store.outbox.byKey('proposal1/rev1')).toBeUndefined();
    await expect(approveProposal(team.as(team.ravi), 1)).rejects.toBeInstanceOf(PermissionError);
    const ok = await approveProposal(team.as(team.manager), 1, 'fine');
    expect(ok.proposal.status).toBe('sent');
    expectProposalEmail(await team.store.outbox.byKey('proposal1/rev1'), lead.id, 'e@x.example', ok.proposal);
    const v = await showProposal(team.as(team.admin), 1);
    expect(v.revisions[0]).toMatchObject({ approvedBy: 'meera@acme.example', sentAt: FIXED_NOW.toISOString() });
    expect(v.events.map((e) => e.event)).toEqual(['created', 'approval-requested', 'approved', 'sent']);
    await expect(approveProposal(team.as(team.manager), 1)).rejects.toThrow(/is sent, not waiting for approval/);
  });

  it('viewed, then accepted; a terminal proposal cannot be marked again; accepting after valid-until is a conflict', async () => {
    await template();
    const lead = await addLeadAs(team, team.admin, { emails: ['f@x.example'] });
    await sendProposal(team.as(team.admin), { lead: lead.id, template: 'standard', validUntil: '2026-11-30' });
    await sendProposal(team.as(team.admin), { lead: lead.id, template: 'standard', validUntil: '2026-11-30' });
    expect((await markProposal(team.as(team.admin), 1, 'viewed')).status).toBe('viewed');
    await expect(markProposal(team.as(team.admin), 1, 'viewed')).rejects.toThrow(/already marked viewed/);
    expect((await markProposal(team.as(team.admin), 1, 'accepted', 'signed')).status).toBe('accepted');
    const again = await markProposal(team.as(team.admin), 1, 'rejected').catch((e) => e);
    expect(again).toBeInstanceOf(ConflictError);
    expect(again.message).toBe('proposal 1 is already accepted; it cannot be marked rejected');
    await expect(markProposal(team.as(team.admin), 1, 'expired')).rejects.toBeInstanceOf(UsageError);
    const late = await markProposal(team.as(team.admin, day('2026-12-01')), 2, 'accepted').catch((e) => e);
    expect(late).toBeInstanceOf(ConflictError);
    expect(late.message).toMatch(/proposal 2 expired: it was valid until 2026-11-30 \(today is 2026-12-01\)/);
    expect((await team.store.proposals.get(2))!.status).toBe('sent');
    expect((await markProposal(team.as(team.admin, day('2026-11-30')), 2, 'accepted')).status).toBe('accepted');
    const notes = (await team.store.activities.forLead(lead.id)).map((a) => a.body);
    expect(notes).toContain('#1 accepted (revision 1) — signed');
  });

  it('revise makes revision N+1 with new items, keeps the earlier revisions, and sends it again under a new key', async () => {
    await template();
    const lead = await addLeadAs(team, team.admin, { emails: ['g@x.example'] });
    await sendProposal(team.as(team.admin), { lead: lead.id, template: 'standard', items: file('a.csv', ITEMS), validUntil: '2026-12-31' });
    await markProposal(team.as(team.admin), 1, 'rejected', 'too expensive');
    const r = await reviseProposal(team.as(team.admin, day('2026-11-25')), 1, { items: file('b.csv', 'description,quantity,unit_price,tax\nWidget,3,15,23\n') });
    expect(r.proposal).toMatchObject({ status: 'sent', revision: 2, totalMinor: 5535, validUntil: '2026-12-31' });
    expect(r.proposal.body).toContain('EUR 55.35');
    expect(r.outboxKey).toBe('proposal1/rev2');
    expect((await team.store.outbox.byKey('proposal1/rev2'))!.attachments![0]!.filename).toBe('proposal-1-rev2.pdf');
    const v = await showProposal(team.as(team.admin), 1);
    expect(v.revisions.map((x) => [x.revision, x.totalMinor])).toEqual([[1, 47388], [2, 5535]]);
    expect(v.events.map((e) => e.event)).toEqual(['created', 'sent', 'rejected', 'revised', 'sent']);
    const old = await proposalPdf(team.as(team.admin), 1, 1);
    expect(await pdfText(old.pdf)).toContain('Total EUR 473.88');
    await markProposal(team.as(team.admin), 1, 'accepted');
    await expect(reviseProposal(team.as(team.admin), 1, {})).rejects.toThrow(/was accepted; it cannot be revised/);
    // The template can go: later revisions keep the text and carry only the PDF.
    await removeTemplate(team.as(team.admin), 'standard');
    expect((await showProposal(team.as(team.admin), 1)).proposal.subject).toBe(v.proposal.subject);
  });
});

describe("the daemon's proposal pass", () => {
  it('expires sent and viewed proposals past their last valid day, once, on the timeline', async () => {
    await template();
    const lead = await addLeadAs(team, team.admin, { emails: ['h@x.example'] });
    await sendProposal(team.as(team.admin), { lead: lead.id, template: 'standard', validUntil: '2026-11-30' });
    await sendProposal(team.as(team.admin), { lead: lead.id, template: 'standard', validUntil: '2026-12-15' });
    await sendProposal(team.as(team.admin), { lead: lead.id, template: 'standard', validUntil: '2026-11-30', draft: true });
    expect((await runProposalExpiry(team.store, day('2026-11-30'))).expired).toBe(0);
    expect((await runProposalExpiry(team.store, day('2026-12-01'))).expired).toBe(1);
    expect((await runProposalExpiry(team.store, day('2026-12-01'))).expired).toBe(0);
    expect((await team.store.proposals.list({})).map((p) => [p.id, p.status])).toEqual([[3, 'draft'], [2, 'sent'], [1, 'expired']]);
    expect((await team.store.activities.forLead(lead.id))[0]).toMatchObject({ type: 'proposal', userId: null, body: '#1 expired (valid until 2026-11-30, revision 1)' });
    await expect(markProposal(team.as(team.admin, day('2026-12-01')), 1, 'accepted')).rejects.toThrow(/already expired/);
  });

  it('reminds the assigned rep proposal.remind-days before expiry, by inbox (and email when configured), once per revision', async () => {
    await template();
    const lead = await addLeadAs(team, team.ravi, { emails: ['i@x.example'] });
    await sendProposal(team.as(team.ravi), { lead: lead.id, template: 'standard', validUntil: '2026-11-28' });
    expect((await runProposalExpiry(team.store, day('2026-11-26'))).reminded).toBe(0);
    expect((await runProposalExpiry(team.store, day('2026-11-27'))).reminded).toBe(1);
    expect((await runProposalExpiry(team.store, day('2026-11-28'))).reminded).toBe(0);
    const rows = (await team.store.outbox.list({})).filter((m) => m.rule === 'proposal-expiring');
    expect(rows.map((m) => [m.channel, m.recipientId])).toEqual([['inbox', team.ravi.id]]);
    expect(rows[0]!.vars).toMatchObject({ proposal_id: '1', valid_until: '2026-11-28' });
    await setSetting(team.as(team.admin), 'proposal.remind-days', '0');
    await reviseProposal(team.as(team.ravi), 1, { validUntil: '2026-11-29' });
    expect((await runProposalExpiry(team.store, day('2026-11-28'))).reminded).toBe(0);
  });
});

describe('delivery of a proposal email', () => {
  it('the deliverer sends it over SMTP with cc, the PDF and the template file', async () => {
    const smtp = await startSmtp();
    try {
      const admin = team.as(team.admin);
      for (const [k, v] of [['smtp.host', '127.0.0.1'], ['smtp.port', String(smtp.port)], ['smtp.ignore-tls', 'true'], ['smtp.from', 'sales@acme.example']] as const) await setSetting(admin, k, v);
      await template();
      const lead = await addLeadAs(team, team.admin, { name: 'Ana Sousa', businessName: 'Sousa Lda', emails: ['ana@sousa.example'] });
      await sendProposal(admin, { lead: lead.id, template: 'standard', items: file('items.csv', ITEMS) });
      await team.store.transaction(async () => {
        for (const m of await team.store.outbox.list({})) if (m.rule !== 'proposal') await team.store.outbox.markSentMany([{ id: m.id, at: FIXED_NOW.toISOString() }]);
      });
      const d = new Deliverer({ store: team.store, env: { CRM_HOME: team.dir } });
      expect(await d.drain(FIXED_NOW)).toMatchObject({ sent: 1, failed: 0 });
      d.close();
      const [mail] = await smtp.waitFor(1);
      expect(mail!.subject).toBe('Proposal for Sousa Lda');
      expect(JSON.stringify(mail!.to)).toContain('ana@sousa.example');
      expect(JSON.stringify(mail!.cc)).toContain('boss@acme.example');
      expect(mail!.text).toContain('Dear Ana Sousa');
      expect(mail!.attachments.map((a) => [a.filename, a.contentType])).toEqual([['proposal-1.pdf', 'application/pdf'], ['brochure.pdf', 'application/pdf']]);
      expect(await pdfText(mail!.attachments[0]!.content)).toContain('Total EUR 473.88');
    } finally {
      await smtp.stop();
    }
  });
});
