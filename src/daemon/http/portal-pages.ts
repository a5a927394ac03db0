/**
 * The customer portal's pages (W1): plain server-rendered HTML, one small stylesheet, no script.
 * Accessible: one h1 a page, landmarks (header, nav, main), every field labelled, tables with
 * captions and header cells, status messages announced; usable on a phone (one column, a
 * viewport, large touch targets). Every value is escaped here; every form carries the CSRF token.
 */
import { escapeHtml as esc } from '../../io/html.js';
import { formatMoney } from '../../io/format.js';
import type { Order, OrderItem, Payment, Product } from '../../domain/orders.js';
import type { PortalScope, PortalSection } from '../../domain/portal.js';
import type { Proposal } from '../../domain/proposals.js';
import { ticketRef, type Ticket, type TicketMessage } from '../../domain/tickets.js';
import type { Ledger } from '../../services/orders/service.js';
import type { HttpReply } from './types.js';

export const STYLESHEET = `
*{box-sizing:border-box}
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1b1f24;background:#f6f7f9}
a{color:#0b57d0}
a:focus,button:focus,input:focus,select:focus,textarea:focus{outline:3px solid #f4b400;outline-offset:2px}
header{background:#1b2a41;color:#fff;padding:.75rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;justify-content:space-between}
header a{color:#fff}
header form{margin:0}
nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}
nav a{display:inline-block;padding:.4rem 0}
nav a[aria-current=page]{font-weight:700;text-decoration:none;border-bottom:3px solid #f4b400}
main{max-width:60rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;margin:.5rem 0 1rem}
h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
.card{background:#fff;border:1px solid #d8dde3;border-radius:6px;padding:1rem;margin:0 0 1rem}
.card>h2:first-child{margin-top:0}
.table{overflow-x:auto}
table{border-collapse:collapse;width:100%;background:#fff}
caption{text-align:left;font-weight:600;padding:.25rem 0}
th,td{border-bottom:1px solid #e3e7eb;padding:.5rem;text-align:left;vertical-align:top}
td.num,th.num{text-align:right;white-space:nowrap}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}
input,select,textarea{display:block;font:inherit;width:100%;max-width:36rem;padding:.5rem;border:1px solid #8a949e;border-radius:4px;background:#fff}
textarea{min-height:6rem}
button{font:inherit;padding:.6rem 1.1rem;border-radius:4px;border:1px solid #0b57d0;background:#0b57d0;color:#fff;cursor:pointer;min-height:44px;margin-top:.75rem}
button.secondary{background:#fff;color:#0b57d0}
button.danger{background:#b3261e;border-color:#b3261e}
header button{margin:0;min-height:36px;padding:.3rem .8rem;background:transparent;border-color:#fff}
.status{background:#e6f4ea;border:1px solid #34a853;padding:.75rem;border-radius:4px}
.error{background:#fce8e6;border:1px solid #d93025;padding:.75rem;border-radius:4px}
.muted{color:#5f6b76}
.big{font-size:1.6rem;font-weight:700}
.msg{border-left:4px solid #8a949e;padding:.25rem .75rem;margin:.75rem 0;background:#fff}
.msg.out{border-color:#0b57d0}
.msg pre,.body{white-space:pre-wrap;font:inherit;margin:.25rem 0}
header .who{color:#dfe6ee;margin-right:.5rem}
.totals dt{display:inline;font-weight:600}
.totals dd{display:inline;margin:0}
.skip{position:absolute;left:-999px;top:0;background:#fff;color:#0b57d0;padding:.5rem 1rem;z-index:1}
.skip:focus{left:0}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
@media (max-width:40rem){main{padding:.75rem}th,td{padding:.4rem}}
`;

const SECTION_TITLES: Record<PortalSection, string> = {
  orders: 'Orders', invoices: 'Invoices', ledger: 'Ledger', proposals: 'Proposals', tickets: 'Support', 'order-request': 'Request an order',
};

