/**
 * Invoice PDFs (O1): what the document says, who may have it, which invoices have one, and that
 * the bytes depend on the invoice only (its billing time is the PDF's creation time), not on
 * the clock of the call.
 */
import { PDFParse } from 'pdf-parse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, PermissionError, UsageError } from '../../src/errors.js';
import type { LeadInput } from '../../src/services/leads/service.js';
import { addRule, runRules, runRulesAsDaemon } from '../../src/services/followups/rules.js';
import { listLeads, moveLead } from '../../src/services/leads/service.js';
import { addSegment } from '../../src/services/segments/service.js';
import { addPerson } from '../../src/services/leads/persons.js';
import { contactHash } from '../../src/services/people/service.js';
import { sendInvoice } from '../../src/services/orders/send.js';
import { invoicePdf } from '../../src/services/orders/invoice-pdf.js';
import { addOrder, billOrder, cancelOrder, payInvoice } from '../../src/services/orders/service.js';
import { setSetting } from '../../src/services/settings/service.js';
import { addLeadAs, FIXED_NOW, testTeam, type TestTeam } from '../helpers/store.js';

let team: TestTeam;
beforeEach(async () => {
  team = await testTeam();
});
afterEach(() => team.close());

export async function pdfText(pdf: Buffer): Promise<{ text: string; pages: number }> {
  const p = new PDFParse({ data: pdf });
  try {
    const r = await p.getText();
    return { text: r.text, pages: r.total };
  } finally {
    await p.destroy();
  }
}

/** An order for a rep's lead with lines at two tax rates (one inclusive), billed on FIXED_NOW. */
async function billedInvoice(extra: Partial<LeadInput> = {}) {
  const lead = await addLeadAs(team, team.admin, { name: 'Ana Sousa', businessName: 'Sousa Lda', emails: ['ana@sousa.example'], address: 'Rua do Ouro 5, Lisboa', assign: ['ravi@acme.example'], ...extra });
  const ravi = team.as(team.ravi);
  const order = await addOrder(ravi, {
    lead: lead.id, title: 'Office fit-out',
    items: ['Widget; qty=3; price=19.99; discount=10; tax=23', 'Book; qty=2; price=10.60; tax=6; inclusive'],
  });
  await billOrder(ravi, order.id, { dueOn: '2026-12-07' });
  return { lead, order };
}

