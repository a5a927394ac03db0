/**
 * Orders and invoices (SPEC O1): draft orders with line items (free text, or from the product
 * catalogue), billed into invoices with a gap-free number, paid in one or more payments, or
 * rejected or cancelled; each step on the lead's timeline. Every function takes the acting user
 * and sees only the orders of leads that user may see (the portal will scope them by lead).
 */
import { ConflictError, NotFoundError, UsageError } from '../../errors.js';
import { formatMoney } from '../../io/format.js';
import type { Lead } from '../../domain/leads.js';
import { ORDER_STATUSES, UNPAID_STATUSES, type Order, type OrderItem, type OrderStatus, type Payment } from '../../domain/orders.js';
import type { Proposal } from '../../domain/proposals.js';
import type { PortalScope } from '../../domain/portal.js';
import { enqueueForEvent } from '../notify/enqueue.js';
import type { Store } from '../../store/types.js';
import { markProposal } from '../proposals/service.js';
import { seesAllLeads } from '../access.js';
import type { ServiceContext } from '../context.js';
import { getLead } from '../leads/service.js';
import { oneLine, parseDate } from '../leads/normalize.js';
import { ymd } from '../reports/period.js';
import { effectiveSetting, teamTimeZone } from '../settings/service.js';
import { orderLine, orderTotals, parseLineSpec, priceOf, taxByRate } from './money.js';
import { findProduct } from './products.js';

type Ctx = Pick<ServiceContext, 'store' | 'actor'>;

export async function orderSettings(store: Store) {
  const s = await store.settings.all();
  const get = (key: string) => effectiveSetting(s, {}, key);
  return {
    prefix: get('invoice.prefix'),
    counter: get('invoice.counter') as 'yearly' | 'continuous',
    dueDays: Number(get('invoice.due-days')),
    timeZone: teamTimeZone(s),
  };
}
type Settings = Awaited<ReturnType<typeof orderSettings>>;

/** The invoice number of the seq-th invoice of a counter scope. */
export function invoiceNumber(prefix: string, counter: 'yearly' | 'continuous', year: string, seq: number): string {
  return counter === 'yearly' ? `${prefix}${year}-${String(seq).padStart(4, '0')}` : `${prefix}${String(seq).padStart(6, '0')}`;
}

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

async function timeline(ctx: ServiceContext, o: Pick<Order, 'id' | 'leadId'>, event: string, body: string, extra: Record<string, unknown> = {}): Promise<void> {
  await ctx.store.activities.add({ leadId: o.leadId, type: 'order', at: ctx.now.toISOString(), userId: ctx.actor.id, body: `#${o.id} ${body}`, data: { orderId: o.id, event, ...extra } });
}

// ---- Lines ----

export interface LinesInput {
  /** Free-text lines: "DESCRIPTION; qty=2; price=19.99; discount=10; tax=23; inclusive". */
  items?: string[];
  /** Catalogue lines: "NAME" or "NAME; qty=2; discount=10" (price and tax from the product unless given). */
  products?: string[];
  /** Lines as a proposal's (from a proposal: tax exclusive). */
  fromItems?: OrderItem[];
}

async function linesOf(ctx: Ctx, input: LinesInput, currency: string): Promise<OrderItem[]> {
  const out: OrderItem[] = [...(input.fromItems ?? [])];
  for (const [i, raw] of (input.products ?? []).entries()) {
    const where = `product line ${i + 1}`;
    const spec = parseLineSpec(raw, where);
    const product = await findProduct(ctx, spec.description);
    if (!product.active) throw new ConflictError(`product '${product.name}' is no longer sold`, { id: 'product.list' });
    if (product.currency !== currency && spec.price === undefined) {
      throw new UsageError(`${where}: product '${product.name}' is priced in ${product.currency}, the order in ${currency}`, `give its price in ${currency}: "${product.name}; price=…"`);
    }
    out.push(orderLine({
      description: product.name, productId: product.id, quantity: spec.quantity ?? '1',
      unitPriceMinor: spec.price === undefined ? product.unitPriceMinor : priceOf(spec.price, currency, where),
      discountPct: spec.discount ?? '0', taxPct: spec.tax ?? product.taxPct, taxInclusive: spec.inclusive ?? product.taxInclusive,
    }, where));
  }
  for (const [i, raw] of (input.items ?? []).entries()) {
    const where = `item ${i + 1}`;
    const spec = parseLineSpec(raw, where);
    if (spec.price === undefined) throw new UsageError(`${where} ('${spec.description}') has no price`, { id: 'order.item' });
    out.push(orderLine({
      description: oneLine(spec.description), quantity: spec.quantity ?? '1', unitPriceMinor: priceOf(spec.price, currency, where),
      discountPct: spec.discount ?? '0', taxPct: spec.tax ?? '0', taxInclusive: spec.inclusive ?? false,
    }, where));
  }
  return out;
}

