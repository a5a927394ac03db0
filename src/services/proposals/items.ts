/**
 * Quotation line items (P2): read from a CSV file, totalled in integer minor units.
 *
 * Rounding rule, applied per line and only there: gross = quantity × unit price, rounded to the
 * currency's minor unit; discount = gross × discount %, rounded; net = gross − discount;
 * tax = net × tax %, rounded; line total = net + tax. Rounding is half up (0.5 of a minor unit
 * goes up; amounts are never negative). The document's subtotal, discount, tax and total are
 * the sums of the rounded line amounts, so the lines always add up to the total printed.
 * All arithmetic is exact (BigInt on the decimals as written), never binary floating point.
 */
import { UsageError, wordsOf } from '../../errors.js';
import { CsvParser, detectDelimiter, detectEncoding, type CsvRecord } from '../../io/csv.js';
import type { ProposalItem, ProposalTotals } from '../../domain/proposals.js';
import { parseMoney } from '../leads/normalize.js';
import { keyed } from '../../domain/keyed.js';

/** A decimal as an integer and a power of ten: "2.50" → 250n / 10^2. */
export interface Dec {
  n: bigint;
  scale: number;
}

export function parseDecimal(raw: string, what: string, where: string, opts: { max?: number; positive?: boolean }): { text: string; dec: Dec } {
  const s = raw.trim().replace(/%$/, '').trim().replace(/[_\s]/g, '');
  const m = /^(\d+)(?:\.(\d{1,6}))?$/.exec(s);
  if (!m) throw new UsageError(`${where}: invalid ${what} '${raw}'`, s.startsWith('-') ? `${what} cannot be negative` : `write it as a number such as 2 or 12.5`);
  const frac = m[2] ?? '';
  const dec = { n: BigInt(m[1]! + frac), scale: frac.length };
  const value = Number(s);
  if (opts.positive && dec.n === 0n) throw new UsageError(`${where}: ${what} must be more than 0`);
  if (opts.max !== undefined && value > opts.max) throw new UsageError(`${where}: ${what} '${raw}' is over ${opts.max}`);
  return { text: s.replace(/^0+(?=\d)/, ''), dec };
}

/** a / b rounded half up, for a ≥ 0, b > 0. */
export function roundDiv(a: bigint, b: bigint): bigint {
  return (2n * a + b) / (2n * b);
}

export const pow10 = (k: number) => 10n ** BigInt(k);

/** One line's amounts (see the rounding rule at the top of this file). */
export function lineAmounts(quantity: Dec, unitPriceMinor: number, discountPct: Dec, taxPct: Dec) {
  const gross = roundDiv(quantity.n * BigInt(unitPriceMinor), pow10(quantity.scale));
  const discount = roundDiv(gross * discountPct.n, 100n * pow10(discountPct.scale));
  const net = gross - discount;
  const tax = roundDiv(net * taxPct.n, 100n * pow10(taxPct.scale));
  const out = { grossMinor: Number(gross), discountMinor: Number(discount), netMinor: Number(net), taxMinor: Number(tax), totalMinor: Number(net + tax) };
  if (!Number.isSafeInteger(out.totalMinor)) throw new UsageError('a line amount is too large');
  return out;
}

export function totalsOf(items: ProposalItem[]): ProposalTotals {
  const sum = (k: keyof ProposalItem) => items.reduce((s, i) => s + (i[k] as number), 0);
  return { subtotalMinor: sum('grossMinor'), discountMinor: sum('discountMinor'), taxMinor: sum('taxMinor'), totalMinor: sum('totalMinor') };
}

