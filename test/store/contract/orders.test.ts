import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewOrder, OrderItem } from '../../../src/domain/orders.js';
import { testTeam, type TestTeam } from '../../helpers/store.js';
import { at, insertLead, T0 } from './builders.js';

let t: TestTeam;
beforeEach(async () => {
  t = await testTeam();
});
afterEach(() => t.close());

const item: OrderItem = {
  description: 'Seats', productId: null, quantity: '2.5', unitPriceMinor: 10000, discountPct: '10', taxPct: '23', taxInclusive: false,
  grossMinor: 25000, discountMinor: 2500, netMinor: 22500, taxMinor: 5175, totalMinor: 27675,
};
const order = (leadId: number, o: Partial<NewOrder> = {}): NewOrder => ({
  leadId, proposalId: null, title: 'Seats for the office', currency: 'EUR', items: [item], subtotalMinor: 25000, discountMinor: 2500, taxMinor: 5175, totalMinor: 27675, createdBy: t.ravi.id, ...o,
});

describe('store contract: orders', () => {
  it('insert makes a draft; get and byInvoiceNumber read it back whole; update and updateContent change it', async () => {
    const lead = await insertLead(t.store, { name: 'Ana Sousa' });
    const id = await t.store.orders.insert(order(lead), at(-1));
    const { leadId: _l, createdBy: _c, ...content } = order(lead);
    expect(await t.store.orders.get(id)).toEqual({
      id, leadId: lead, leadName: 'Ana Sousa', ...content, status: 'draft', paidMinor: 0, invoiceNumber: null, billedAt: null, dueOn: null,
      createdBy: 'ravi@acme.example', createdById: t.ravi.id, createdAt: at(-1), updatedAt: at(-1), closedAt: null, sentAt: null, sendCount: 0,
    });
    expect(await t.store.orders.get(id + 100)).toBeUndefined();
    await t.store.orders.updateContent(id, { title: 'Two seats', items: [], subtotalMinor: 0, discountMinor: 0, taxMinor: 0, totalMinor: 0 }, at(0));
    expect(await t.store.orders.get(id)).toMatchObject({ title: 'Two seats', items: [], totalMinor: 0, updatedAt: at(0) });
    await t.store.orders.update(id, { status: 'billed', invoiceNumber: 'INV-2026-0001', billedAt: at(1), dueOn: '2026-12-07' }, at(1));
    expect(await t.store.orders.byInvoiceNumber('INV-2026-0001')).toMatchObject({ id, status: 'billed', billedAt: at(1), dueOn: '2026-12-07', closedAt: null });
    expect(await t.store.orders.byInvoiceNumber('INV-2026-0002')).toBeUndefined();
    await t.store.orders.update(id, { status: 'paid', paidMinor: 0, closedAt: at(2) }, at(2));
    expect(await t.store.orders.get(id)).toMatchObject({ status: 'paid', closedAt: at(2), invoiceNumber: 'INV-2026-0001' });
  });

  it('markSent counts the sendings of one invoice, from 1, and records the last time', async () => {
    const lead = await insertLead(t.store);
    const a = await t.store.orders.insert(order(lead), T0);
    const b = await t.store.orders.insert(order(lead), T0);
    expect(await t.store.orders.markSent(a, at(1))).toBe(1);
    expect(await t.store.orders.markSent(a, at(2))).toBe(2);
    expect(await t.store.orders.get(a)).toMatchObject({ sentAt: at(2), sendCount: 2, updatedAt: at(2) });
    expect(await t.store.orders.get(b)).toMatchObject({ sentAt: null, sendCount: 0 });
  });

  it('an invoice number is unique: a second order cannot take it', async () => {
    const lead = await insertLead(t.store);
    const a = await t.store.orders.insert(order(lead), T0);
    const b = await t.store.orders.insert(order(lead), T0);
    await t.store.orders.update(a, { invoiceNumber: 'X-1' }, T0);
    await expect(t.store.orders.update(b, { invoiceNumber: 'X-1' }, T0)).rejects.toThrow();
    expect((await t.store.orders.get(b))!.invoiceNumber).toBeNull();
  });

  it('list: newest first, by status, lead, invoiced, due before, visible to a rep; limit', async () => {
    const mine = await insertLead(t.store, { assigneeIds: [t.ravi.id] });
    const other = await insertLead(t.store);
    const a = await t.store.orders.insert(order(mine), T0);
    const b = await t.store.orders.insert(order(other), T0);
    const c = await t.store.orders.insert(order(mine), T0);
    await t.store.orders.update(a, { status: 'billed', invoiceNumber: 'I-1', dueOn: '2026-11-01' }, T0);
    await t.store.orders.update(b, { status: 'billed', invoiceNumber: 'I-2', dueOn: '2026-12-01' }, T0);
    const ids = async (q: Parameters<typeof t.store.orders.list>[0]) => (await t.store.orders.list(q)).map((o) => o.id);
    expect(await ids({})).toEqual([c, b, a]);
    expect(await ids({ statuses: ['draft'] })).toEqual([c]);
    expect(await ids({ leadId: mine })).toEqual([c, a]);
    expect(await ids({ invoiced: true })).toEqual([b, a]);
    expect(await ids({ invoiced: true, dueBefore: '2026-11-23' })).toEqual([a]);
    expect(await ids({ limit: 1 })).toEqual([c]);
    expect(await ids({ visibleTo: t.ravi.id })).toEqual([c, a]);
    expect(await ids({ visibleTo: t.priya.id })).toEqual([]);
  });

  it('nextInvoiceSeq counts per scope from 1; a rolled-back transaction gives its number back', async () => {
    expect(await t.store.transaction(() => t.store.orders.nextInvoiceSeq('2026'))).toBe(1);
    expect(await t.store.transaction(() => t.store.orders.nextInvoiceSeq('2026'))).toBe(2);
    expect(await t.store.transaction(() => t.store.orders.nextInvoiceSeq('all'))).toBe(1);
    await expect(t.store.transaction(async () => {
      expect(await t.store.orders.nextInvoiceSeq('2026')).toBe(3);
      throw new Error('bill failed');
    })).rejects.toThrow('bill failed');
    expect(await t.store.transaction(() => t.store.orders.nextInvoiceSeq('2026'))).toBe(3);
    expect(await t.store.transaction(() => t.store.orders.nextInvoiceSeq('2027'))).toBe(1);
  });

  it('payments: added, listed by day then id, with who recorded them; refused when not positive', async () => {
    const lead = await insertLead(t.store);
    const id = await t.store.orders.insert(order(lead), T0);
    const p2 = await t.store.orders.addPayment({ orderId: id, paidOn: '2026-11-20', amountMinor: 500, method: 'card', note: null, createdBy: t.ravi.id, createdAt: at(1) });
    const p1 = await t.store.orders.addPayment({ orderId: id, paidOn: '2026-11-10', amountMinor: 700, method: 'bank transfer', note: 'ref 42', createdBy: t.admin.id, createdAt: at(2) });
    expect(await t.store.orders.payments(id)).toEqual([
      { id: p1, orderId: id, paidOn: '2026-11-10', amountMinor: 700, method: 'bank transfer', note: 'ref 42', createdBy: 'admin@acme.example', createdAt: at(2) },
      { id: p2, orderId: id, paidOn: '2026-11-20', amountMinor: 500, method: 'card', note: null, createdBy: 'ravi@acme.example', createdAt: at(1) },
    ]);
    await expect(t.store.orders.addPayment({ orderId: id, paidOn: '2026-11-20', amountMinor: 0, method: 'card', note: null, createdBy: t.ravi.id, createdAt: at(1) })).rejects.toThrow();
  });

  it('moveToLead moves orders and contact persons (a merge)', async () => {
    const from = await insertLead(t.store);
    const to = await insertLead(t.store);
    const id = await t.store.orders.insert(order(from), T0);
    const person = await t.store.contactPersons.insert({ leadId: from, name: 'Rui', email: null, phone: null, role: null, commissionPct: null, portal: false }, T0);
    await t.store.orders.moveToLead(from, to);
    expect((await t.store.orders.get(id))!.leadId).toBe(to);
    expect((await t.store.contactPersons.get(person))!.leadId).toBe(to);
  });
});