// ---- Orders ----

export interface OrderInput extends LinesInput {
  lead?: number;
  title?: string;
  proposalId?: number | null;
}

export async function getOrder(ctx: Ctx, id: number): Promise<{ order: Order; lead: Lead }> {
  const order = await ctx.store.orders.get(id);
  if (!order) throw new NotFoundError(`no order ${id}`, { id: 'order.list' });
  const lead = await getLead(ctx, order.leadId, { includeDeleted: true });
  return { order, lead };
}

/** An invoice by its number (any case) or by its order's id. */
export async function getInvoice(ctx: Ctx, ref: string): Promise<{ order: Order; lead: Lead }> {
  const raw = ref.trim();
  let order = await ctx.store.orders.byInvoiceNumber(raw);
  if (!order && raw.toUpperCase() !== raw) order = await ctx.store.orders.byInvoiceNumber(raw.toUpperCase());
  if (!order && /^\d+$/.test(raw)) order = await ctx.store.orders.get(Number(raw));
  if (!order) throw new NotFoundError(`no invoice '${raw}'`, { id: 'invoice.list' });
  const lead = await getLead(ctx, order.leadId, { includeDeleted: true });
  if (order.invoiceNumber === null) throw new ConflictError(`order ${order.id} is ${order.status}; it has no invoice`, order.status === 'draft' ? { id: 'order.bill', orderId: order.id } : undefined);
  return { order, lead };
}

/** crm order add: a draft order for a lead. */
export async function addOrder(ctx: ServiceContext, input: OrderInput): Promise<Order> {
  if (input.lead === undefined) throw new UsageError('an order needs a lead', { id: 'order.item' });
  const lead = await getLead(ctx, input.lead);
  const items = await linesOf(ctx, input, lead.currency);
  if (!items.length) throw new UsageError('an order needs at least one line', { id: 'order.item' });
  const title = oneLine(input.title ?? '') || (items.length === 1 ? items[0]!.description : `${items[0]!.description} and ${items.length - 1} more`);
  const totals = orderTotals(items);
  const at = ctx.now.toISOString();
  return ctx.store.transaction(async () => {
    const id = await ctx.store.orders.insert({ leadId: lead.id, proposalId: input.proposalId ?? null, title, currency: lead.currency, items, ...totals, createdBy: ctx.actor.id }, at);
    await timeline(ctx, { id, leadId: lead.id }, 'created', `created: ${title} (${items.length} line(s), ${formatMoney(totals.totalMinor, lead.currency)})`);
    return (await ctx.store.orders.get(id))!;
  });
}

export interface EditInput extends LinesInput {
  title?: string;
}

/** crm order edit: a draft's title, or all its lines (the lines given replace the old ones). */
export async function editOrder(ctx: ServiceContext, id: number, input: EditInput): Promise<Order> {
  const { order } = await getOrder(ctx, id);
  if (order.status !== 'draft') throw new ConflictError(`order ${id} is ${order.status}; only a draft can be changed`, { id: 'order.show', orderId: id });
  const newLines = (input.items?.length ?? 0) + (input.products?.length ?? 0) > 0;
  if (!newLines && input.title === undefined) throw new UsageError('nothing to change', { id: 'order.item' });
  const items = newLines ? await linesOf(ctx, input, order.currency) : order.items;
  const title = input.title === undefined ? order.title : oneLine(input.title);
  if (!title) throw new UsageError('the title is empty', 'give a title, or leave it out');
  const totals = orderTotals(items);
  return ctx.store.transaction(async () => {
    const cur = (await ctx.store.orders.get(id))!;
    if (cur.status !== 'draft') throw new ConflictError(`order ${id} is ${cur.status}; only a draft can be changed`, { id: 'order.show', orderId: id });
    await ctx.store.orders.updateContent(id, { title, items, ...totals }, ctx.now.toISOString());
    await timeline(ctx, order, 'edited', `edited: ${title} (${items.length} line(s), ${formatMoney(totals.totalMinor, order.currency)})`);
    return (await ctx.store.orders.get(id))!;
  });
}