type Field = 'description' | 'quantity' | 'unitPrice' | 'discount' | 'tax';
const HEADERS: Record<string, Field> = keyed({
  description: 'description', desc: 'description', item: 'description', name: 'description', product: 'description',
  quantity: 'quantity', qty: 'quantity',
  unitprice: 'unitPrice', price: 'unitPrice', rate: 'unitPrice', unitcost: 'unitPrice',
  discount: 'discount', discountpct: 'discount', discountpercent: 'discount', disc: 'discount',
  tax: 'tax', taxpct: 'tax', taxpercent: 'tax', taxrate: 'tax', vat: 'tax', gst: 'tax',
});
export const ITEM_COLUMNS = 'description, quantity, unit_price, discount (%), tax (%)';

/**
 * Line items from CSV text: a header row (description, quantity, unit_price, discount, tax; in
 * any order, case and punctuation ignored; discount and tax optional, quantity defaults to 1),
 * then one item a row. Unit prices are decimals in the currency (12000.50).
 */
export function parseItemsCsv(text: string, currency: string, source = 'items file'): ProposalItem[] {
  const parser = new CsvParser(detectDelimiter(text), undefined, source);
  const records: CsvRecord[] = [];
  parser.push(text.replace(/^\uFEFF/, ''), records);
  parser.end(records);
  const rows = records.filter((r) => r.cells.some((c) => c.trim() !== ''));
  const [header, ...data] = rows;
  if (!header) throw new UsageError(`${source} is empty`, `its first line names the columns: ${ITEM_COLUMNS}`);
  const columns = header.cells.map((c) => {
    const key = c.trim().toLowerCase().replace(/[^a-z]/g, '');
    const field = HEADERS[key];
    if (!field) throw new UsageError(`${source}, line ${header.line}: unknown column '${c.trim()}'`, `the columns are: ${ITEM_COLUMNS}`);
    return field;
  });
  for (const need of ['description', 'unitPrice'] as const) {
    if (!columns.includes(need)) throw new UsageError(`${source} has no ${need === 'unitPrice' ? 'unit_price' : need} column`, `the first line names the columns: ${ITEM_COLUMNS}`);
  }
  if (data.length === 0) throw new UsageError(`${source} has no items (only a header line)`, 'add one line per item');
  return data.map((r) => {
    const where = `${source}, line ${r.line}`;
    const cell = (f: Field) => {
      const i = columns.indexOf(f);
      return i < 0 ? '' : (r.cells[i] ?? '').trim();
    };
    const description = cell('description');
    if (!description) throw new UsageError(`${where}: the description is empty`);
    const quantity = parseDecimal(cell('quantity') || '1', 'quantity', where, { positive: true });
    let unitPriceMinor: number;
    const price = cell('unitPrice');
    // "19,99" from a European spreadsheet must not become 1999: a comma is only a thousands separator.
    if (price.includes(',') && !/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(price.trim())) {
      throw new UsageError(`${where}: unit price '${price}' has a comma that is not a thousands separator`, 'write decimals with a dot: 19.99 (1,250.50 is fine)');
    }
    try {
      unitPriceMinor = parseMoney(price, currency, 'unit price');
    } catch (err) {
      throw new UsageError([`${where}: `, ...wordsOf(err as UsageError)], (err as UsageError).fix ?? (err as UsageError).hint);
    }
    const discount = parseDecimal(cell('discount') || '0', 'discount %', where, { max: 100 });
    const tax = parseDecimal(cell('tax') || '0', 'tax %', where, { max: 1000 });
    return {
      description, quantity: quantity.text, unitPriceMinor, discountPct: discount.text, taxPct: tax.text,
      ...lineAmounts(quantity.dec, unitPriceMinor, discount.dec, tax.dec),
    };
  });
}

/** Decodes an items file's bytes: UTF-8 (with or without BOM), UTF-16 by BOM, else Windows-1252. */
export function decodeItemsFile(bytes: Buffer, source: string): string {
  const enc = detectEncoding(bytes, source);
  const label = enc.encoding === 'utf8' ? 'utf-8' : enc.encoding === 'win1252' ? 'windows-1252' : enc.encoding === 'utf16le' ? 'utf-16le' : 'utf-16be';
  return new TextDecoder(label).decode(bytes.subarray(enc.bom));
}
