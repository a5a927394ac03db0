/**
 * Invoice PDFs (O1): what the document says, who may have it, which invoices have one, and that
 * the bytes depend on the invoice only (its billing time is the PDF's creation time), not on
 * the clock of the call.
 */
import { PDFParse } from 'pdf-parse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, PermissionError } from '../../src/errors.js';
import { invoicePdf } from '../../src/services/orders/invoice-pdf.js';
import { addOrder, billOrder, cancelOrder, payInvoice } from '../../src/services/orders/service.js';
import { setSetting } from '../../src/services/settings/service.js';
import { addLeadAs, testTeam, type TestTeam } from '../helpers/store.js';

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
async function billedInvoice() {
  const lead = await addLeadAs(team, team.admin, { name: 'Ana Sousa', businessName: 'Sousa Lda', emails: ['ana@sousa.example'], address: 'Rua do Ouro 5, Lisboa', assign: ['ravi@acme.example'] });
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