export function parseOrderStatuses(raw: string | undefined): OrderStatus[] | undefined {
  if (raw === undefined) return undefined;
  const list = raw.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  for (const s of list) if (!(ORDER_STATUSES as readonly string[]).includes(s)) throw new UsageError(`unknown order status '${s}'`, `statuses are: ${ORDER_STATUSES.join(', ')}`);
  return list as OrderStatus[];
}

export interface OrderFilter {
  status?: string;
  lead?: number;
  invoiced?: boolean;
  limit?: number;
}

export async function listOrders(ctx: Ctx, f: OrderFilter): Promise<Order[]> {
  if (f.lead !== undefined) await getLead(ctx, f.lead, { includeDeleted: true });
  return ctx.store.orders.list({ statuses: parseOrderStatuses(f.status), leadId: f.lead, invoiced: f.invoiced, visibleTo: seesAllLeads(ctx.actor) ? undefined : ctx.actor.id, limit: f.limit });
}

export interface OrderView {
  order: Order;
  lead: Lead;
  payments: Payment[];
  balanceMinor: number;
  taxes: ReturnType<typeof taxByRate>;
}

export async function showOrder(ctx: Ctx, id: number): Promise<OrderView> {
  const { order, lead } = await getOrder(ctx, id);
  return view(ctx, order, lead);
}

export async function showInvoice(ctx: Ctx, ref: string): Promise<OrderView> {
  const { order, lead } = await getInvoice(ctx, ref);
  return view(ctx, order, lead);
}

async function view(ctx: Ctx, order: Order, lead: Lead): Promise<OrderView> {
  return { order, lead, payments: await ctx.store.orders.payments(order.id), balanceMinor: balanceOf(order), taxes: taxByRate(order.items) };
}

export const balanceOf = (o: Pick<Order, 'status' | 'totalMinor' | 'paidMinor'>) => (UNPAID_STATUSES.includes(o.status) || o.status === 'paid' ? o.totalMinor - o.paidMinor : 0);

/**
 * crm order bill: the draft becomes an invoice. Its number is the next of the counter (the
 * billing year's, or the continuous one) taken in the same write transaction that stores it: no
 * gap (a failed bill rolls the counter back), never reused, one at a time across processes.
 */
export async function billOrder(ctx: ServiceContext, id: number, opts: { dueOn?: string } = {}): Promise<Order> {
  const settings = await orderSettings(ctx.store);
  const today = ymd(ctx.now, settings.timeZone);
  const dueOn = opts.dueOn === undefined ? addDays(today, settings.dueDays) : parseDate(opts.dueOn, 'due day');
  if (dueOn < today) throw new UsageError(`the due day ${dueOn} is before the billing day ${today}`, 'give today or a later day');
  await getOrder(ctx, id);
  return ctx.store.transaction(async () => {
    const { order } = await getOrder(ctx, id);
    if (order.status !== 'draft') throw new ConflictError(`order ${id} is ${order.status}${order.invoiceNumber ? ` (invoice ${order.invoiceNumber})` : ''}; only a draft can be billed`, { id: 'order.show', orderId: id });
    if (!order.items.length) throw new ConflictError(`order ${id} has no lines`, { id: 'order.item' });
    const year = today.slice(0, 4);
    const seq = await ctx.store.orders.nextInvoiceSeq(settings.counter === 'yearly' ? year : 'all');
    const number = invoiceNumber(settings.prefix, settings.counter, year, seq);
    const at = ctx.now.toISOString();
    const status: OrderStatus = order.totalMinor === 0 ? 'paid' : 'billed';
    await ctx.store.orders.update(id, { status, invoiceNumber: number, billedAt: at, dueOn, closedAt: status === 'paid' ? at : undefined }, at);
    await timeline(ctx, order, 'billed', `billed: invoice ${number}, ${formatMoney(order.totalMinor, order.currency)}, due ${dueOn}`, { invoice: number });
    return (await ctx.store.orders.get(id))!;
  });
}

