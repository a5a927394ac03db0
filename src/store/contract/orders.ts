/** The store contract: orders (and their invoices and payments), products, contact persons. */
import type { ContactPerson, NewOrder, Order, OrderQuery, Payment, Product } from '../../domain/orders.js';

/** Orders and invoices (O1). An invoice is a billed order (invoiceNumber set). */
export interface OrdersRepo {
  /** A new draft order. */
  insert(o: NewOrder, at: string): Promise<number>;
  /** Replaces a draft's title, items and totals. */
  updateContent(id: number, c: Pick<Order, 'title' | 'items' | 'subtotalMinor' | 'discountMinor' | 'taxMinor' | 'totalMinor'>, at: string): Promise<void>;
  update(id: number, patch: Partial<Pick<Order, 'status' | 'paidMinor' | 'closedAt' | 'invoiceNumber' | 'billedAt' | 'dueOn'>>, at: string): Promise<void>;
  /** Records one more sending of the invoice (at `at`); its send count after this one, from 1 (one atomic statement). */
  markSent(id: number, at: string): Promise<number>;
  /**
   * The next value of an invoice counter (`scope`: a year such as "2026", or "all"), starting at 1:
   * one atomic statement, so two callers never get the same value. Gap-free and never reused only
   * when called inside the transaction that stores the number (a rollback gives it back).
   */
  nextInvoiceSeq(scope: string): Promise<number>;
  get(id: number): Promise<Order | undefined>;
  byInvoiceNumber(invoiceNumber: string): Promise<Order | undefined>;
  /** Newest first (by id). */
  list(query: OrderQuery): Promise<Order[]>;
  addPayment(p: Omit<Payment, 'id' | 'createdBy'> & { createdBy: number }): Promise<number>;
  /** Oldest first (by day, then id). */
  payments(orderId: number): Promise<Payment[]>;
  /** Merge: moves a lead's orders (and contact persons) onto another lead. */
  moveToLead(fromLeadId: number, toLeadId: number): Promise<void>;
}


/** The product catalogue order lines may come from. */
export interface ProductsRepo {
  insert(p: Omit<Product, 'id' | 'createdAt' | 'updatedAt'>, at: string): Promise<number>;
  update(id: number, patch: Partial<Omit<Product, 'id' | 'createdAt' | 'updatedAt'>>, at: string): Promise<void>;
  get(id: number): Promise<Product | undefined>;
  /** Case-insensitive. */
  byName(name: string): Promise<Product | undefined>;
  /** By name; inactive ones only when asked. */
  list(includeInactive: boolean): Promise<Product[]>;
}

/** Contact persons of a company lead or customer (L10). */
export interface ContactPersonsRepo {
  insert(p: Omit<ContactPerson, 'id' | 'createdAt' | 'updatedAt'>, at: string): Promise<number>;
  update(id: number, patch: Partial<Omit<ContactPerson, 'id' | 'leadId' | 'createdAt' | 'updatedAt'>>, at: string): Promise<void>;
  remove(id: number): Promise<void>;
  get(id: number): Promise<ContactPerson | undefined>;
  /** A lead's persons, in the order they were added. */
  ofLead(leadId: number): Promise<ContactPerson[]>;
}
