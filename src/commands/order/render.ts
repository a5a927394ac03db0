import { formatMoney, minorToDecimal } from '../../io/format.js';
import type { Column } from '../../io/output.js';
import type { Order, OrderItem, Payment, Product } from '../../domain/orders.js';
import type { OrderView } from '../../services/orders/service.js';
import { balanceOf } from '../../services/orders/service.js';

const money = (minor: number, currency: string) => ({ amountMinor: minor, amount: minorToDecimal(minor, currency), currency });
const day = (iso: string | null) => (iso ? iso.slice(0, 16).replace('T', ' ') : '');

const itemJson = (i: OrderItem, currency: string) => ({
  description: i.description, productId: i.productId, quantity: i.quantity, unitPrice: money(i.unitPriceMinor, currency), discountPct: i.discountPct,
  taxPct: i.taxPct, taxInclusive: i.taxInclusive, gross: money(i.grossMinor, currency), discount: money(i.discountMinor, currency),
  net: money(i.netMinor, currency), tax: money(i.taxMinor, currency), total: money(i.totalMinor, currency),
});

export const orderJson = (o: Order) => ({
  id: o.id, leadId: o.leadId, lead: o.leadName, proposalId: o.proposalId, title: o.title, status: o.status, currency: o.currency,
  items: o.items.map((i) => itemJson(i, o.currency)), subtotal: money(o.subtotalMinor, o.currency), discount: money(o.discountMinor, o.currency),
  tax: money(o.taxMinor, o.currency), total: money(o.totalMinor, o.currency), paid: money(o.paidMinor, o.currency), balance: money(balanceOf(o), o.currency),
  invoiceNumber: o.invoiceNumber, billedAt: o.billedAt, dueOn: o.dueOn, createdBy: o.createdBy, createdAt: o.createdAt, updatedAt: o.updatedAt, closedAt: o.closedAt, sentAt: o.sentAt, sendCount: o.sendCount,
});

export const paymentJson = (p: Payment, currency: string) => ({ id: p.id, paidOn: p.paidOn, amount: money(p.amountMinor, currency), method: p.method, note: p.note, recordedBy: p.createdBy, recordedAt: p.createdAt });

export const viewJson = (v: OrderView) => ({
  ...orderJson(v.order), taxes: v.taxes.map((t) => ({ ratePct: t.ratePct, net: money(t.netMinor, v.order.currency), tax: money(t.taxMinor, v.order.currency) })),
  payments: v.payments.map((p) => paymentJson(p, v.order.currency)),
});

export const orderColumns: Column<Order>[] = [
  { header: 'ID', cell: (o) => o.id },
  { header: 'LEAD', cell: (o) => `${o.leadId} ${o.leadName}` },
  { header: 'TITLE', cell: (o) => o.title },
  { header: 'STATUS', cell: (o) => o.status },
  { header: 'TOTAL', cell: (o) => formatMoney(o.totalMinor, o.currency) },
  { header: 'INVOICE', cell: (o) => o.invoiceNumber ?? '' },
  { header: 'CREATED', cell: (o) => day(o.createdAt) },
];

export const invoiceColumns: Column<Order>[] = [
  { header: 'INVOICE', cell: (o) => o.invoiceNumber ?? '' },
  { header: 'ORDER', cell: (o) => o.id },
  { header: 'LEAD', cell: (o) => `${o.leadId} ${o.leadName}` },
  { header: 'STATUS', cell: (o) => o.status },
  { header: 'TOTAL', cell: (o) => formatMoney(o.totalMinor, o.currency) },
  { header: 'BALANCE', cell: (o) => formatMoney(balanceOf(o), o.currency) },
  { header: 'BILLED', cell: (o) => (o.billedAt ?? '').slice(0, 10) },
  { header: 'DUE', cell: (o) => o.dueOn ?? '' },
];

export const productColumns: Column<Product>[] = [
  { header: 'ID', cell: (p) => p.id },
  { header: 'NAME', cell: (p) => p.name },
  { header: 'PRICE', cell: (p) => formatMoney(p.unitPriceMinor, p.currency) },
  { header: 'TAX %', cell: (p) => `${p.taxPct}${p.taxInclusive ? ' incl.' : ''}` },
  { header: 'ACTIVE', cell: (p) => (p.active ? 'yes' : 'no') },
];

export const productJson = (p: Product) => ({
  id: p.id, name: p.name, price: money(p.unitPriceMinor, p.currency), taxPct: p.taxPct, taxInclusive: p.taxInclusive, active: p.active, createdAt: p.createdAt, updatedAt: p.updatedAt,
});

/** An order or invoice as text: its fields, lines, taxes by rate, totals and payments. */
export function viewLines(v: OrderView): { title: string; fields: [string, string][]; lines: string[] } {
  const o = v.order;
  const c = o.currency;
  const fields: [string, string][] = [
    ['Lead', `${o.leadId} ${o.leadName}${v.lead.emails[0] ? ` <${v.lead.emails[0]}>` : ''}`],
    ['Status', o.status],
    ['Invoice', o.invoiceNumber ?? ''],
    ['Billed', day(o.billedAt)],
    ['Due', o.dueOn ?? ''],
    ['Sent', o.sentAt ? `${day(o.sentAt)}${o.sendCount > 1 ? ` (${o.sendCount} times)` : ''}` : ''],
    ['Total', formatMoney(o.totalMinor, c)],
    ['Paid', o.invoiceNumber ? formatMoney(o.paidMinor, c) : ''],
    ['Balance', o.invoiceNumber ? formatMoney(v.balanceMinor, c) : ''],
    ['Proposal', o.proposalId === null ? '' : String(o.proposalId)],
    ['Created', `${day(o.createdAt)}${o.createdBy ? ` by ${o.createdBy}` : ''}`],
  ];
  const rows = [['DESCRIPTION', 'QTY', 'UNIT PRICE', 'DISC %', 'TAX %', 'NET', 'TAX', 'TOTAL'],
    ...o.items.map((i) => [i.description, i.quantity, minorToDecimal(i.unitPriceMinor, c), i.discountPct, `${i.taxPct}${i.taxInclusive ? ' incl' : ''}`, minorToDecimal(i.netMinor, c), minorToDecimal(i.taxMinor, c), minorToDecimal(i.totalMinor, c)])];
  const widths = rows[0]!.map((_, k) => Math.max(...rows.map((r) => r[k]!.length)));
  const lines = ['', ...rows.map((r) => r.map((cell, k) => (k === 0 ? cell.padEnd(widths[k]!) : cell.padStart(widths[k]!))).join('  ').trimEnd())];
  lines.push('', `Subtotal ${formatMoney(o.subtotalMinor, c)}   Discount ${formatMoney(o.discountMinor, c)}   Tax ${formatMoney(o.taxMinor, c)}   Total ${formatMoney(o.totalMinor, c)}`);
  for (const t of v.taxes) lines.push(`  tax ${t.ratePct}% on ${formatMoney(t.netMinor, c)}: ${formatMoney(t.taxMinor, c)}`);
  if (v.payments.length) {
    lines.push('', 'Payments:');
    for (const p of v.payments) lines.push(`  ${p.paidOn}  ${formatMoney(p.amountMinor, c)}  ${p.method}${p.note ? ` — ${p.note}` : ''}`);
  }
  return { title: o.invoiceNumber ? `Invoice ${o.invoiceNumber} (order ${o.id}): ${o.title}` : `Order ${o.id}: ${o.title}`, fields, lines };
}