/** crm order cancel: a draft or an unpaid invoice is cancelled (or, with rejected, the customer refused it). */
export async function cancelOrder(ctx: ServiceContext, id: number, opts: { rejected?: boolean; reason?: string } = {}): Promise<Order> {
  await getOrder(ctx, id);
  return ctx.store.transaction(async () => {
    const { order } = await getOrder(ctx, id);
    const to: OrderStatus = opts.rejected ? 'rejected' : 'cancelled';
    if (order.status === 'cancelled' || order.status === 'rejected' || order.status === 'paid') {
      throw new ConflictError(`order ${id} is already ${order.status}; it cannot be ${to}`, { id: 'order.show', orderId: id });
    }
    if (order.paidMinor > 0) {
      throw new ConflictError(`invoice ${order.invoiceNumber} has payments (${formatMoney(order.paidMinor, order.currency)}); it cannot be ${to}`, { id: 'invoice.show', invoice: order.invoiceNumber! });
    }
    const at = ctx.now.toISOString();
    await ctx.store.orders.update(id, { status: to, closedAt: at }, at);
    const reason = opts.reason?.trim();
    await timeline(ctx, order, to, `${to}${order.invoiceNumber ? ` (invoice ${order.invoiceNumber})` : ''}${reason ? ` — ${reason}` : ''}`);
    return (await ctx.store.orders.get(id))!;
  });
}

export interface PayInput {
  /** Decimal in the invoice's currency; default: the whole balance. */
  amount?: string;
  /** YYYY-MM-DD; default today. */
  date?: string;
  method?: string;
  note?: string;
}

/** crm invoice pay: records a payment; the invoice becomes partially-paid or paid. More than the balance is refused. */
export async function payInvoice(ctx: ServiceContext, ref: string, input: PayInput): Promise<{ order: Order; payment: Payment }> {
  const settings = await orderSettings(ctx.store);
  const today = ymd(ctx.now, settings.timeZone);
  const first = await getInvoice(ctx, ref);
  const paidOn = input.date === undefined ? today : parseDate(input.date, 'payment date');
  if (paidOn > today) throw new UsageError(`the payment date ${paidOn} is in the future (today is ${today})`, 'record a payment once it is made');
  const method = oneLine(input.method ?? '') || 'bank transfer';
  const amount = input.amount === undefined ? undefined : priceOf(input.amount, first.order.currency, 'payment');
  if (amount === 0) throw new UsageError('a payment of 0 records nothing', 'give the amount paid');
  return ctx.store.transaction(async () => {
    const { order } = await getInvoice(ctx, ref);
    if (!UNPAID_STATUSES.includes(order.status)) throw new ConflictError(`invoice ${order.invoiceNumber} is ${order.status}; it takes no payment`, { id: 'invoice.show', invoice: order.invoiceNumber! });
    const balance = order.totalMinor - order.paidMinor;
    const paid = amount ?? balance;
    if (paid > balance) {
      throw new ConflictError(`${formatMoney(paid, order.currency)} is more than the balance of invoice ${order.invoiceNumber} (${formatMoney(balance, order.currency)})`, 'record at most the balance');
    }
    const at = ctx.now.toISOString();
    const pid = await ctx.store.orders.addPayment({ orderId: order.id, paidOn, amountMinor: paid, method, note: input.note?.trim() || null, createdBy: ctx.actor.id, createdAt: at });
    const paidMinor = order.paidMinor + paid;
    const status: OrderStatus = paidMinor === order.totalMinor ? 'paid' : 'partially-paid';
    await ctx.store.orders.update(order.id, { paidMinor, status, closedAt: status === 'paid' ? at : undefined }, at);
    await timeline(ctx, order, 'paid', `payment of ${formatMoney(paid, order.currency)} on ${paidOn} by ${method} for invoice ${order.invoiceNumber} (${status === 'paid' ? 'paid in full' : `${formatMoney(order.totalMinor - paidMinor, order.currency)} still due`})`, { invoice: order.invoiceNumber, amountMinor: paid });
    const payment = (await ctx.store.orders.payments(order.id)).find((p) => p.id === pid)!;
    return { order: (await ctx.store.orders.get(order.id))!, payment };
  });
}

