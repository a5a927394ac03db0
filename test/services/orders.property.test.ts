/**
 * Properties of order money and invoice numbering (issue 19): line rounding per currency, tax
 * inclusive and exclusive, totals; and, on a real store, that any sequence of bills, failed bills
 * and cancellations leaves invoice numbers 1..n with no gap and no duplicate.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currencyDigits } from '../../src/io/format.js';
import { orderLine, orderLineAmounts, orderTotals, priceOf } from '../../src/services/orders/money.js';
import { addOrder, billOrder, cancelOrder, invoiceNumber } from '../../src/services/orders/service.js';
import { addLead } from '../../src/services/leads/service.js';
import { FIXED_NOW, testTeam, type TestTeam } from '../helpers/store.js';

const RUNS = Number(process.env.CRM_FUZZ_RUNS ?? 200);
const dec = (maxInt: number, maxScale: number, min = 0) =>
  fc.tuple(fc.integer({ min, max: maxInt }), fc.integer({ min: 0, max: maxScale })).map(([n, scale]) => ({ n: BigInt(n), scale }));
const p10 = (k: number) => 10n ** BigInt(k);

describe('order line amounts (property)', () => {
  it('exclusive: net = gross − discount, tax is net × rate rounded half up, total = net + tax; all whole, none negative', () => {
    fc.assert(fc.property(dec(100_000, 3, 1), fc.integer({ min: 0, max: 1_000_000_000 }), dec(100, 2), dec(50, 2), (q, price, d, t) => {
      fc.pre(d.n <= 100n * p10(d.scale));
      const a = orderLineAmounts(q, price, d, t, false);
      for (const v of Object.values(a)) expect(Number.isSafeInteger(v) && v >= 0).toBe(true);
      // gross is q × price to the nearest minor unit: |gross·10^s − q·price| ≤ 10^s / 2
      expect(2n * (BigInt(a.grossMinor) * p10(q.scale) - q.n * BigInt(price)) <= p10(q.scale)).toBe(true);
      expect(2n * (q.n * BigInt(price) - BigInt(a.grossMinor) * p10(q.scale)) < p10(q.scale)).toBe(true);
      expect(a.discountMinor).toBeLessThanOrEqual(a.grossMinor);
      expect(a.netMinor).toBe(a.grossMinor - a.discountMinor);
      const exact = BigInt(a.netMinor) * t.n; // tax × 100·10^s, exactly
      const scaled = BigInt(a.taxMinor) * 100n * p10(t.scale);
      expect(2n * (scaled - exact) <= 100n * p10(t.scale) && 2n * (exact - scaled) < 100n * p10(t.scale)).toBe(true);
      expect(a.totalMinor).toBe(a.netMinor + a.taxMinor);
    }), { numRuns: RUNS });
  });

  it('inclusive: the total is gross − discount (the price paid), net is total / (1 + rate) rounded, tax = total − net', () => {
    fc.assert(fc.property(dec(100_000, 3, 1), fc.integer({ min: 0, max: 1_000_000_000 }), dec(100, 2), dec(50, 2), (q, price, d, t) => {
      fc.pre(d.n <= 100n * p10(d.scale));
      const a = orderLineAmounts(q, price, d, t, true);
      for (const v of Object.values(a)) expect(Number.isSafeInteger(v) && v >= 0).toBe(true);
      expect(a.totalMinor).toBe(a.grossMinor - a.discountMinor);
      expect(a.netMinor + a.taxMinor).toBe(a.totalMinor);
      const hundred = 100n * p10(t.scale);
      // net·(100 + rate) vs total·100, both × 10^s: net is the nearest whole number
      const diff = BigInt(a.netMinor) * (hundred + t.n) - BigInt(a.totalMinor) * hundred;
      expect(2n * diff <= hundred + t.n && -2n * diff < hundred + t.n).toBe(true);
    }), { numRuns: RUNS });
  });

  it('a zero rate taxes nothing, inclusive or not; totals are the sums of the rounded lines', () => {
    const line = fc.record({ qty: fc.integer({ min: 1, max: 999 }), price: fc.integer({ min: 0, max: 10_000_000 }), disc: fc.integer({ min: 0, max: 100 }), tax: fc.constantFrom('0', '5', '6', '13.5', '23'), incl: fc.boolean() });
    fc.assert(fc.property(fc.array(line, { minLength: 1, maxLength: 8 }), (lines) => {
      const items = lines.map((l, i) => orderLine({ description: `line ${i}`, quantity: String(l.qty), unitPriceMinor: l.price, discountPct: String(l.disc), taxPct: l.tax, taxInclusive: l.incl }, `item ${i}`));
      for (const i of items) if (i.taxPct === '0') expect([i.taxMinor, i.netMinor]).toEqual([0, i.grossMinor - i.discountMinor]);
      const t = orderTotals(items);
      expect(t.totalMinor).toBe(items.reduce((s, i) => s + i.totalMinor, 0));
      expect(t.taxMinor).toBe(items.reduce((s, i) => s + i.taxMinor, 0));
      expect(t.subtotalMinor - t.discountMinor + items.filter((i) => !i.taxInclusive).reduce((s, i) => s + i.taxMinor, 0)).toBe(t.totalMinor);
    }), { numRuns: RUNS });
  });

  it('prices are read exactly in the minor unit of their currency (JPY 0, EUR 2, KWD 3 decimals)', () => {
    fc.assert(fc.property(fc.constantFrom('JPY', 'EUR', 'KWD', 'INR'), fc.integer({ min: 0, max: 1_000_000_000 }), (currency, minor) => {
      const digits = currencyDigits(currency);
      const whole = Math.floor(minor / 10 ** digits);
      const frac = String(minor % 10 ** digits).padStart(digits, '0');
      // Written with all its decimals; four or more decimals are never a thousands separator.
      const text = digits === 0 ? String(minor) : `${whole}.${frac}`;
      fc.pre(digits !== 3); // "1.234" alone reads as a thousands separator by design (lenient input); KWD below
      expect(priceOf(text, currency, 'p')).toBe(minor);
    }), { numRuns: RUNS });
    expect(priceOf('12.345', 'KWD', 'p')).toBe(12345);
    expect(() => priceOf('12.5', 'JPY', 'p')).toThrow(/JPY has 0 decimal places/);
  });
});

describe('invoice numbers (property)', () => {
  it('formatting is injective and sorts in numbering order within a counter', () => {
    fc.assert(fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 9999 }), { minLength: 2, maxLength: 30 }), fc.constantFrom('yearly', 'continuous') as fc.Arbitrary<'yearly' | 'continuous'>, (seqs, counter) => {
      const nums = seqs.map((s) => invoiceNumber('INV-', counter, '2026', s));
      expect(new Set(nums).size).toBe(seqs.length);
      const bySeq = [...seqs].sort((a, b) => a - b).map((s) => invoiceNumber('INV-', counter, '2026', s));
      expect([...nums].sort()).toEqual(bySeq);
    }), { numRuns: RUNS });
  });

  describe('on a real store', () => {
    let t: TestTeam;
    let lead: number;
    beforeAll(async () => {
      t = await testTeam();
      lead = (await addLead(t.as(t.admin), { name: 'Ana', emails: ['ana@example.com'] })).lead.id;
    });
    afterAll(() => t.close());

    it('any sequence of adds, bills, failed bills and cancellations numbers the invoices 1..n: no gap, no duplicate', async () => {
      let start = 0;
      await fc.assert(fc.asyncProperty(fc.array(fc.constantFrom('bill', 'cancel-draft', 'bill-twice', 'cancel-billed'), { minLength: 1, maxLength: 6 }), async (ops) => {
        const ctx = t.as(t.admin, FIXED_NOW);
        for (const op of ops) {
          const o = await addOrder(ctx, { lead, items: ['Thing; price=1'] });
          if (op === 'cancel-draft') await cancelOrder(ctx, o.id);
          else {
            await billOrder(ctx, o.id);
            if (op === 'bill-twice') await expect(billOrder(ctx, o.id)).rejects.toThrow(/only a draft can be billed/);
            if (op === 'cancel-billed') await cancelOrder(ctx, o.id);
          }
        }
        const numbers = (await t.store.orders.list({ invoiced: true })).map((o) => o.invoiceNumber!).sort();
        const expected = ops.filter((op) => op !== 'cancel-draft').length;
        expect(numbers).toEqual(Array.from({ length: start + expected }, (_, i) => invoiceNumber('INV-', 'yearly', '2026', i + 1)));
        start += expected;
      }), { numRuns: Math.min(RUNS, 15) });
    }, 300_000);
  });
});
