/**
 * The proposal PDF (P2): the shared business look and parts (src/services/pdf/document.ts), the
 * proposal's text, its line items and totals.
 */
import { currencyDigits } from '../../io/format.js';
import type { Lead } from '../../domain/leads.js';
import type { Proposal } from '../../domain/proposals.js';
import { openPdf, pdfAmount, type PdfLook } from '../pdf/document.js';

export interface PdfInput extends PdfLook {
  proposal: Pick<Proposal, 'id' | 'revision' | 'subject' | 'body' | 'currency' | 'items' | 'subtotalMinor' | 'discountMinor' | 'taxMinor' | 'totalMinor' | 'validUntil'>;
  lead: Pick<Lead, 'id' | 'name' | 'businessName' | 'emails' | 'phones' | 'address'>;
  /** The document date, YYYY-MM-DD. */
  date: string;
  /** Fixed creation time (tests and re-renders produce the same metadata). */
  createdAt: Date;
}

export async function renderProposalPdf(input: PdfInput): Promise<Buffer> {
  const { proposal: p, lead } = input;
  const title = `Proposal ${p.id}${p.revision > 1 ? ` (revision ${p.revision})` : ''}`;
  const pdf = await openPdf(input, { title, subject: p.subject, createdAt: input.createdAt });
  const { doc, regular, bold, left, width } = pdf;
  pdf.header();
  doc.moveDown(0.5);
  doc.font(bold).fontSize(14).text(title, left, doc.y, { width });
  doc.font(regular).fontSize(10);
  doc.text(`Date: ${input.date}`);
  doc.text(p.validUntil ? `Valid until: ${p.validUntil}` : 'Valid until: no expiry');
  doc.moveDown(0.8);

  doc.font(bold).text('Prepared for');
  doc.font(regular);
  for (const line of [lead.name, lead.businessName, lead.address, lead.emails[0], lead.phones[0]]) if (line) doc.text(line, { width });
  doc.moveDown(0.8);

  doc.font(bold).fontSize(12).text(p.subject, { width });
  doc.moveDown(0.4);
  doc.font(regular).fontSize(10).text(p.body.trimEnd(), { width });
  doc.moveDown(1);

  if (p.items.length) {
    pdf.table([
      { h: 'Description', w: 0.38, align: 'left' },
      { h: 'Qty', w: 0.08, align: 'right' },
      { h: 'Unit price', w: 0.16, align: 'right' },
      { h: 'Disc. %', w: 0.1, align: 'right' },
      { h: 'Tax %', w: 0.1, align: 'right' },
      { h: `Amount (${p.currency})`, w: 0.18, align: 'right' },
    ], p.items.map((it) => [it.description, it.quantity, pdfAmount(it.unitPriceMinor, p.currency), it.discountPct, it.taxPct, pdfAmount(it.grossMinor, p.currency)]));
    doc.moveDown(0.8);
    pdf.totals([
      ['Subtotal', p.subtotalMinor, false],
      ['Discount', -p.discountMinor, false],
      ['Tax', p.taxMinor, false],
      ['Total', p.totalMinor, true],
    ], p.currency);
    doc.moveDown(0.6);
    doc.font(regular).fontSize(8).fillColor('#555555')
      .text(`Amounts in ${p.currency} with ${currencyDigits(p.currency)} decimal place(s); discount and tax are rounded per line.`, left, doc.y, { width });
    doc.fillColor('black');
  }
  doc.moveDown(1);
  doc.font(regular).fontSize(9).text(p.validUntil ? `This proposal is valid until ${p.validUntil}.` : 'This proposal has no expiry date.', left, doc.y, { width });
  return pdf.finish();
}