export interface Frame {
  scope?: PortalScope;
  company?: string;
  csrf?: string;
  sections?: PortalSection[];
  /** The section whose link is the current page. */
  current?: PortalSection | 'home';
  /** A status line at the top of main (after a form). */
  notice?: string;
  error?: string;
}

export function html(status: number, title: string, body: string, f: Frame = {}, headers: Record<string, string> = {}): HttpReply {
  const nav = f.scope
    ? `<nav aria-label="Portal"><ul><li><a href="/portal/"${f.current === 'home' ? ' aria-current="page"' : ''}>Home</a></li>${(f.sections ?? [])
      .map((s) => `<li><a href="/portal/${s}"${f.current === s ? ' aria-current="page"' : ''}>${SECTION_TITLES[s]}</a></li>`).join('')}</ul></nav>`
    : '';
  const who = f.scope
    ? `<form method="post" action="/portal/logout"><input type="hidden" name="csrf" value="${esc(f.csrf ?? '')}"><span class="who">${esc(f.scope.name)} · ${esc(f.company ?? '')}</span> <button type="submit">Sign out</button></form>`
    : '';
  return {
    status,
    type: 'text/html; charset=utf-8',
    headers: {
      'cache-control': 'no-store', 'x-robots-tag': 'noindex', 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY', 'referrer-policy': 'no-referrer',
      'content-security-policy': "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
      ...headers,
    },
    body: `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
      `<title>${esc(title)} · Customer portal</title><link rel="stylesheet" href="/portal/style.css"></head>\n<body>\n` +
      `<a class="skip" href="#main">Skip to the content</a>\n<header><a href="/portal/"><strong>Customer portal</strong></a>${nav}${who}</header>\n<main id="main">\n<h1>${esc(title)}</h1>\n` +
      `${f.notice ? `<p class="status" role="status">${esc(f.notice)}</p>\n` : ''}${f.error ? `<p class="error" role="alert">${esc(f.error)}</p>\n` : ''}${body}\n</main>\n</body></html>\n`,
  };
}

const money = (minor: number, currency: string) => esc(formatMoney(minor, currency));
const day = (iso: string | null) => (iso ? esc(iso.slice(0, 10)) : '');
const csrfField = (csrf: string) => `<input type="hidden" name="csrf" value="${esc(csrf)}">`;
export const invoiceHref = (number: string) => `/portal/invoices/${encodeURIComponent(number)}`;

function table(caption: string, head: string[], rows: string[][], numeric: number[] = []): string {
  if (!rows.length) return `<p class="muted">No ${esc(caption.toLowerCase())} yet.</p>`;
  const cell = (i: number) => (numeric.includes(i) ? ' class="num"' : '');
  return `<div class="table"><table><caption>${esc(caption)}</caption><thead><tr>${head.map((h, i) => `<th scope="col"${cell(i)}>${esc(h)}</th>`).join('')}</tr></thead>` +
    `<tbody>${rows.map((r) => `<tr>${r.map((c, i) => `<td${cell(i)}>${c}</td>`).join('')}</tr>`).join('')}</tbody></table></div>`;
}

// ---- Sign-in ----

export function loginPage(csrf: string, sent: boolean): string {
  if (sent) {
    return '<p class="status" role="status">If that address belongs to one of our customers\' contacts, a sign-in link is on its way. It works once and for a short time.</p>' +
      '<p><a href="/portal/login">Ask for another link</a></p>';
  }
  return `<div class="card"><p>Type the email address we know you by. We will email you a link to sign in.</p>
<form method="post" action="/portal/login">${csrfField(csrf)}
<label for="email">Email address</label><input id="email" name="email" type="email" autocomplete="email" required>
<button type="submit">Email me a sign-in link</button></form></div>`;
}

export function signInPage(csrf: string): string {
  return `<div class="card"><p>Sign in to see your orders, invoices and proposals.</p>
<form method="post">${csrfField(csrf)}<button type="submit">Sign in</button></form></div>`;
}

export const LINK_INVALID = '<p>This sign-in link is not valid any more: it was used, it expired, or it is incomplete.</p><p><a href="/portal/login">Ask for a new link</a></p>';

// ---- Pages ----

export function homePage(company: string, balances: Ledger['balances'], counts: { openTickets: number; openProposals: number }, sections: PortalSection[]): string {
  const due = balances.filter((b) => b.balanceMinor !== 0);
  const bal = due.length ? due.map((b) => `<span class="big">${money(b.balanceMinor, b.currency)}</span>`).join('<br>') : '<span class="big">Nothing due</span>';
  const links: string[] = [];
  if (sections.includes('orders')) links.push('<li><a href="/portal/orders">Orders</a></li>');
  if (sections.includes('invoices')) links.push('<li><a href="/portal/invoices">Invoices</a></li>');
  if (sections.includes('ledger')) links.push('<li><a href="/portal/ledger">Ledger</a></li>');
  if (sections.includes('proposals')) links.push(`<li><a href="/portal/proposals">Proposals</a>${counts.openProposals ? ` (${counts.openProposals} waiting for your answer)` : ''}</li>`);
  if (sections.includes('tickets')) links.push(`<li><a href="/portal/tickets">Support</a>${counts.openTickets ? ` (${counts.openTickets} open)` : ''}</li>`);
  if (sections.includes('order-request')) links.push('<li><a href="/portal/order-request">Request an order</a></li>');
  return `<section class="card" aria-labelledby="bal"><h2 id="bal">Balance</h2>${bal}</section>
<section aria-labelledby="go"><h2 id="go">${esc(company)}</h2><ul>${links.join('')}</ul></section>`;
}

const orderStatus = (o: Order) => esc(o.status.replace('-', ' '));

export function ordersPage(orders: Order[], limit: number): string {
  const rows = orders.map((o) => [`<a href="/portal/orders/${o.id}">#${o.id}</a>`, esc(o.title), orderStatus(o), day(o.createdAt), money(o.totalMinor, o.currency),
    o.invoiceNumber ? `<a href="${invoiceHref(o.invoiceNumber)}">${esc(o.invoiceNumber)}</a>` : '']);
  return table('Your orders', ['Order', 'Title', 'Status', 'Date', 'Total', 'Invoice'], rows, [4]) +
    (orders.length >= limit ? `<p class="muted">The latest ${limit} orders are shown.</p>` : '');
}

