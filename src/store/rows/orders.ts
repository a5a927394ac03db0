/**
 * Orders, payments, products and contact persons as both backends read and write them: the same
 * SQL text and columns on SQLite and PostgreSQL (placeholders `?`; ON CONFLICT … RETURNING is
 * spoken by both), run through a small async adapter each backend provides (src/store/sqlite/orders.ts,
 * src/store/postgres/orders.ts).
 */
import type { ContactPerson, Order, OrderItem, OrderStatus, Payment, Product } from '../../domain/orders.js';
import type { ContactPersonsRepo, OrdersRepo, ProductsRepo } from '../contract/orders.js';

/** What the repositories below need of a backend. */
export interface RowSql {
  all<T>(sql: string, ...params: unknown[]): Promise<T[]>;
  get<T>(sql: string, ...params: unknown[]): Promise<T | undefined>;
  run(sql: string, ...params: unknown[]): Promise<void>;
  /** An INSERT: the new row's id. */
  insert(sql: string, ...params: unknown[]): Promise<number>;
}

interface OrderRow {
  id: number;
  lead_id: number;
  lead_name: string;
  proposal_id: number | null;
  title: string;
  status: OrderStatus;
  currency: string;
  items: string;
  subtotal_minor: number;
  discount_minor: number;
  tax_minor: number;
  total_minor: number;
  paid_minor: number;
  invoice_number: string | null;
  billed_at: string | null;
  due_on: string | null;
  created_by: number | null;
  created_by_email: string | null;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  sent_at: string | null;
  send_count: number;
}

const SELECT_ORDER = `SELECT o.*, l.name AS lead_name, u.email AS created_by_email FROM orders o
  JOIN leads l ON l.id = o.lead_id LEFT JOIN users u ON u.id = o.created_by`;

const toOrder = (r: OrderRow): Order => ({
  id: Number(r.id), leadId: Number(r.lead_id), leadName: r.lead_name, proposalId: r.proposal_id === null ? null : Number(r.proposal_id), title: r.title,
  status: r.status, currency: r.currency, items: JSON.parse(r.items) as OrderItem[], subtotalMinor: Number(r.subtotal_minor),
  discountMinor: Number(r.discount_minor), taxMinor: Number(r.tax_minor), totalMinor: Number(r.total_minor), paidMinor: Number(r.paid_minor),
  invoiceNumber: r.invoice_number, billedAt: r.billed_at, dueOn: r.due_on, createdBy: r.created_by_email,
  createdById: r.created_by === null ? null : Number(r.created_by), createdAt: r.created_at, updatedAt: r.updated_at, closedAt: r.closed_at,
  sentAt: r.sent_at, sendCount: Number(r.send_count),
});

const ORDER_PATCH: Record<string, string> = {
  status: 'status', paidMinor: 'paid_minor', closedAt: 'closed_at', invoiceNumber: 'invoice_number', billedAt: 'billed_at', dueOn: 'due_on',
};

