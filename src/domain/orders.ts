/**
 * Orders, invoices and payments (SPEC O1), the product catalogue, and contact persons of company
 * leads (L10). An invoice is a billed order: it carries the invoice number, the billing time and
 * the due day. Every amount is in integer minor units of the order's currency.
 */

export const ORDER_STATUSES = ['draft', 'billed', 'partially-paid', 'paid', 'rejected', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Statuses of a billed order that still waits for money. */
export const UNPAID_STATUSES: readonly OrderStatus[] = ['billed', 'partially-paid'];

/**
 * One order line; amounts rounded per line (src/services/orders/money.ts). With taxInclusive the
 * unit price includes the tax: the line's total is gross − discount and the tax is taken out of
 * it; otherwise the tax is added on top of the net.
 */
export interface OrderItem {
  description: string;
  /** The catalogue product the line came from (null: free text). */
  productId: number | null;
  /** Decimal as written (e.g. "2.5"). */
  quantity: string;
  unitPriceMinor: number;
  /** Percentages as written (e.g. "10", "12.5"). */
  discountPct: string;
  taxPct: string;
  taxInclusive: boolean;
  /** quantity × unit price. */
  grossMinor: number;
  discountMinor: number;
  /** The amount before tax. */
  netMinor: number;
  taxMinor: number;
  /** net + tax. */
  totalMinor: number;
}

export interface OrderTotals {
  /** Sum of the lines' gross amounts. */
  subtotalMinor: number;
  discountMinor: number;
  taxMinor: number;
  totalMinor: number;
}

export interface NewOrder extends OrderTotals {
  leadId: number;
  proposalId: number | null;
  title: string;
  currency: string;
  items: OrderItem[];
  createdBy: number;
}

export interface Order extends OrderTotals {
  id: number;
  leadId: number;
  leadName: string;
  proposalId: number | null;
  title: string;
  status: OrderStatus;
  currency: string;
  items: OrderItem[];
  paidMinor: number;
  /** Set when billed: the order is then an invoice. */
  invoiceNumber: string | null;
  billedAt: string | null;
  /** Last day to pay, YYYY-MM-DD (billed orders). */
  dueOn: string | null;
  createdBy: string | null;
  createdById: number | null;
  createdAt: string;
  updatedAt: string;
  /** When it was paid in full, rejected or cancelled. */
  closedAt: string | null;
  /** When the invoice was last sent to the customer (crm invoice send), and how many times. */
  sentAt: string | null;
  sendCount: number;
}

export interface OrderQuery {
  statuses?: OrderStatus[];
  leadId?: number;
  /** Only billed orders (invoices). */
  invoiced?: boolean;
  /** Visibility: only orders of leads assigned to this user. */
  visibleTo?: number;
  /** Invoices due before this day (YYYY-MM-DD). */
  dueBefore?: string;
  limit?: number;
}

export interface Payment {
  id: number;
  orderId: number;
  /** YYYY-MM-DD. */
  paidOn: string;
  amountMinor: number;
  method: string;
  note: string | null;
  createdBy: string | null;
  createdAt: string;
}

export interface Product {
  id: number;
  name: string;
  unitPriceMinor: number;
  currency: string;
  taxPct: string;
  taxInclusive: boolean;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface ContactPerson {
  id: number;
  leadId: number;
  name: string;
  email: string | null;
  /** E.164, normalised as lead phones are. */
  phone: string | null;
  role: string | null;
  /** Percentage as written ("2.5"), or null. */
  commissionPct: string | null;
  portal: boolean;
  createdAt: string;
  updatedAt: string;
}