describe('store contract: products', () => {
  it('insert, get, byName (any case), list by name without inactive unless asked, update', async () => {
    const w = await t.store.products.insert({ name: 'Widget', unitPriceMinor: 1999, currency: 'EUR', taxPct: '23', taxInclusive: false, active: true }, T0);
    const a = await t.store.products.insert({ name: 'anchor', unitPriceMinor: 50, currency: 'EUR', taxPct: '6', taxInclusive: true, active: true }, T0);
    expect(await t.store.products.get(w)).toEqual({ id: w, name: 'Widget', unitPriceMinor: 1999, currency: 'EUR', taxPct: '23', taxInclusive: false, active: true, createdAt: T0, updatedAt: T0 });
    expect((await t.store.products.byName('WIDGET'))!.id).toBe(w);
    expect(await t.store.products.byName('gadget')).toBeUndefined();
    await expect(t.store.products.insert({ name: 'widget', unitPriceMinor: 1, currency: 'EUR', taxPct: '0', taxInclusive: false, active: true }, T0)).rejects.toThrow();
    expect((await t.store.products.list(false)).map((p) => p.name)).toEqual(['anchor', 'Widget']);
    await t.store.products.update(a, { active: false, unitPriceMinor: 60, taxInclusive: false }, at(1));
    expect(await t.store.products.get(a)).toMatchObject({ active: false, unitPriceMinor: 60, taxInclusive: false, updatedAt: at(1) });
    expect((await t.store.products.list(false)).map((p) => p.name)).toEqual(['Widget']);
    expect((await t.store.products.list(true)).map((p) => p.name)).toEqual(['anchor', 'Widget']);
  });
});

describe('store contract: contact persons', () => {
  it('insert, ofLead in the order added, update, remove; deleted with their lead', async () => {
    const lead = await insertLead(t.store);
    const a = await t.store.contactPersons.insert({ leadId: lead, name: 'Rui Costa', email: 'rui@sousa.example', phone: '+351912345678', role: 'CFO', commissionPct: '2.5', portal: true }, T0);
    const b = await t.store.contactPersons.insert({ leadId: lead, name: 'Eva', email: null, phone: null, role: null, commissionPct: null, portal: false }, at(1));
    expect(await t.store.contactPersons.ofLead(lead)).toEqual([
      { id: a, leadId: lead, name: 'Rui Costa', email: 'rui@sousa.example', phone: '+351912345678', role: 'CFO', commissionPct: '2.5', portal: true, createdAt: T0, updatedAt: T0 },
      { id: b, leadId: lead, name: 'Eva', email: null, phone: null, role: null, commissionPct: null, portal: false, createdAt: at(1), updatedAt: at(1) },
    ]);
    await t.store.contactPersons.update(a, { portal: false, role: null, email: 'rui.costa@sousa.example' }, at(2));
    expect(await t.store.contactPersons.get(a)).toMatchObject({ portal: false, role: null, email: 'rui.costa@sousa.example', updatedAt: at(2) });
    await t.store.contactPersons.remove(b);
    expect((await t.store.contactPersons.ofLead(lead)).map((p) => p.id)).toEqual([a]);
  });
});
