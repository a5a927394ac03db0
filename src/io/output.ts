import { styleText } from 'node:util';
import type { IO } from './streams.js';
import { UsageError } from '../errors.js';
import { csvCell } from './csv.js';
import { jsonText, visible, visibleCell } from './visible.js';

export { jsonText, visible, visibleCell };

/** A column of a list: header, how to get the cell for humans and for TSV. */
export interface Column<T> {
  header: string;
  cell: (row: T) => string | number | null | undefined;
}

export interface OutputOptions {
  json?: boolean;
  quiet?: boolean;
  /** --format: table | tsv | csv | json (lists); unset: a table on a terminal, TSV without a header when piped. */
  format?: string;
  /**
   * Printed under the table on a terminal when the list was cut to a page (the command's words:
   * how many of how many, and the flags that show the rest). Never printed piped or as JSON.
   */
  footer?: string;
}

/**
 * Prints a list the way its reader wants it: JSON (stdout only), ids only (-q),
 * a table on a TTY, tab-separated values with ids first when piped (no header, like gh).
 */
export async function printList<T extends { id?: number | string }>(
  io: IO,
  opts: OutputOptions,
  rows: T[],
  columns: Column<T>[],
  toJson: (row: T) => unknown,
  emptyMessage = 'No results.',
): Promise<void> {
  const format = listFormat(opts);
  if (format === 'json') {
    io.out(jsonText(rows.map(toJson)));
    return;
  }
  if (format === 'tsv' || format === 'csv') {
    io.out(delimited(columns, rows, format, true));
    return;
  }
  if (opts.quiet) {
    for (const r of rows) io.out(String(r.id));
    return;
  }
  if (rows.length === 0) {
    io.hint(emptyMessage);
    return;
  }
  const cells = rows.map((r) => columns.map((c) => clean(c.cell(r))));
  if (!io.isStdoutTTY && format !== 'table') {
    io.out(cells.map((line) => line.join('\t')).join('\n'));
    return;
  }
  const { default: Table } = await import('cli-table3');
  const style = styler(io);
  const table = new Table({
    head: columns.map((c) => style.bold(c.header)),
    style: { head: [], border: [] },
    chars: { top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '', left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '  ' },
    wordWrap: false,
  });
  for (const line of cells) table.push(line);
  io.out(table.toString());
  if (opts.footer) io.hint(opts.footer);
}

/** Key/value block for one record (show commands); title, keys and values are data, shown with controls escaped. */
export async function printRecord(io: IO, title: string, fields: [string, string | number | null | undefined][]): Promise<void> {
  const style = styler(io);
  const shown = fields.filter(([, v]) => v !== null && v !== undefined && v !== '').map(([k, v]) => [visibleCell(k), visible(String(v))] as const);
  const width = Math.max(...shown.map(([k]) => k.length));
  io.out(style.bold(visible(title)));
  for (const [k, v] of shown) io.out(`  ${style.dim(k.padEnd(width))}  ${v}`);
}

export function printJson(io: IO, value: unknown): void {
  io.out(jsonText(value));
}

export const LIST_FORMATS = ['table', 'tsv', 'csv', 'json'] as const;
export type ListFormat = (typeof LIST_FORMATS)[number];

/** The format a list is printed in: --json wins, then --format; undefined: the default. */
export function listFormat(opts: OutputOptions): ListFormat | undefined {
  if (opts.json) return 'json';
  if (opts.format === undefined) return undefined;
  const f = opts.format.trim().toLowerCase() as ListFormat;
  if (!LIST_FORMATS.includes(f)) throw new UsageError(`unknown format '${opts.format}'`, `use ${LIST_FORMATS.join(', ')}`);
  return f;
}

/** Rows as TSV (controls escaped, tabs and newlines in values made visible) or CSV (spreadsheet-safe cells), with a header line when asked. */
function delimited<T>(columns: Column<T>[], rows: T[], format: 'tsv' | 'csv', header: boolean): string {
  const cell = (v: string | number | null | undefined) => (format === 'csv' ? (typeof v === 'number' ? String(v) : csvCell(v ?? '')) : clean(v));
  const lines = rows.map((r) => columns.map((c) => cell(c.cell(r))).join(format === 'csv' ? ',' : '\t'));
  if (header) lines.unshift(columns.map((c) => cell(c.header)).join(format === 'csv' ? ',' : '\t'));
  return lines.join('\n');
}

function clean(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  return visibleCell(String(v));
}

type Style = 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan';

/** Colours through node:util's styleText; a no-op when colour is off (pipe, NO_COLOR, --no-color). */
export function styler(io: IO): Record<Style, (text: string) => string> {
  const make = (style: Style) => (text: string) => (io.color ? styleText(style, text) : text);
  return { bold: make('bold'), dim: make('dim'), red: make('red'), green: make('green'), yellow: make('yellow'), cyan: make('cyan') };
}

/** Writes to stdout and waits when the pipe is full (a slow reader never makes memory grow). */
async function write(io: IO, text: string): Promise<void> {
  if (!io.stdout.write(text)) await new Promise<void>((resolve) => io.stdout.once('drain', resolve));
}

/**
 * printList for pages that arrive one after another (every row of a large store, flat memory):
 * the same output as printList given all rows at once — one JSON array, ids, tab-separated
 * lines, or one table per page on a terminal. Returns how many rows were printed.
 */
export async function printStream<T extends { id?: number | string }>(
  io: IO,
  opts: OutputOptions,
  pages: AsyncIterable<T[]>,
  columns: Column<T>[],
  toJson: (row: T) => unknown,
  emptyMessage = 'No results.',
): Promise<number> {
  let printed = 0;
  const format = listFormat(opts);
  for await (const rows of pages) {
    if (!rows.length) continue;
    if (format === 'tsv' || format === 'csv') {
      await write(io, `${delimited(columns, rows, format, printed === 0)}\n`);
    } else if (format === 'json') {
      const body = rows.map((r) => jsonText(toJson(r)).replace(/^/gm, '  ')).join(',\n');
      await write(io, `${printed === 0 ? '[\n' : ',\n'}${body}`);
    } else if (opts.quiet) {
      await write(io, `${rows.map((r) => String(r.id)).join('\n')}\n`);
    } else if (!io.isStdoutTTY && format !== 'table') {
      await write(io, `${rows.map((r) => columns.map((c) => clean(c.cell(r))).join('\t')).join('\n')}\n`);
    } else {
      await printList(io, { ...opts, footer: undefined }, rows, columns, toJson, emptyMessage);
    }
    printed += rows.length;
  }
  if (format === 'json') await write(io, printed === 0 ? '[]\n' : '\n]\n');
  else if (printed === 0 && (format === 'tsv' || format === 'csv')) await write(io, `${delimited(columns, [], format, true)}\n`);
  else if (printed === 0 && !opts.quiet) io.hint(emptyMessage);
  return printed;
}
