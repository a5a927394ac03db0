/**
 * Order lines and totals (O1) in integer minor units, rounded per line and only there, half up,
 * exact (BigInt on the decimals as written), as proposals (src/services/proposals/items.ts):
 *
 * - gross = quantity × unit price; discount = gross × discount %; both rounded to the minor unit.
 * - Tax exclusive (the price has no tax): net = gross − discount; tax = net × rate, rounded;
 *   total = net + tax.
 * - Tax inclusive (the price has the tax in it): total = gross − discount;
 *   net = total × 100 / (100 + rate), rounded; tax = total − net (so net + tax is the total
 *   exactly, and the customer pays the price shown).
 *
 * The order's totals are the sums of the rounded line amounts; its taxes by rate likewise.
 */
import { UsageError } from '../../errors.js';
import type { OrderItem, OrderTotals } from '../../domain/orders.js';
import { parseMoney } from '../leads/normalize.js';
import { parseDecimal, pow10, roundDiv, type Dec } from '../proposals/items.js';

export interface LineInput {
  description: string;
  productId?: number | null;
  quantity: string;
  unitPriceMinor: number;
  discountPct: string;
  taxPct: string;
  taxInclusive: boolean;
}

const dec = (raw: string, what: string, where: string, opts: { max?: number; positive?: boolean }) => parseDecimal(raw, what, where, opts);

/** One line's amounts. */
export function orderLineAmounts(quantity: Dec, unitPriceMinor: number, discountPct: Dec, taxPct: Dec, taxInclusive: boolean) {
  const gross = roundDiv(quantity.n * BigInt(unitPriceMinor), pow10(quantity.scale));
  const discount = roundDiv(gross * discountPct.n, 100n * pow10(discountPct.scale));
  let net: bigint;
  let tax: bigint;
  if (taxInclusive) {
    const total = gross - discount;
    const hundred = 100n * pow10(taxPct.scale);
    net = roundDiv(total * hundred, hundred + taxPct.n);
    tax = total - net;
  } else {
    net = gross - discount;
    tax = roundDiv(net * taxPct.n, 100n * pow10(taxPct.scale));
  }
  const out = { grossMinor: Number(gross), discountMinor: Number(discount), netMinor: Number(net), taxMinor: Number(tax), totalMinor: Number(net + tax) };
  if (!Number.isSafeInteger(out.grossMinor) || !Number.isSafeInteger(out.totalMinor)) throw new UsageError('a line amount is too large', 'split it over several lines or orders');
  return out;
}

/** A line from its inputs as written; `where` names it in messages ("item 2"). */
export function orderLine(input: LineInput, where: string): OrderItem {
  const description = input.description.trim();
  if (!description) throw new UsageError(`${where}: the description is empty`, 'give each line a description, e.g. "Widget; qty=2; price=19.99"');
  const q = dec(input.quantity || '1', 'quantity', where, { positive: true });
  const d = dec(input.discountPct || '0', 'discount %', where, { max: 100 });
  const t = dec(input.taxPct || '0', 'tax %', where, { max: 1000 });
  return {
    description, productId: input.productId ?? null, quantity: q.text, unitPriceMinor: input.unitPriceMinor, discountPct: d.text, taxPct: t.text,
    taxInclusive: input.taxInclusive, ...orderLineAmounts(q.dec, input.unitPriceMinor, d.dec, t.dec, input.taxInclusive),
  };
}

export function orderTotals(items: OrderItem[]): OrderTotals {
  const sum = (k: 'grossMinor' | 'discountMinor' | 'taxMinor' | 'totalMinor') => items.reduce((s, i) => s + i[k], 0);
  return { subtotalMinor: sum('grossMinor'), discountMinor: sum('discountMinor'), taxMinor: sum('taxMinor'), totalMinor: sum('totalMinor') };
}

/** Tax by rate (several rates on one order), rates in the order they first appear. */
export function taxByRate(items: OrderItem[]): { ratePct: string; netMinor: number; taxMinor: number }[] {
  const by = new Map<string, { ratePct: string; netMinor: number; taxMinor: number }>();
  for (const i of items) {
    const r = by.get(i.taxPct) ?? { ratePct: i.taxPct, netMinor: 0, taxMinor: 0 };
    r.netMinor += i.netMinor;
    r.taxMinor += i.taxMinor;
    by.set(i.taxPct, r);
  }
  return [...by.values()];
}

const KEYS: Record<string, 'quantity' | 'price' | 'discount' | 'tax'> = {
  qty: 'quantity', quantity: 'quantity', q: 'quantity',
  price: 'price', 'unit-price': 'price', unitprice: 'price', rate: 'price',
  discount: 'discount', disc: 'discount',
  tax: 'tax', vat: 'tax', gst: 'tax',
};

/** A line as typed on the command line, parsed: the description, then `key=value` parts. */
export interface ParsedLine {
  description: string;
  quantity?: string;
  price?: string;
  discount?: string;
  tax?: string;
  inclusive?: boolean;
}

/**
 * Reads "DESCRIPTION; qty=2; price=19.99; discount=10; tax=23; inclusive" (parts separated by
 * semicolons; keys qty, price, discount, tax; the word inclusive (or incl) when the price
 * includes the tax, exclusive to say it does not). Only the description is required here.
 */
export function parseLineSpec(raw: string, where: string): ParsedLine {
  const [head, ...parts] = raw.split(';').map((p) => p.trim());
  const out: ParsedLine = { description: head ?? '' };
  for (const part of parts) {
    if (!part) continue;
    const low = part.toLowerCase();
    if (low === 'inclusive' || low === 'incl' || low === 'tax-inclusive') {
      out.inclusive = true;
      continue;
    }
    if (low === 'exclusive' || low === 'excl' || low === 'tax-exclusive') {
      out.inclusive = false;
      continue;
    }
    const m = /^([a-z-]+)\s*[=:]\s*(.*)$/i.exec(part);
    const key = m ? KEYS[m[1]!.toLowerCase()] : undefined;
    if (!m || !key) throw new UsageError(`${where}: cannot read '${part}'`, 'write parts as qty=2, price=19.99, discount=10, tax=23, or the word inclusive, separated by ;');
    out[key] = m[2]!.trim();
  }
  return out;
}

export function priceOf(raw: string, currency: string, where: string): number {
  try {
    return parseMoney(raw, currency, 'price');
  } catch (err) {
    const e = err as UsageError;
    throw new UsageError(`${where}: ${e.message}`, e.hint);
  }
}