describe('invoice PDF', () => {
  it('carries seller, buyer, number, dates, lines, tax by rate, totals, paid, balance and terms', async () => {
    const admin = team.as(team.admin);
    await setSetting(admin, 'business.name', 'Acme Fit-outs');
    await setSetting(admin, 'business.address', 'Rua Augusta 10; 1100-053 Lisboa');
    await setSetting(admin, 'invoice.terms', 'Bank transfer to IBAN PT50 0001');
    await billedInvoice();
    const r = await invoicePdf(team.as(team.ravi), 'inv-2026-0001');
    expect(r.filename).toBe('INV-2026-0001.pdf');
    expect(r.order.invoiceNumber).toBe('INV-2026-0001');
    expect(r.lead.name).toBe('Ana Sousa');
    expect(r.pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const { text, pages } = await pdfText(r.pdf);
    expect(pages).toBe(1);
    for (const s of [
      'Acme Fit-outs', 'Rua Augusta 10', '1100-053 Lisboa', 'Invoice INV-2026-0001', 'Issue date: 2026-11-23', 'Due date: 2026-12-07',
      'Sousa Lda', 'Ana Sousa', 'Rua do Ouro 5, Lisboa', 'Office fit-out', 'Widget', '19.99', '66.38', '10.60 incl.', '21.20',
      // tax by rate: 23% on 53.97 → 12.41; 6% inclusive on 21.20 → net 20.00, tax 1.20
      '53.97', '12.41', '20.00', '1.20', 'Total EUR 87.58', 'Paid EUR 0.00', 'Balance due EUR 87.58',
      'Please pay EUR 87.58 by 2026-12-07, quoting invoice INV-2026-0001', 'Bank transfer to IBAN PT50 0001',
    ]) expect(text).toContain(s);
  });

  it('shows payments and the balance left; a paid invoice says so', async () => {
    await billedInvoice();
    const admin = team.as(team.admin);
    await payInvoice(admin, 'INV-2026-0001', { amount: '50', method: 'card' });
    let { text } = await pdfText((await invoicePdf(admin, '1')).pdf);
    expect(text).toContain('Paid EUR 50.00');
    expect(text).toContain('Balance due EUR 37.58');
    expect(text).toContain('2026-11-23 EUR 50.00 card');
    await payInvoice(admin, 'INV-2026-0001', {});
    ({ text } = await pdfText((await invoicePdf(admin, '1')).pdf));
    expect(text).toContain('Balance due EUR 0.00');
    expect(text).toContain('PAID');
    expect(text).toContain('Paid in full');
  });

  it('has the same bytes whenever it is drawn (creation time = billing time), and other bytes for another invoice state', async () => {
    await billedInvoice();
    const a = await invoicePdf(team.as(team.ravi, new Date('2026-11-24T10:00:00Z')), 'INV-2026-0001');
    const b = await invoicePdf(team.as(team.admin, new Date('2027-03-01T08:30:00Z')), 'INV-2026-0001');
    expect(b.pdf.equals(a.pdf)).toBe(true);
    expect(a.pdf.toString('latin1')).toContain('(D:20261123090000Z)');
    await payInvoice(team.as(team.admin), 'INV-2026-0001', { amount: '1' });
    expect((await invoicePdf(team.as(team.admin), 'INV-2026-0001')).pdf.equals(a.pdf)).toBe(false);
  });

  it('writes amounts in the currency\'s minor units (JPY none) and runs onto more pages when the lines do', async () => {
    const admin = team.as(team.admin);
    const lead = await addLeadAs(team, team.admin, { name: 'Sato', currency: 'JPY' });
    const items = Array.from({ length: 60 }, (_, i) => `Part ${i + 1}; qty=3; price=1234; tax=10`);
    const o = await addOrder(admin, { lead: lead.id, items });
    await billOrder(admin, o.id);
    const { text, pages } = await pdfText((await invoicePdf(admin, String(o.id))).pdf);
    expect(pages).toBeGreaterThan(1);
    // 60 × 3 × 1,234 = 222,120; tax 10% per line 370.2 → 370 × 60 = 22,200.
    expect(text).toContain('Part 60');
    expect(text).toContain('Total JPY 244,320');
    expect(text).toContain('Amounts in JPY with 0 decimal place(s)');
  });

  it('a draft, a cancelled invoice and another rep\'s invoice have none', async () => {
    const { lead } = await billedInvoice();
    const draft = await addOrder(team.as(team.admin), { lead: lead.id, items: ['Extra; price=5'] });
    const e1 = await invoicePdf(team.as(team.admin), String(draft.id)).catch((e) => e);
    expect(e1).toBeInstanceOf(ConflictError);
    expect(e1.message).toBe(`order ${draft.id} is draft; it has no invoice`);
    await billOrder(team.as(team.admin), draft.id);
    await cancelOrder(team.as(team.admin), draft.id);
    const e2 = await invoicePdf(team.as(team.admin), 'INV-2026-0002').catch((e) => e);
    expect(e2).toBeInstanceOf(ConflictError);
    expect(e2.message).toBe('invoice INV-2026-0002 is cancelled; only a billed, partially paid or paid invoice has a PDF');
    const e3 = await invoicePdf(team.as(team.priya), 'INV-2026-0001').catch((e) => e);
    expect(e3).toBeInstanceOf(PermissionError);
  });
});

describe('invoice send', () => {
  it('queues one email per send with the PDF attached, to the lead; records the send on the invoice and the timeline', async () => {
    await setSetting(team.as(team.admin), 'business.name', 'Acme Fit-outs');
    await setSetting(team.as(team.admin), 'invoice.terms', 'IBAN PT50 0001');
    const { lead, order } = await billedInvoice();
    const ravi = team.as(team.ravi);
    const r = await sendInvoice(ravi, 'INV-2026-0001', { cc: ['boss@sousa.example, accounts@sousa.example'], message: 'As agreed on the phone.' });
    expect(r).toMatchObject({ to: 'ana@sousa.example', cc: ['boss@sousa.example', 'accounts@sousa.example'], subject: 'Invoice INV-2026-0001 from Acme Fit-outs', outboxKey: 'invoice1/send1', dryRun: false });
    expect(r.text).toBe('Dear Ana Sousa,\n\nAs agreed on the phone.\n\nPlease find attached invoice INV-2026-0001 for EUR 87.58 (Office fit-out), due 2026-12-07.\n\nPayment terms: IBAN PT50 0001\n\nKind regards,\nRavi Kumar\nAcme Fit-outs\n');
    const msg = await team.store.outbox.byKey('invoice1/send1');
    expect(msg).toMatchObject({
      rule: 'invoice', channel: 'email', recipientKind: 'lead', recipientId: lead.id, address: 'ana@sousa.example', leadId: lead.id, status: 'pending',
      content: { subject: 'Invoice INV-2026-0001 from Acme Fit-outs', text: r.text, cc: ['boss@sousa.example', 'accounts@sousa.example'] },
    });
    expect(msg!.attachments!.map((a) => [a.filename, a.contentType, a.encoding])).toEqual([['INV-2026-0001.pdf', 'application/pdf', 'base64']]);
    const pdf = Buffer.from(msg!.attachments![0]!.content, 'base64');
    expect(pdf.equals((await invoicePdf(ravi, 'INV-2026-0001')).pdf)).toBe(true);
    expect(await team.store.orders.get(order.id)).toMatchObject({ sentAt: FIXED_NOW.toISOString(), sendCount: 1 });
    const entries = await team.store.activities.forLead(lead.id);
    expect(entries.filter((a) => (a.data as Record<string, unknown> | null)?.event === 'sent').map((a) => a.body)).toEqual(['#1 sent: invoice INV-2026-0001 to ana@sousa.example (cc boss@sousa.example, accounts@sousa.example), EUR 87.58 due']);

    // Sent again (a reminder after a partial payment): a second message, its own key.
    await payInvoice(team.as(team.admin), 'INV-2026-0001', { amount: '50' });
    const again = await sendInvoice(ravi, '1', {});
    expect(again.outboxKey).toBe('invoice1/send2');
    expect(again.text).toContain('EUR 50.00 has been paid; EUR 37.58 is still due.');
    expect(again.order.sendCount).toBe(2);
  });

  it('--to takes the lead\'s other address or a contact person (by email or name); any other address is refused', async () => {
    const { lead } = await billedInvoice({ kind: 'company' });
    const admin = team.as(team.admin);
    await addPerson(admin, lead.id, { name: 'Rui Costa', email: 'rui@sousa.example', role: 'CFO' });
    expect(await sendInvoice(admin, '1', { to: 'RUI@sousa.example', dryRun: true })).toMatchObject({ to: 'rui@sousa.example', toName: 'Rui Costa', dryRun: true });
    expect((await sendInvoice(admin, '1', { to: 'RUI@sousa.example', dryRun: true })).outboxKey).toBeUndefined();
    const byName = await sendInvoice(admin, '1', { to: 'rui costa', dryRun: true });
    expect(byName.to).toBe('rui@sousa.example');
    expect(byName.text.startsWith('Dear Rui Costa,\n')).toBe(true);
    const e = await sendInvoice(admin, '1', { to: 'someone@else.example' }).catch((x) => x);
    expect(e).toBeInstanceOf(UsageError);
    expect(e.message).toMatch(new RegExp(`someone@else\\.example is not an address of lead ${lead.id} \\(Ana Sousa\\) or of its contact persons$`));
    expect(e.hint).toMatch(/ana@sousa\.example, rui@sousa\.example/);
    // A dry run writes nothing.
    expect(await team.store.outbox.byKey('invoice1/send1')).toBeUndefined();
    expect((await team.store.orders.get(1))!.sendCount).toBe(0);
  });

  it('refuses a lead without email, a lead opted out of email, an erased person\'s address, and a draft', async () => {
    const admin = team.as(team.admin);
    const noMail = await addLeadAs(team, team.admin, { name: 'No Mail', emails: [], phones: ['+351912345678'] });
    const o = await addOrder(admin, { lead: noMail.id, items: ['Thing; price=10'] });
    await billOrder(admin, o.id);
    const e1 = await sendInvoice(admin, String(o.id)).catch((x) => x);
    expect(e1).toBeInstanceOf(UsageError);
    expect(e1.message).toBe(`lead ${noMail.id} (No Mail) has no email address; an invoice is sent by email`);

    const { lead } = await billedInvoice();
    await team.store.transaction(() => team.store.optOuts.set('lead', lead.id, 'email', true, FIXED_NOW.toISOString()));
    const e2 = await sendInvoice(admin, 'INV-2026-0002').catch((x) => x);
    expect(e2).toBeInstanceOf(ConflictError);
    expect(e2.message).toBe(`lead ${lead.id} (Ana Sousa) has opted out of email; invoice INV-2026-0002 was not sent`);
    await team.store.transaction(() => team.store.optOuts.set('lead', lead.id, 'email', false, FIXED_NOW.toISOString()));

    await team.store.transaction(() => team.store.people.suppress([contactHash('email', 'ana@sousa.example')], FIXED_NOW.toISOString()));
    const e3 = await sendInvoice(admin, 'INV-2026-0002').catch((x) => x);
    expect(e3).toBeInstanceOf(ConflictError);
    expect(e3.message).toMatch(/ana@sousa\.example belongs to a person erased at their request/);

    const draft = await addOrder(admin, { lead: lead.id, items: ['Extra; price=5'] });
    const e4 = await sendInvoice(admin, String(draft.id)).catch((x) => x);
    expect(e4).toBeInstanceOf(ConflictError);
    expect(e4.message).toBe(`order ${draft.id} is draft; it has no invoice`);
    expect((await team.store.outbox.list({})).filter((m) => m.rule === 'invoice')).toEqual([]);
  });
});

describe('follow-up rules on overdue invoices (invoice-overdue>Nd)', () => {
  const on = (day: string) => new Date(`${day}T09:00:00.000Z`);
  const ruleFollowUps = async () => (await team.store.followUps.list({} as never)).filter((f) => f.ruleId !== null);

  it('one call follow-up per overdue invoice, on the lead\'s assignee, once across runs by hand and by the daemon; paid invoices never', async () => {
    const { lead, order } = await billedInvoice(); // due 2026-12-07, EUR 87.58, lead assigned to Ravi
    const manager = team.as(team.manager);
    await addRule(manager, { name: 'unpaid', where: 'invoice-overdue>14d', title: 'Call about invoice' });

    // 14 days overdue is not more than 14.
    expect((await runRules(team.as(team.manager, on('2026-12-21'))))[0]).toMatchObject({ matched: [], created: [] });
    expect(await ruleFollowUps()).toEqual([]);

    const [r] = await runRules(team.as(team.manager, on('2026-12-22')));
    expect(r).toMatchObject({ matched: [lead.id], created: [{ leadId: lead.id, orderId: order.id, invoice: 'INV-2026-0001' }], alreadyDone: [] });
    let made = await ruleFollowUps();
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({
      leadId: lead.id, orderId: order.id, type: 'call', status: 'scheduled', assigneeIds: [team.ravi.id],
      title: 'Call about invoice: invoice INV-2026-0001, 15 days overdue, balance EUR 87.58',
    });

    // Again by hand, then the daemon's pass, days later: still one.
    expect((await runRules(team.as(team.admin, on('2026-12-23'))))[0]).toMatchObject({ created: [], alreadyDone: [lead.id] });
    expect((await runRulesAsDaemon(team.store, on('2026-12-30')))[0]).toMatchObject({ created: [], alreadyDone: [lead.id] });
    expect(await ruleFollowUps()).toHaveLength(1);

    // The same lead's next invoices: a paid one never, an unpaid one (partly paid) its own follow-up.
    const admin = team.as(team.admin);
    const paid = await addOrder(admin, { lead: lead.id, items: ['Paid thing; price=10'] });
    await billOrder(admin, paid.id, { dueOn: '2026-11-30' });
    await payInvoice(admin, String(paid.id), {});
    const part = await addOrder(admin, { lead: lead.id, items: ['Part thing; price=100'] });
    await billOrder(admin, part.id, { dueOn: '2026-12-01' });
    await payInvoice(admin, String(part.id), { amount: '40' });
    const [daemonRun] = await runRulesAsDaemon(team.store, on('2026-12-30'));
    expect(daemonRun!.created).toEqual([{ followUpId: expect.any(Number), leadId: lead.id, orderId: part.id, invoice: 'INV-2026-0003' }]);
    made = await ruleFollowUps();
    expect(made.map((f) => [f.orderId, f.title, f.createdBy])).toEqual([
      [order.id, 'Call about invoice: invoice INV-2026-0001, 15 days overdue, balance EUR 87.58', team.manager.id],
      [part.id, 'Call about invoice: invoice INV-2026-0003, 29 days overdue, balance EUR 60.00', null],
    ]);
    expect((await runRulesAsDaemon(team.store, on('2026-12-31')))[0]!.created).toEqual([]);
  });

  it('combines with the lead conditions; >= counts the day itself; a dry run writes nothing; bad conditions are refused', async () => {
    const { lead } = await billedInvoice();
    const manager = team.as(team.manager);
    await addRule(manager, { name: 'qualified-unpaid', where: 'stage=Qualified and invoice-overdue>=14d', title: 'Chase' });
    expect((await runRules(team.as(team.manager, on('2026-12-21'))))[0]!.matched).toEqual([]);
    await moveLead(team.as(team.admin), lead.id, 'Qualified');
    const dry = await runRules(team.as(team.manager, on('2026-12-21')), { dryRun: true });
    expect(dry[0]).toMatchObject({ matched: [lead.id], created: [{ followUpId: null, leadId: lead.id, invoice: 'INV-2026-0001' }] });
    expect(await ruleFollowUps()).toEqual([]);
    expect((await runRules(team.as(team.manager, on('2026-12-21'))))[0]!.created).toHaveLength(1);

    for (const [where, msg] of [
      ['invoice-overdue<14d', /invoice-overdue compares with > or >=/],
      ['invoice-overdue>soon', /give a number of days from 0 to 3650/],
      ['invoice-overdue>1d and invoice-overdue>2d', /a rule takes invoice-overdue once/],
      ['payment=unpaid', /rules follow unpaid invoices with invoice-overdue/],
    ] as const) {
      const e = await addRule(manager, { name: `bad ${where}`, where, title: 'x' }).catch((x) => x);
      expect(e).toBeInstanceOf(UsageError);
      expect(e.message).toMatch(msg);
    }
  });
});

describe('lead list --where / segments: payment (the statuses of a lead\'s invoices)', () => {
  it('payment = unpaid | paid | billed…, != and not in; a draft is no invoice; a bad status is refused; a rep sees their own', async () => {
    const admin = team.as(team.admin);
    const { lead: owes } = await billedInvoice(); // billed, Ravi's
    const paidUp = await addLeadAs(team, team.admin, { name: 'Paid up', assign: ['priya@acme.example'] });
    const o = await addOrder(admin, { lead: paidUp.id, items: ['x; price=10'] });
    await billOrder(admin, o.id);
    await payInvoice(admin, String(o.id), {});
    const part = await addLeadAs(team, team.admin, { name: 'Part' });
    const p = await addOrder(admin, { lead: part.id, items: ['y; price=10'] });
    await billOrder(admin, p.id);
    await payInvoice(admin, String(p.id), { amount: '4' });
    const draftOnly = await addLeadAs(team, team.admin, { name: 'Draft only' });
    await addOrder(admin, { lead: draftOnly.id, items: ['z; price=10'] });
    const where = async (expr: string, user = team.admin) => (await listLeads(team.as(user), { where: expr, sort: 'id' })).map((l) => l.id);
    expect(await where('payment = unpaid')).toEqual([owes.id, part.id]);
    expect(await where('payment = paid')).toEqual([paidUp.id]);
    expect(await where('payment in (partially-paid, paid)')).toEqual([paidUp.id, part.id]);
    expect(await where('payment != unpaid')).toEqual([paidUp.id, draftOnly.id]);
    expect(await where('payment not in (paid, billed, partially-paid)')).toEqual([draftOnly.id]);
    expect(await where('payment = unpaid', team.ravi)).toEqual([owes.id]);
    const seg = await addSegment(admin, { name: 'owes-us', where: 'payment = UNPAID' });
    expect(seg.count).toBe(2);
    const e = await where('payment = overdue').catch((x) => x);
    expect(e).toBeInstanceOf(UsageError);
    expect(e.message).toMatch(/unknown payment status 'overdue'/);
    expect(await where('payment > paid').catch((x) => x)).toBeInstanceOf(UsageError);
  });
});