function lines(items: OrderItem[], currency: string): string {
  return table('Lines', ['Description', 'Quantity', 'Unit price', 'Discount', 'Tax', 'Total'], items.map((i) => [
    esc(i.description), esc(i.quantity), money(i.unitPriceMinor, currency), i.discountMinor ? money(i.discountMinor, currency) : '', `${esc(i.taxPct)}%${i.taxInclusive ? ' incl.' : ''}`, money(i.totalMinor, currency),
  ]), [1, 2, 3, 5]);
}

function totals(o: Pick<Order, 'subtotalMinor' | 'discountMinor' | 'taxMinor' | 'totalMinor' | 'currency'>, extra: [string, string][] = []): string {
  const rows: [string, string][] = [['Subtotal', money(o.subtotalMinor, o.currency)], ...(o.discountMinor ? [['Discount', `−${money(o.discountMinor, o.currency)}`] as [string, string]] : []),
    ['Tax', money(o.taxMinor, o.currency)], ['Total', `<strong>${money(o.totalMinor, o.currency)}</strong>`], ...extra];
  return `<dl class="card totals">${rows.map(([k, v]) => `<div><dt>${k}:</dt> <dd>${v}</dd></div>`).join('')}</dl>`;
}

function payments(ps: Payment[], currency: string): string {
  return ps.length ? `<h2>Payments</h2>${table('Payments received', ['Day', 'Method', 'Amount'], ps.map((p) => [esc(p.paidOn), esc(p.method), money(p.amountMinor, currency)]), [2])}` : '';
}

