import { writeFileSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { jsonText, printJson, printList, styler } from './output.js';
import { csvCell } from './csv.js';
import type { IO } from './streams.js';

/** A tabular result (reports) and the formats it can be written in. */
export interface Tabular {
  columns: { key: string; header: string }[];
  rows: Record<string, string | number | null>[];
  chart?: { label: string; value: string };
}

export const FORMATS = ['table', 'json', 'csv', 'chart'] as const;
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
  const lines = [t.columns.map((c) => reportCell(c.header)).join(',')];
  for (const r of t.rows) lines.push(t.columns.map((c) => reportCell(r[c.key])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** Horizontal bars, scaled to the widest value; works without colour. */
export function toChart(t: Tabular, width = 40): string {
  if (!t.chart) throw new UsageError('this report has no chart', 'use --format table, csv or json');
  const { label, value } = t.chart;
  const items = t.rows.map((r) => ({ label: String(r[label] ?? ''), value: Number(r[value] ?? 0) }));
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
  else if (format === 'chart') text = `${toChart(t)}\n`;
  if (file) {
    if (text === undefined) {
      const plain = t.rows.map((r) => t.columns.map((c) => String(r[c.key] ?? '')).join('\t')).join('\n');
      text = `${t.columns.map((c) => c.header).join('\t')}\n${plain}\n`;
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
  await printList(io, {}, t.rows, t.columns.map((c) => ({ header: c.header, cell: (r: Record<string, string | number | null>) => r[c.key] })), (r) => r, 'No rows.');
}

/** Plain text with aligned columns (an email body, the inbox): readable without a terminal. */
export function toText(t: Tabular & { title?: string; period?: { label: string } | null }, empty = 'No rows.'): string {
  const head = [t.title, t.period?.label ? `(${t.period.label})` : ''].filter(Boolean).join(' ');
  const cells = [t.columns.map((c) => c.header), ...t.rows.map((r) => t.columns.map((c) => String(r[c.key] ?? '')))];
  const widths = t.columns.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
  const lines = t.rows.length === 0 ? [empty] : cells.map((row) => row.map((v, i) => (i === row.length - 1 ? v : v.padEnd(widths[i]!))).join('  ').trimEnd());
  return [...(head ? [head] : []), ...lines].join('\n');
}
