import { formatMoney, minorToDecimal } from '../../io/format.js';
import type { Column } from '../../io/output.js';
import type { SendResult } from '../../services/proposals/service.js';
import type { Proposal, ProposalEvent, ProposalItem, ProposalRevision, ProposalTemplate } from '../../domain/proposals.js';

const money = (minor: number, currency: string) => ({ amountMinor: minor, amount: minorToDecimal(minor, currency), currency });

export const itemJson = (i: ProposalItem, currency: string) => ({
  description: i.description, quantity: i.quantity, unitPrice: money(i.unitPriceMinor, currency), discountPct: i.discountPct, taxPct: i.taxPct,
  gross: money(i.grossMinor, currency), discount: money(i.discountMinor, currency), net: money(i.netMinor, currency), tax: money(i.taxMinor, currency), total: money(i.totalMinor, currency),
});

const totalsJson = (p: Pick<Proposal, 'currency' | 'subtotalMinor' | 'discountMinor' | 'taxMinor' | 'totalMinor'>) => ({
  subtotal: money(p.subtotalMinor, p.currency), discount: money(p.discountMinor, p.currency), tax: money(p.taxMinor, p.currency), total: money(p.totalMinor, p.currency),
});

export const proposalJson = (p: Proposal) => ({
  id: p.id, leadId: p.leadId, lead: p.leadName, template: p.templateName, status: p.status, revision: p.revision, subject: p.subject, body: p.body,
  cc: p.cc, bcc: p.bcc, currency: p.currency, validUntil: p.validUntil, items: p.items.map((i) => itemJson(i, p.currency)), ...totalsJson(p),
  createdBy: p.createdBy, createdAt: p.createdAt, updatedAt: p.updatedAt, sentAt: p.sentAt, decidedAt: p.decidedAt,
});

export const revisionJson = (r: ProposalRevision) => ({
  revision: r.revision, subject: r.subject, currency: r.currency, validUntil: r.validUntil, items: r.items.map((i) => itemJson(i, r.currency)), ...totalsJson(r),
  createdBy: r.createdBy, createdAt: r.createdAt, sentAt: r.sentAt, approvedBy: r.approvedBy, approvedAt: r.approvedAt,
});

export const eventJson = (e: ProposalEvent) => ({ event: e.event, status: e.status, revision: e.revision, at: e.at, user: e.user, note: e.note });

export const templateJson = (t: ProposalTemplate) => ({
  id: t.id, name: t.name, subject: t.subject, body: t.body, cc: t.cc, bcc: t.bcc, attachments: t.attachments, createdBy: t.createdBy, createdAt: t.createdAt,
});

export const proposalColumns: Column<Proposal>[] = [
  { header: 'ID', cell: (p) => p.id },
  { header: 'LEAD', cell: (p) => `${p.leadId} ${p.leadName}` },
  { header: 'SUBJECT', cell: (p) => p.subject },
  { header: 'STATUS', cell: (p) => p.status },
  { header: 'REV', cell: (p) => p.revision },
  { header: 'TOTAL', cell: (p) => (p.items.length ? formatMoney(p.totalMinor, p.currency) : '') },
  { header: 'VALID UNTIL', cell: (p) => p.validUntil ?? '' },
  { header: 'SENT BY', cell: (p) => p.createdBy ?? '' },
  { header: 'SENT', cell: (p) => (p.sentAt ? p.sentAt.slice(0, 16).replace('T', ' ') : '') },
];

export const templateColumns: Column<ProposalTemplate>[] = [
  { header: 'ID', cell: (t) => t.id },
  { header: 'NAME', cell: (t) => t.name },
  { header: 'SUBJECT', cell: (t) => t.subject },
  { header: 'CC', cell: (t) => t.cc.join(',') },
  { header: 'ATTACHMENTS', cell: (t) => t.attachments.map((a) => a.filename).join(',') },
];

/** The items table of `proposal show` as text lines. */
export function itemLines(p: Pick<Proposal, 'items' | 'currency' | 'subtotalMinor' | 'discountMinor' | 'taxMinor' | 'totalMinor'>): string[] {
  if (!p.items.length) return [];
  const rows = [['DESCRIPTION', 'QTY', 'UNIT PRICE', 'DISC %', 'TAX %', 'AMOUNT'], ...p.items.map((i) => [i.description, i.quantity, minorToDecimal(i.unitPriceMinor, p.currency), i.discountPct, i.taxPct, minorToDecimal(i.grossMinor, p.currency)])];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const lines = rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd());
  const w = lines[0]!.length;
  const totals: [string, string][] = [
    ['Subtotal', formatMoney(p.subtotalMinor, p.currency)],
    ['Discount', `-${formatMoney(p.discountMinor, p.currency)}`],
    ['Tax', formatMoney(p.taxMinor, p.currency)],
    ['Total', formatMoney(p.totalMinor, p.currency)],
  ];
  const vw = Math.max(...totals.map(([, v]) => v.length));
  return [...lines, '', ...totals.map(([label, v]) => `${label.padStart(8)}  ${v.padStart(vw)}`.padStart(w))];
}

export const sentJson = (r: SendResult) => ({ ...proposalJson(r.proposal), outboxKey: r.outboxKey ?? null, movedTo: r.movedTo ?? null });

export function sentLine(r: SendResult): string {
  const p = r.proposal;
  const total = p.items.length ? `, ${formatMoney(p.totalMinor, p.currency)}` : '';
  const what = `Proposal ${p.id} (revision ${p.revision}${total}) to lead ${p.leadId} ${p.leadName}`;
  if (p.status === 'draft') return `${what}: saved as a draft (send it with crm proposal send ${p.id})`;
  if (p.status === 'pending-approval') return `${what}: waits for approval (crm proposal approve ${p.id}, by a manager or admin)`;
  return `${what}: queued for email${p.cc.length ? ` (cc ${p.cc.join(', ')})` : ''}${r.movedTo ? `; lead moved to ${r.movedTo}` : ''}`;
}

