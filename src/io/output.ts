import { styleText } from 'node:util';
import type { IO } from './streams.js';
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
  if (opts.json) {
    io.out(jsonText(rows.map(toJson)));
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
  if (!io.isStdoutTTY) {
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
  for await (const rows of pages) {
    if (!rows.length) continue;
    if (opts.json) {
      const body = rows.map((r) => jsonText(toJson(r)).replace(/^/gm, '  ')).join(',\n');
      await write(io, `${printed === 0 ? '[\n' : ',\n'}${body}`);
    } else if (opts.quiet) {
      await write(io, `${rows.map((r) => String(r.id)).join('\n')}\n`);
    } else if (!io.isStdoutTTY) {
      await write(io, `${rows.map((r) => columns.map((c) => clean(c.cell(r))).join('\t')).join('\n')}\n`);
    } else {
      await printList(io, { ...opts, footer: undefined }, rows, columns, toJson, emptyMessage);
    }
    printed += rows.length;
  }
  if (opts.json) await write(io, printed === 0 ? '[]\n' : '\n]\n');
  else if (printed === 0 && !opts.quiet) io.hint(emptyMessage);
  return printed;
}
