import { writeFileSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { jsonText, printJson, printList, styler } from './output.js';
import { csvCell } from './csv.js';
import { minorToDecimal } from './format.js';
import { visibleCell } from './visible.js';
import type { IO } from './streams.js';

/** An amount of money in one currency, in minor units (cents). */
export interface Money {
  currency: string;
  amountMinor: number;
}

/** A report cell: text, a number, nothing, or money (one amount per currency). */
export type Cell = string | number | null | Money[];

/** A tabular result (reports) and the formats it can be written in. */
export interface Tabular {
  columns: { key: string; header: string }[];
  rows: Record<string, Cell>[];
  chart?: { label: string; value: string };
}

/** Money for people: "EUR 12000.00; USD 50.00" ('' for none). */
export function moneyText(list: Money[]): string {
  return list.map((v) => `${v.currency} ${minorToDecimal(v.amountMinor, v.currency)}`).join('; ');
}

/** A cell as plain text (tables, email bodies). */
export function cellText(v: Cell | undefined): string {
  if (v === null || v === undefined) return '';
  return Array.isArray(v) ? moneyText(v) : String(v);
}

/** Rows for JSON: money as numbers, `[{ currency, amount, amountMinor }]` (amount in the currency's decimals), [] for none. */
export function jsonRows(rows: Record<string, Cell>[]): Record<string, unknown>[] {
  return rows.map((r) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(r)) {
      out[k] = Array.isArray(v) ? v.map((m) => ({ currency: m.currency, amount: Number(minorToDecimal(m.amountMinor, m.currency)), amountMinor: m.amountMinor })) : v;
    }
    return out;
  });
}

/**
 * Columns for CSV and TSV: a money column becomes two, the amount as a plain number and its
 * currency (`VALUE`, `VALUE CURRENCY`), so a spreadsheet can add them up; a cell holding several
 * currencies lists them in the same order in both, separated by ';'.
 */
function flatColumns(t: Tabular): { header: string; value: (r: Record<string, Cell>) => string | number | null }[] {
  const out: { header: string; value: (r: Record<string, Cell>) => string | number | null }[] = [];
  for (const c of t.columns) {
    if (t.rows.some((r) => Array.isArray(r[c.key]))) {
      const list = (r: Record<string, Cell>) => (Array.isArray(r[c.key]) ? (r[c.key] as Money[]) : []);
      out.push({
        header: c.header,
        value: (r) => {
          const m = list(r);
          return m.length === 1 ? Number(minorToDecimal(m[0]!.amountMinor, m[0]!.currency)) : m.map((v) => minorToDecimal(v.amountMinor, v.currency)).join(';');
        },
      });
      out.push({ header: `${c.header} CURRENCY`, value: (r) => list(r).map((v) => v.currency).join(';') });
    } else {
      out.push({ header: c.header, value: (r) => (Array.isArray(r[c.key]) ? null : (r[c.key] as string | number | null)) });
    }
  }
  return out;
}

/** Tab-separated, with a header line; tabs and line breaks inside values become spaces. */
export function toTsv(t: Tabular): string {
  const cols = flatColumns(t);
  const cell = (v: string | number | null | undefined) => visibleCell(String(v ?? '')).replace(/[\t\r\n]/g, ' ');
  const lines = [cols.map((c) => cell(c.header)).join('\t'), ...t.rows.map((r) => cols.map((c) => cell(c.value(r))).join('\t'))];
  return `${lines.join('\n')}\n`;
}

export const FORMATS = ['table', 'json', 'csv', 'tsv', 'chart'] as const;
export type Format = (typeof FORMATS)[number];

export function parseFormat(raw: string | undefined, json: boolean | undefined): Format {
  if (json) return 'json';
  const f = (raw ?? 'table').toLowerCase() as Format;
  if (!FORMATS.includes(f)) throw new UsageError(`unknown format '${raw}'`, `use --format ${FORMATS.join('|')}`);
  return f;
}

/** One report cell as CSV: numbers stay numbers, text is neutralised as crm's export does (src/io/csv.ts). */
function reportCell(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'number' ? String(v) : csvCell(v);
}

export function toCsv(t: Tabular): string {
  const cols = flatColumns(t);
  const lines = [cols.map((c) => reportCell(c.header)).join(',')];
  for (const r of t.rows) lines.push(cols.map((c) => reportCell(c.value(r))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** Horizontal bars, scaled to the widest value; works without colour. */
export function toChart(t: Tabular, width = 40): string {
  if (!t.chart) throw new UsageError('this report has no chart', 'use --format table, csv or json');
  const { label, value } = t.chart;
  const items = t.rows.map((r) => ({ label: cellText(r[label]), value: Number(r[value] ?? 0) }));
  const max = Math.max(1, ...items.map((i) => i.value));
  const pad = Math.max(0, ...items.map((i) => i.label.length));
  return items
    .map((i) => {
      const exact = (i.value / max) * width;
      const full = Math.floor(exact);
      const bar = '█'.repeat(full) + (exact - full >= 0.5 ? '▌' : '');
      return `${i.label.padEnd(pad)}  ${bar}${bar ? ' ' : ''}${i.value}`;
    })
    .join('\n');
}

/** Writes a tabular result in the chosen format, to stdout or to a file (-o). */
export async function writeTabular(io: IO, t: Tabular & { title?: string }, format: Format, json: unknown, file?: string): Promise<void> {
  let text: string | undefined;
  if (format === 'json') text = `${jsonText(json)}\n`;
  else if (format === 'csv') text = toCsv(t);
  else if (format === 'tsv') text = toTsv(t);
  else if (format === 'chart') text = `${toChart(t)}\n`;
  if (file) {
    if (text === undefined) {
      text = toTsv(t);
    }
    writeFileSync(file, text);
    io.hint(`Wrote ${t.rows.length} row(s) to ${file}`);
    return;
  }
  if (format === 'json') return printJson(io, json);
  if (text !== undefined) {
    io.stdout.write(text);
    return;
  }
  if (t.title && io.isStdoutTTY) io.out(styler(io).bold(t.title));
  await printList(io, {}, t.rows, t.columns.map((c) => ({ header: c.header, cell: (r: Record<string, Cell>) => cellText(r[c.key]) })), (r) => r, 'No rows.');
}

/** Plain text with aligned columns (an email body, the inbox): readable without a terminal. */
export function toText(t: Tabular & { title?: string; period?: { label: string } | null }, empty = 'No rows.'): string {
  const head = [t.title, t.period?.label ? `(${t.period.label})` : ''].filter(Boolean).join(' ');
  const cells = [t.columns.map((c) => c.header), ...t.rows.map((r) => t.columns.map((c) => cellText(r[c.key])))];
  const widths = t.columns.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
  const lines = t.rows.length === 0 ? [empty] : cells.map((row) => row.map((v, i) => (i === row.length - 1 ? v : v.padEnd(widths[i]!))).join('  ').trimEnd());
  return [...(head ? [head] : []), ...lines].join('\n');
}