/**
 * crm proposal mark ID accepted --order: marks the proposal accepted and makes a draft order of
 * its current revision's lines (tax exclusive, as proposals are), in one transaction: if either
 * fails, neither is stored.
 */
export async function acceptProposalAsOrder(ctx: ServiceContext, proposalId: number, note?: string): Promise<{ proposal: Proposal; order: Order }> {
  return ctx.store.transaction(async () => {
    const before = await ctx.store.proposals.get(proposalId);
    if (before && before.items.length === 0) throw new ConflictError(`proposal ${proposalId} has no line items to order`, { id: 'order.add', leadId: before.leadId });
    const proposal = await markProposal(ctx, proposalId, 'accepted', note);
    const fromItems: OrderItem[] = proposal.items.map((i) => ({ ...i, productId: null, taxInclusive: false }));
    const order = await addOrder(ctx, { lead: proposal.leadId, title: proposal.subject, proposalId: proposal.id, fromItems });
    return { proposal, order };
  });
}

// ---- The customer portal (W1): a contact sees their own company's orders only ----
// Every function takes the session's PortalScope and checks each record against its lead: another
// company's order or invoice is "not found", never "forbidden", so that ids reveal nothing.

/** The most orders a portal list shows (newest first). */
export const PORTAL_LIST_LIMIT = 100;

/** The scope's lead's orders (invoiced: only invoices), newest first. */
export async function portalOrders(store: Store, scope: PortalScope, opts: { invoiced?: boolean; limit?: number } = {}): Promise<Order[]> {
  return store.orders.list({ leadId: scope.leadId, invoiced: opts.invoiced, limit: opts.limit ?? PORTAL_LIST_LIMIT });
}

/** One order of the scope's lead, with its payments and balance. */
export async function portalOrder(store: Store, scope: PortalScope, id: number): Promise<Omit<OrderView, 'lead'>> {
  const order = await store.orders.get(id);
  if (!order || order.leadId !== scope.leadId) throw new NotFoundError(`no order ${id}`);
  return { order, payments: await store.orders.payments(id), balanceMinor: balanceOf(order), taxes: taxByRate(order.items) };
}

/** One invoice of the scope's lead, by its number. */
export async function portalInvoice(store: Store, scope: PortalScope, number: string): Promise<Omit<OrderView, 'lead'>> {
  const order = await store.orders.byInvoiceNumber(number.trim());
  if (!order || order.leadId !== scope.leadId) throw new NotFoundError(`no invoice '${number}'`);
  return { order, payments: await store.orders.payments(order.id), balanceMinor: balanceOf(order), taxes: taxByRate(order.items) };
}

export interface LedgerEntry {
  /** YYYY-MM-DD. */
  day: string;
  kind: 'invoice' | 'payment';
  invoiceNumber: string;
  orderId: number;
  currency: string;
  /** Invoiced (positive) or paid (negative). */
  amountMinor: number;
  method: string | null;
}

export interface Ledger {
  entries: LedgerEntry[];
  /** What is still due, per currency, where something is (cancelled and rejected invoices count nothing). */
  balances: { currency: string; balanceMinor: number }[];
}

/** The scope's lead's invoices and payments, oldest first, and the balance per currency. */
export async function portalLedger(store: Store, scope: PortalScope): Promise<Ledger> {
  const invoices = await store.orders.list({ leadId: scope.leadId, invoiced: true });
  const byId = new Map(invoices.map((o) => [o.id, o]));
  const entries: LedgerEntry[] = invoices
    .filter((o) => o.status !== 'cancelled' && o.status !== 'rejected')
    .map((o) => ({ day: o.billedAt!.slice(0, 10), kind: 'invoice' as const, invoiceNumber: o.invoiceNumber!, orderId: o.id, currency: o.currency, amountMinor: o.totalMinor, method: null }));
  for (const p of await store.orders.paymentsOfLead(scope.leadId)) {
    const o = byId.get(p.orderId);
    if (o) entries.push({ day: p.paidOn, kind: 'payment', invoiceNumber: o.invoiceNumber!, orderId: o.id, currency: o.currency, amountMinor: -p.amountMinor, method: p.method });
  }
  entries.sort((a, b) => a.day.localeCompare(b.day) || (a.kind === b.kind ? a.orderId - b.orderId : a.kind === 'invoice' ? -1 : 1));
  return { entries, balances: await store.orders.balancesOfLead(scope.leadId) };
}

