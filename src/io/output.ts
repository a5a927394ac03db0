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
  /** The page asked for (as parsed or as typed): a full page gets a hint (TTY only) that more may follow. */
  limit?: number | string;
  offset?: number | string;
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
  if (opts.limit !== undefined && rows.length === Number(opts.limit)) {
    io.hint(`Showing ${rows.length}; there may be more: add --offset ${Number(opts.offset ?? 0) + rows.length} or raise --limit.`);
  }
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