export function orderPage(v: { order: Order; payments: Payment[]; balanceMinor: number }, invoiceSection: boolean): string {
  const o = v.order;
  const inv = o.invoiceNumber && invoiceSection ? `<p>Invoice: <a href="${invoiceHref(o.invoiceNumber)}">${esc(o.invoiceNumber)}</a></p>` : '';
  return `<p>Status: <strong>${orderStatus(o)}</strong> · ordered ${day(o.createdAt)}</p>${inv}${lines(o.items, o.currency)}${totals(o)}${payments(v.payments, o.currency)}`;
}

export function invoicesPage(invoices: Order[]): string {
  return table('Your invoices', ['Invoice', 'Billed', 'Due', 'Total', 'Paid', 'Status'], invoices.map((o) => [
    `<a href="${invoiceHref(o.invoiceNumber!)}">${esc(o.invoiceNumber!)}</a>`, day(o.billedAt), day(o.dueOn), money(o.totalMinor, o.currency), money(o.paidMinor, o.currency), orderStatus(o),
  ]), [3, 4]);
}

export function invoicePage(v: { order: Order; payments: Payment[]; balanceMinor: number }, pdf: boolean): string {
  const o = v.order;
  const download = pdf ? `<p><a href="${invoiceHref(o.invoiceNumber!)}.pdf" download>Download the invoice (PDF)</a></p>` : '';
  return `<p>Status: <strong>${orderStatus(o)}</strong> · billed ${day(o.billedAt)} · due ${day(o.dueOn)} · order <a href="/portal/orders/${o.id}">#${o.id}</a></p>${download}` +
    `${lines(o.items, o.currency)}${totals(o, [['Paid', money(o.paidMinor, o.currency)], ['Still due', `<strong>${money(v.balanceMinor, o.currency)}</strong>`]])}${payments(v.payments, o.currency)}`;
}

export function ledgerPage(l: Ledger): string {
  const running = new Map<string, number>();
  const rows = l.entries.map((e) => {
    const b = (running.get(e.currency) ?? 0) + e.amountMinor;
    running.set(e.currency, b);
    return [esc(e.day), e.kind === 'invoice' ? `Invoice <a href="${invoiceHref(e.invoiceNumber)}">${esc(e.invoiceNumber)}</a>` : `Payment (${esc(e.method ?? '')}) for ${esc(e.invoiceNumber)}`,
      money(e.amountMinor, e.currency), money(b, e.currency)];
  });
  const bal = l.balances.length ? l.balances.map((b) => `<span class="big">${money(b.balanceMinor, b.currency)}</span>`).join('<br>') : '<span class="big">Nothing due</span>';
  return `<section class="card" aria-labelledby="bal"><h2 id="bal">Balance</h2>${bal}</section>${table('Invoices and payments', ['Day', 'Entry', 'Amount', 'Balance'], rows, [2, 3])}`;
}

export function proposalsPage(ps: Proposal[]): string {
  return table('Your proposals', ['Proposal', 'Subject', 'Status', 'Valid until', 'Total'], ps.map((p) => [
    `<a href="/portal/proposals/${p.id}">#${p.id}</a>`, esc(p.subject), esc(p.status), esc(p.validUntil ?? ''), p.items.length ? money(p.totalMinor, p.currency) : '',
  ]), [4]);
}