/** What the scope's lead still owes, per currency (none: []): the portal's home page, one aggregate. */
export async function portalBalances(store: Store, scope: PortalScope): Promise<Ledger['balances']> {
  return store.orders.balancesOfLead(scope.leadId);
}

export interface OrderRequestInput {
  /** Catalogue lines: a product id and a quantity ("2", "2.5"); empty quantities are skipped. */
  lines: { productId: number; quantity: string }[];
  /** Anything else the customer wants; alone (no product line), it becomes the order's one line, unpriced. */
  note?: string;
}

/**
 * A customer's order request in the portal: a draft order on their company (titled with
 * portal.order-request-prefix), priced from the catalogue, for the rep to review, edit and bill;
 * on the timeline, and the lead's reps told through the outbox.
 */
export async function requestOrder(ctx: Pick<ServiceContext, 'store' | 'now'>, scope: PortalScope, input: OrderRequestInput): Promise<Order> {
  const { store, now } = ctx;
  const lead = await store.leads.get(scope.leadId);
  if (!lead || lead.deletedAt) throw new NotFoundError(`no customer ${scope.leadId}`);
  const note = (input.note ?? '').replace(/\r\n/g, '\n').trim().slice(0, 4000);
  const items: OrderItem[] = [];
  for (const [i, l] of input.lines.entries()) {
    if (!l.quantity.trim()) continue;
    const where = `line ${i + 1}`;
    const product = await store.products.get(l.productId);
    if (!product || !product.active || product.currency !== lead.currency) throw new UsageError(`${where}: that product cannot be ordered here`, 'pick one from the list');
    items.push(orderLine({ description: product.name, productId: product.id, quantity: l.quantity.trim(), unitPriceMinor: product.unitPriceMinor, discountPct: '0', taxPct: product.taxPct, taxInclusive: product.taxInclusive }, where));
  }
  if (!items.length) {
    if (!note) throw new UsageError('the request is empty', 'give a quantity for a product, or describe what you need');
    items.push(orderLine({ description: oneLine(note).slice(0, 200), productId: null, quantity: '1', unitPriceMinor: 0, discountPct: '0', taxPct: '0', taxInclusive: false }, 'the request'));
  }
  const prefix = effectiveSetting(await store.settings.all(), {}, 'portal.order-request-prefix');
  const summary = items.length === 1 ? items[0]!.description : `${items[0]!.description} and ${items.length - 1} more`;
  const title = `${prefix}${summary}`.slice(0, 200);
  const totals = orderTotals(items);
  const at = now.toISOString();
  const by = `${scope.name} <${scope.email}>`;
  return store.transaction(async () => {
    const id = await store.orders.insert({ leadId: lead.id, proposalId: null, title, currency: lead.currency, items, ...totals, createdBy: null }, at);
    await store.activities.add({
      leadId: lead.id, type: 'order', at, userId: null, body: `#${id} requested in the portal by ${by}: ${title} (${items.length} line(s), ${formatMoney(totals.totalMinor, lead.currency)})${note ? ` — ${note}` : ''}`,
      data: { orderId: id, event: 'requested', by: 'customer' },
    });
    await enqueueForEvent(store, {
      type: 'portal.order-request', leadId: lead.id, at, key: `order${id}/requested`,
      vars: { order_id: String(id), title, by, note, lines: items.map((i) => `- ${i.quantity} × ${i.description}${i.unitPriceMinor ? ` (${formatMoney(i.totalMinor, lead.currency)})` : ''}`).join('\n') },
    });
    return (await store.orders.get(id))!;
  });
}
