/**
 * The invoice PDF (O1): seller (the business look every PDF shares), buyer, number and dates,
 * lines, tax by rate, totals, what was paid and what is still due, and the payment terms. Only an
 * invoice that was billed (billed, partially paid, paid) has one. Its creation time is the billing
 * time, so the same invoice in the same state gives the same bytes whenever it is drawn.
 */
import { ConflictError } from '../../errors.js';
import { currencyDigits, formatMoney } from '../../io/format.js';
import type { Lead } from '../../domain/leads.js';
import type { Order, OrderStatus, Payment } from '../../domain/orders.js';
import type { ServiceContext } from '../context.js';
import { openPdf, pdfAmount, pdfLook, type PdfLook } from '../pdf/document.js';
import { ymd } from '../reports/period.js';
import { effectiveSetting } from '../settings/service.js';
import { taxByRate } from './money.js';
import { balanceOf, getInvoice, orderSettings } from './service.js';

/** Statuses whose invoice has a PDF (and may be sent). */
export const PDF_STATUSES: readonly OrderStatus[] = ['billed', 'partially-paid', 'paid'];

/** The file name of an invoice's PDF: its number, with characters a file name cannot hold replaced. */
export function invoiceFilename(invoiceNumber: string): string {
  return `${invoiceNumber.replace(/[^A-Za-z0-9_.-]/g, '-')}.pdf`;
}

/** An invoice that has a PDF, visible to the acting user; others are a conflict naming the status. */
export async function pdfInvoice(ctx: Pick<ServiceContext, 'store' | 'actor'>, ref: string): Promise<{ order: Order; lead: Lead }> {
  const r = await getInvoice(ctx, ref);
  if (!PDF_STATUSES.includes(r.order.status)) {
    throw new ConflictError(`invoice ${r.order.invoiceNumber} is ${r.order.status}; only a billed, partially paid or paid invoice has a PDF`, { id: 'invoice.show', invoice: r.order.invoiceNumber! });
  }
  return r;
}

/** The PDF of an invoice (by number or order id), for any caller that checked who may see it. */
export async function invoicePdf(ctx: Pick<ServiceContext, 'store' | 'actor' | 'now'>, ref: string): Promise<{ order: Order; lead: Lead; pdf: Buffer; filename: string }> {
  const { order, lead } = await pdfInvoice(ctx, ref);
  const settings = await orderSettings(ctx.store);
  const stored = await ctx.store.settings.all();
  const terms = effectiveSetting(stored, {}, 'invoice.terms');
  const payments = await ctx.store.orders.payments(order.id);
  const pdf = await renderInvoicePdf({ ...(await pdfLook(ctx.store)), order, lead, payments, terms, timeZone: settings.timeZone });
  return { order, lead, pdf, filename: invoiceFilename(order.invoiceNumber!) };
}

export interface InvoicePdfInput extends PdfLook {
  order: Order;
  lead: Pick<Lead, 'id' | 'name' | 'businessName' | 'emails' | 'address'>;
  payments: Payment[];
  /** Setting invoice.terms (empty: only the due day). */
  terms: string;
  /** The zone the issue day is counted in (notify.timezone). */
  timeZone: string;
}