export function ordersRepoOn(q: RowSql): OrdersRepo {
  return {
    async insert(o, at) {
      return q.insert(
        `INSERT INTO orders (lead_id, proposal_id, title, status, currency, items, subtotal_minor, discount_minor, tax_minor, total_minor, created_by, created_at, updated_at)
         VALUES (?, ?, ?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        o.leadId, o.proposalId, o.title, o.currency, JSON.stringify(o.items), o.subtotalMinor, o.discountMinor, o.taxMinor, o.totalMinor, o.createdBy, at, at,
      );
    },
    async updateContent(id, c, at) {
      await q.run('UPDATE orders SET title = ?, items = ?, subtotal_minor = ?, discount_minor = ?, tax_minor = ?, total_minor = ?, updated_at = ? WHERE id = ?',
        c.title, JSON.stringify(c.items), c.subtotalMinor, c.discountMinor, c.taxMinor, c.totalMinor, at, id);
    },
    async update(id, patch, at) {
      const sets = ['updated_at = ?'];
      const vals: unknown[] = [at];
      for (const [k, v] of Object.entries(patch)) {
        if (v === undefined || !ORDER_PATCH[k]) continue;
        sets.push(`${ORDER_PATCH[k]} = ?`);
        vals.push(v);
      }
      await q.run(`UPDATE orders SET ${sets.join(', ')} WHERE id = ?`, ...vals, id);
    },
    async markSent(id, at) {
      const r = await q.get<{ n: number }>('UPDATE orders SET sent_at = ?, send_count = send_count + 1, updated_at = ? WHERE id = ? RETURNING send_count AS n', at, at, id);
      return Number(r!.n);
    },
    async nextInvoiceSeq(scope) {
      const r = await q.get<{ last: number }>(
        'INSERT INTO invoice_counters (scope, last) VALUES (?, 1) ON CONFLICT (scope) DO UPDATE SET last = invoice_counters.last + 1 RETURNING last', scope);
      return Number(r!.last);
    },
    async get(id) {
      const r = await q.get<OrderRow>(`${SELECT_ORDER} WHERE o.id = ?`, id);
      return r && toOrder(r);
    },
    async byInvoiceNumber(n) {
      const r = await q.get<OrderRow>(`${SELECT_ORDER} WHERE o.invoice_number = ?`, n);
      return r && toOrder(r);
    },
    async list(f) {
      const where: string[] = [];
      const vals: unknown[] = [];
      if (f.statuses?.length) where.push(`o.status IN (${f.statuses.map(() => '?').join(',')})`), vals.push(...f.statuses);
      if (f.leadId !== undefined) where.push('o.lead_id = ?'), vals.push(f.leadId);
      if (f.invoiced) where.push('o.invoice_number IS NOT NULL');
      if (f.visibleTo !== undefined) where.push('EXISTS (SELECT 1 FROM lead_assignees a WHERE a.lead_id = o.lead_id AND a.user_id = ?)'), vals.push(f.visibleTo);
      if (f.dueBefore !== undefined) where.push('o.due_on < ?'), vals.push(f.dueBefore);
      const rows = await q.all<OrderRow>(`${SELECT_ORDER} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY o.id DESC LIMIT ?`, ...vals, f.limit ?? 1_000_000);
      return rows.map(toOrder);
    },
    async addPayment(p) {
      return q.insert('INSERT INTO order_payments (order_id, paid_on, amount_minor, method, note, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        p.orderId, p.paidOn, p.amountMinor, p.method, p.note, p.createdBy, p.createdAt);
    },
    async payments(orderId) {
      const rows = await q.all<{ id: number; order_id: number; paid_on: string; amount_minor: number; method: string; note: string | null; created_by_email: string | null; created_at: string }>(
        'SELECT p.*, u.email AS created_by_email FROM order_payments p LEFT JOIN users u ON u.id = p.created_by WHERE p.order_id = ? ORDER BY p.paid_on, p.id', orderId);
      return rows.map((r): Payment => ({
        id: Number(r.id), orderId: Number(r.order_id), paidOn: r.paid_on, amountMinor: Number(r.amount_minor), method: r.method, note: r.note, createdBy: r.created_by_email, createdAt: r.created_at,
      }));
    },
    async moveToLead(fromLeadId, toLeadId) {
      await q.run('UPDATE orders SET lead_id = ? WHERE lead_id = ?', toLeadId, fromLeadId);
      await q.run('UPDATE contact_persons SET lead_id = ? WHERE lead_id = ?', toLeadId, fromLeadId);
    },
  };
}

interface ProductRow {
  id: number;
  name: string;
  unit_price_minor: number;
  currency: string;
  tax_pct: string;
  tax_inclusive: number;
  active: number;
  created_at: string;
  updated_at: string;
}
const toProduct = (r: ProductRow): Product => ({
  id: Number(r.id), name: r.name, unitPriceMinor: Number(r.unit_price_minor), currency: r.currency, taxPct: r.tax_pct,
  taxInclusive: Number(r.tax_inclusive) === 1, active: Number(r.active) === 1, createdAt: r.created_at, updatedAt: r.updated_at,
});
const PRODUCT_PATCH: Record<string, (v: unknown) => [string, unknown]> = {
  name: (v) => ['name', v], unitPriceMinor: (v) => ['unit_price_minor', v], currency: (v) => ['currency', v], taxPct: (v) => ['tax_pct', v],
  taxInclusive: (v) => ['tax_inclusive', v ? 1 : 0], active: (v) => ['active', v ? 1 : 0],
};

export function productsRepoOn(q: RowSql): ProductsRepo {
  return {
    async insert(p, at) {
      return q.insert('INSERT INTO products (name, unit_price_minor, currency, tax_pct, tax_inclusive, active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        p.name, p.unitPriceMinor, p.currency, p.taxPct, p.taxInclusive ? 1 : 0, p.active ? 1 : 0, at, at);
    },
    async update(id, patch, at) {
      const sets = ['updated_at = ?'];
      const vals: unknown[] = [at];
      for (const [k, v] of Object.entries(patch)) {
        if (v === undefined || !PRODUCT_PATCH[k]) continue;
        const [col, val] = PRODUCT_PATCH[k](v);
        sets.push(`${col} = ?`);
        vals.push(val);
      }
      await q.run(`UPDATE products SET ${sets.join(', ')} WHERE id = ?`, ...vals, id);
    },
    async get(id) {
      const r = await q.get<ProductRow>('SELECT * FROM products WHERE id = ?', id);
      return r && toProduct(r);
    },
    async byName(name) {
      const r = await q.get<ProductRow>('SELECT * FROM products WHERE name = ?', name);
      return r && toProduct(r);
    },
    async list(includeInactive) {
      const rows = await q.all<ProductRow>(`SELECT * FROM products ${includeInactive ? '' : 'WHERE active = 1'}`);
      return rows.map(toProduct).sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()) || a.id - b.id);
    },
  };
}

interface PersonRow {
  id: number;
  lead_id: number;
  name: string;
  email: string | null;
  phone: string | null;
  role: string | null;
  commission_pct: string | null;
  portal: number;
  created_at: string;
  updated_at: string;
}
const toPerson = (r: PersonRow): ContactPerson => ({
  id: Number(r.id), leadId: Number(r.lead_id), name: r.name, email: r.email, phone: r.phone, role: r.role, commissionPct: r.commission_pct,
  portal: Number(r.portal) === 1, createdAt: r.created_at, updatedAt: r.updated_at,
});
const PERSON_PATCH: Record<string, (v: unknown) => [string, unknown]> = {
  name: (v) => ['name', v], email: (v) => ['email', v], phone: (v) => ['phone', v], role: (v) => ['role', v],
  commissionPct: (v) => ['commission_pct', v], portal: (v) => ['portal', v ? 1 : 0],
};

export function contactPersonsRepoOn(q: RowSql): ContactPersonsRepo {
  return {
    async insert(p, at) {
      return q.insert('INSERT INTO contact_persons (lead_id, name, email, phone, role, commission_pct, portal, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        p.leadId, p.name, p.email, p.phone, p.role, p.commissionPct, p.portal ? 1 : 0, at, at);
    },
    async update(id, patch, at) {
      const sets = ['updated_at = ?'];
      const vals: unknown[] = [at];
      for (const [k, v] of Object.entries(patch)) {
        if (v === undefined || !PERSON_PATCH[k]) continue;
        const [col, val] = PERSON_PATCH[k](v);
        sets.push(`${col} = ?`);
        vals.push(val);
      }
      await q.run(`UPDATE contact_persons SET ${sets.join(', ')} WHERE id = ?`, ...vals, id);
    },
    async remove(id) {
      await q.run('DELETE FROM contact_persons WHERE id = ?', id);
    },
    async get(id) {
      const r = await q.get<PersonRow>('SELECT * FROM contact_persons WHERE id = ?', id);
      return r && toPerson(r);
    },
    async ofLead(leadId) {
      return (await q.all<PersonRow>('SELECT * FROM contact_persons WHERE lead_id = ? ORDER BY id', leadId)).map(toPerson);
    },
  };
}