export function proposalPage(p: Proposal, csrf: string, today: string): string {
  const open = (p.status === 'sent' || p.status === 'viewed') && (p.validUntil === null || p.validUntil >= today);
  const items = p.items.length
    ? table('Items', ['Description', 'Quantity', 'Unit price', 'Total'], p.items.map((i) => [esc(i.description), esc(i.quantity), money(i.unitPriceMinor, p.currency), money(i.totalMinor, p.currency)]), [1, 2, 3]) +
      `<p>Total: <strong>${money(p.totalMinor, p.currency)}</strong></p>`
    : '';
  const decide = open
    ? `<section class="card" aria-labelledby="answer"><h2 id="answer">Your answer</h2>
<form method="post" action="/portal/proposals/${p.id}/decision">${csrfField(csrf)}
<label for="reason">Comment or reason (needed to decline)</label><textarea id="reason" name="reason" maxlength="1000"></textarea>
<button type="submit" name="decision" value="accepted">Accept this proposal</button>
<button type="submit" name="decision" value="rejected" class="danger">Decline</button></form></section>`
    : `<p>Status: <strong>${esc(p.status)}</strong>${p.decidedAt ? ` on ${day(p.decidedAt)}` : ''}</p>`;
  return `<p class="muted">Revision ${p.revision} · sent ${day(p.sentAt)}${p.validUntil ? ` · valid until ${esc(p.validUntil)}` : ''}</p>
<div class="card"><p class="body">${esc(p.body)}</p></div>${items}${decide}`;
}

export function ticketsPage(ts: Ticket[]): string {
  return `<p><a href="/portal/tickets/new">Open a new ticket</a></p>` + table('Your tickets', ['Ticket', 'Subject', 'Status', 'Opened', 'Updated'], ts.map((t) => [
    `<a href="/portal/tickets/${t.id}">${esc(ticketRef(t.id))}</a>`, esc(t.subject), esc(t.status.replace('-', ' ')), day(t.createdAt), day(t.updatedAt),
  ]));
}

export function newTicketPage(csrf: string): string {
  return `<form method="post" action="/portal/tickets" class="card">${csrfField(csrf)}
<label for="subject">Subject</label><input id="subject" name="subject" required maxlength="200">
<label for="body">What happened?</label><textarea id="body" name="body" required></textarea>
<button type="submit">Open the ticket</button></form>`;
}

export function ticketPage(t: Ticket, messages: TicketMessage[], csrf: string): string {
  const list = messages.map((m) => `<article class="msg ${m.direction}" aria-label="${m.direction === 'out' ? 'Answer from the support team' : 'Message from you'}"><p class="muted">${m.direction === 'out' ? 'Support team' : esc(m.fromAddress ?? 'You')} · ${esc(m.at.slice(0, 16).replace('T', ' '))} UTC</p><pre>${esc(m.body)}</pre></article>`).join('');
  return `<p>Status: <strong>${esc(t.status.replace('-', ' '))}</strong> · ${esc(ticketRef(t.id))}</p><section aria-labelledby="thread"><h2 id="thread">Messages</h2>${list || '<p class="muted">No messages yet.</p>'}</section>
<section aria-labelledby="reply"><h2 id="reply">Reply</h2><form method="post" action="/portal/tickets/${t.id}/reply">${csrfField(csrf)}
<label for="body">Your reply</label><textarea id="body" name="body" required></textarea><button type="submit">Send the reply</button></form></section>`;
}

export function orderRequestPage(products: Product[], csrf: string, rows = 3): string {
  const options = products.map((p) => `<option value="${p.id}">${esc(p.name)} — ${money(p.unitPriceMinor, p.currency)}</option>`).join('');
  const lines = products.length
    ? Array.from({ length: rows }, (_, i) => `<fieldset class="card"><legend>Line ${i + 1}</legend>
<label for="product${i}">Product</label><select id="product${i}" name="product${i}"><option value="">—</option>${options}</select>
<label for="qty${i}">Quantity</label><input id="qty${i}" name="qty${i}" inputmode="decimal" pattern="[0-9]+([.,][0-9]+)?"></fieldset>`).join('')
    : '';
  return `<p>Tell us what you need: we prepare the order and confirm it with you.</p><form method="post" action="/portal/order-request">${csrfField(csrf)}${lines}
<label for="note">${products.length ? 'Anything else' : 'What would you like to order?'}</label><textarea id="note" name="note"${products.length ? '' : ' required'}></textarea>
<button type="submit">Send the request</button></form>`;
}
