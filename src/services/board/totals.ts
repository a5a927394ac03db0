/** Pure arithmetic of column totals, shared by the board service and the board UI (which must not load the store). */

/** Weighted value: value × stage probability, in minor units. */
export function weighted(valueMinor: number, probability: number): number {
  return Math.round((valueMinor * probability) / 100);
}

export interface CurrencyTotal {
  currency: string;
  /** Leads in this currency. */
  count: number;
  valueMinor: number;
  weightedMinor: number;
}

/** totals with one lead of `valueMinor` in `currency` added (sign 1) or taken away (sign -1). */
export function adjustTotals(totals: CurrencyTotal[], currency: string, valueMinor: number | null, probability: number, sign: 1 | -1): CurrencyTotal[] {
  const out = totals.map((t) => ({ ...t }));
  let t = out.find((x) => x.currency === currency);
  if (!t) {
    t = { currency, count: 0, valueMinor: 0, weightedMinor: 0 };
    out.push(t);
  }
  t.count += sign;
  t.valueMinor += sign * (valueMinor ?? 0);
  t.weightedMinor = weighted(t.valueMinor, probability);
  return sortTotals(out.filter((x) => x.count > 0));
}

/** Largest value first, then by currency code: the column's main currency on top. */
export function sortTotals(totals: CurrencyTotal[]): CurrencyTotal[] {
  return totals.sort((a, b) => b.valueMinor - a.valueMinor || a.currency.localeCompare(b.currency));
}
