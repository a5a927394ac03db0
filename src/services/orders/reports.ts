/**
 * Money reports on invoices (O1): revenue by month, user or product; unpaid invoices; ageing of
 * what is still due (not yet due, 1–30, 31–60, 61–90, over 90 days past the due day). Amounts are
 * per currency (Money lists). A rep sees the invoices of their own leads.
 */
import type { Order } from '../../domain/orders.js';
import { UNPAID_STATUSES } from '../../domain/orders.js';
import { UsageError } from '../../errors.js';
import type { Money } from '../../io/table-formats.js';
import { seesAllLeads } from '../access.js';
import type { ServiceContext } from '../context.js';
import type { Period } from '../reports/period.js';
import { ymd } from '../reports/period.js';
import type { Report } from '../reports/reports.js';

function add(list: Money[], currency: string, amountMinor: number): void {
  const m = list.find((x) => x.currency === currency);
  if (m) m.amountMinor += amountMinor;
  else list.push({ currency, amountMinor });
}

async function invoices(ctx: ServiceContext): Promise<Order[]> {
  return ctx.store.orders.list({ invoiced: true, visibleTo: seesAllLeads(ctx.actor) ? undefined : ctx.actor.id });
}

const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/** Invoiced revenue: billed invoices (not cancelled or rejected), by billing month, the user who took the order, or product (line). */
export async function revenueReport(ctx: ServiceContext, byRaw: string | undefined, period: Period | undefined, timeZone: string): Promise<Report> {
  const by = (byRaw ?? 'month').trim().toLowerCase();
  if (!['month', 'user', 'product'].includes(by)) throw new UsageError(`cannot group revenue by '${byRaw}'`, 'group it by month, user or product');
  const rows = new Map<string, { key: string; invoices: Set<number>; revenue: Money[]; tax: Money[]; paid: Money[] }>();
  for (const o of await invoices(ctx)) {
    if (o.status === 'cancelled' || o.status === 'rejected' || !o.billedAt) continue;
    if (period && (o.billedAt < period.from || o.billedAt >= period.to)) continue;
    const row = (key: string) => {
      let r = rows.get(key);
      if (!r) rows.set(key, (r = { key, invoices: new Set(), revenue: [], tax: [], paid: [] }));
      r.invoices.add(o.id);
      return r;
    };
    if (by === 'product') {
      for (const i of o.items) {
        const r = row(i.description);
        add(r.revenue, o.currency, i.totalMinor);
        add(r.tax, o.currency, i.taxMinor);
      }
    } else {
      const r = row(by === 'month' ? ymd(new Date(o.billedAt), timeZone).slice(0, 7) : (o.createdBy ?? '(nobody)'));
      add(r.revenue, o.currency, o.totalMinor);
      add(r.tax, o.currency, o.taxMinor);
      add(r.paid, o.currency, o.paidMinor);
    }
  }
  const sorted = [...rows.values()].sort((a, b) => (by === 'month' ? a.key.localeCompare(b.key) : b.revenue.reduce((s, m) => s + m.amountMinor, 0) - a.revenue.reduce((s, m) => s + m.amountMinor, 0) || a.key.localeCompare(b.key)));
  return {
    report: 'revenue', title: `Invoiced revenue by ${by}`, period: period ? { from: period.from, to: period.to, label: period.label } : null,
    columns: [{ key: 'key', header: by.toUpperCase() }, { key: 'invoices', header: 'INVOICES' }, { key: 'revenue', header: 'REVENUE' }, { key: 'tax', header: 'TAX' },
      ...(by === 'product' ? [] : [{ key: 'paid', header: 'PAID' }])],
    rows: sorted.map((r) => ({ key: r.key, invoices: r.invoices.size, revenue: r.revenue, tax: r.tax, ...(by === 'product' ? {} : { paid: r.paid }) })),
    chart: { label: 'key', value: 'invoices' },
  };
}

/** Invoices billed and not fully paid, the longest overdue first. */
export async function unpaidReport(ctx: ServiceContext, timeZone: string): Promise<Report> {
  const today = ymd(ctx.now, timeZone);
  const open = (await invoices(ctx)).filter((o) => UNPAID_STATUSES.includes(o.status)).sort((a, b) => (a.dueOn ?? '').localeCompare(b.dueOn ?? '') || a.id - b.id);
  return {
    report: 'unpaid', title: 'Unpaid invoices', period: null,
    columns: [{ key: 'invoice', header: 'INVOICE' }, { key: 'lead', header: 'LEAD' }, { key: 'owner', header: 'TAKEN BY' }, { key: 'dueOn', header: 'DUE' }, { key: 'daysOverdue', header: 'DAYS OVERDUE' },
      { key: 'total', header: 'TOTAL' }, { key: 'balance', header: 'BALANCE' }],
    rows: open.map((o) => ({
      invoice: o.invoiceNumber, lead: `${o.leadId} ${o.leadName}`, owner: o.createdBy, dueOn: o.dueOn, daysOverdue: Math.max(0, daysBetween(o.dueOn ?? today, today)),
      total: [{ currency: o.currency, amountMinor: o.totalMinor }], balance: [{ currency: o.currency, amountMinor: o.totalMinor - o.paidMinor }],
    })),
  };
}

export const AGEING_BUCKETS = ['not due', '0-30', '31-60', '61-90', '90+'] as const;

/** Which ageing bucket an invoice due on `dueOn` is in on `today`. Due today is 0 days overdue. */
export function ageingBucket(dueOn: string, today: string): (typeof AGEING_BUCKETS)[number] {
  const days = daysBetween(dueOn, today);
  if (days < 0) return 'not due';
  if (days <= 30) return '0-30';
  if (days <= 60) return '31-60';
  if (days <= 90) return '61-90';
  return '90+';
}

/** What is still due, in buckets of days past the due day. */
export async function ageingReport(ctx: ServiceContext, timeZone: string): Promise<Report> {
  const today = ymd(ctx.now, timeZone);
  const rows = AGEING_BUCKETS.map((bucket) => ({ bucket, invoices: 0, balance: [] as Money[] }));
  for (const o of await invoices(ctx)) {
    if (!UNPAID_STATUSES.includes(o.status)) continue;
    const r = rows.find((x) => x.bucket === ageingBucket(o.dueOn ?? today, today))!;
    r.invoices++;
    add(r.balance, o.currency, o.totalMinor - o.paidMinor);
  }
  return {
    report: 'ageing', title: `Ageing of unpaid invoices on ${today} (days past due)`, period: null,
    columns: [{ key: 'bucket', header: 'DAYS OVERDUE' }, { key: 'invoices', header: 'INVOICES' }, { key: 'balance', header: 'BALANCE' }],
    rows: rows.map((r) => ({ ...r })), chart: { label: 'bucket', value: 'invoices' },
  };
}