export async function renderInvoicePdf(input: InvoicePdfInput): Promise<Buffer> {
  const { order: o, lead } = input;
  const number = o.invoiceNumber!;
  const billedAt = new Date(o.billedAt ?? o.createdAt);
  const issued = ymd(billedAt, input.timeZone);
  const pdf = await openPdf(input, { title: `Invoice ${number}`, subject: o.title, createdAt: billedAt });
  const { doc, regular, bold, left, width } = pdf;
  const money = (minor: number) => formatMoney(minor, o.currency);
  pdf.header();
  doc.moveDown(0.8);

  const top = doc.y;
  doc.font(bold).fontSize(16).text(`Invoice ${number}`, left, top, { width: width / 2 });
  doc.font(regular).fontSize(10);
  doc.text(`Issue date: ${issued}`, { width: width / 2 });
  doc.text(`Due date: ${o.dueOn ?? issued}`, { width: width / 2 });
  doc.text(`Order: ${o.id}`, { width: width / 2 });
  if (o.status === 'paid') doc.font(bold).text('PAID', { width: width / 2 }).font(regular);
  const leftEnd = doc.y;
  doc.font(bold).fontSize(10).text('Bill to', left + width / 2, top, { width: width / 2 });
  doc.font(regular);
  for (const line of [lead.businessName, lead.name, lead.address, lead.emails[0]]) if (line) doc.text(line, left + width / 2, doc.y, { width: width / 2 });
  doc.x = left;
  doc.y = Math.max(leftEnd, doc.y);
  doc.moveDown(1);

  doc.font(bold).fontSize(12).text(o.title, left, doc.y, { width });
  doc.moveDown(0.5);
  pdf.table([
    { h: 'Description', w: 0.36, align: 'left' },
    { h: 'Qty', w: 0.08, align: 'right' },
    { h: 'Unit price', w: 0.16, align: 'right' },
    { h: 'Disc. %', w: 0.1, align: 'right' },
    { h: 'Tax %', w: 0.1, align: 'right' },
    { h: `Total (${o.currency})`, w: 0.2, align: 'right' },
  ], o.items.map((it) => [
    it.description, it.quantity, `${pdfAmount(it.unitPriceMinor, o.currency)}${it.taxInclusive ? ' incl.' : ''}`, it.discountPct, it.taxPct, pdfAmount(it.totalMinor, o.currency),
  ]));
  doc.moveDown(0.8);

  doc.font(bold).fontSize(10).text('Tax summary', left, doc.y, { width });
  doc.moveDown(0.2);
  pdf.table([
    { h: 'Rate %', w: 0.25, align: 'right' },
    { h: `Net (${o.currency})`, w: 0.25, align: 'right' },
    { h: `Tax (${o.currency})`, w: 0.25, align: 'right' },
    { h: `Gross (${o.currency})`, w: 0.25, align: 'right' },
  ], taxByRate(o.items).map((t) => [t.ratePct, pdfAmount(t.netMinor, o.currency), pdfAmount(t.taxMinor, o.currency), pdfAmount(t.netMinor + t.taxMinor, o.currency)]));
  doc.moveDown(0.8);

  const net = o.items.reduce((n, i) => n + i.netMinor, 0);
  const balance = balanceOf(o);
  pdf.totals([
    ['Net', net, false],
    ['Tax', o.taxMinor, false],
    ['Total', o.totalMinor, true],
    ['Paid', o.paidMinor, false],
    ['Balance due', balance, true],
  ], o.currency);
  doc.moveDown(0.8);

  if (input.payments.length) {
    doc.font(bold).fontSize(10).text('Payments received', left, doc.y, { width });
    doc.font(regular).fontSize(9);
    for (const p of input.payments) doc.text(`${p.paidOn}  ${money(p.amountMinor)}  ${p.method}`, left, doc.y, { width });
    doc.moveDown(0.8);
  }

  doc.font(bold).fontSize(10).text('Payment terms', left, doc.y, { width });
  doc.font(regular).fontSize(9);
  doc.text(balance > 0 ? `Please pay ${money(balance)} by ${o.dueOn ?? issued}, quoting invoice ${number}.` : `Paid in full. Thank you.`, left, doc.y, { width });
  if (input.terms) doc.text(input.terms, left, doc.y, { width });
  doc.moveDown(0.6);
  doc.font(regular).fontSize(8).fillColor('#555555')
    .text(`Amounts in ${o.currency} with ${currencyDigits(o.currency)} decimal place(s); line totals include tax; discount and tax are rounded per line.`, left, doc.y, { width });
  doc.fillColor('black');
  return pdf.finish();
}
