import type { Context } from '../../context.js';
import { formatTimestamp } from '../../io/format.js';
import { printRecord, type Column } from '../../io/output.js';
import type { ImportView } from '../../services/import/service.js';

/** The stable --json shape of an import (docs/json.md). */
export function importJson(r: ImportView) {
  return {
    id: r.id, file: r.file, contentHash: r.contentHash, bytes: r.bytes, status: r.status, pid: r.pid, user: r.user, startedAt: r.startedAt,
    finishedAt: r.finishedAt, lastLine: r.lastLine,
    counts: { rows: r.rows, imported: r.imported, junk: r.junk, reengaged: r.reengaged, updated: r.updated, merged: r.merged, skipped: r.skipped, rejected: r.rejected, suppressed: r.suppressed },
    rejectsFile: r.rejectsFile, options: r.options,
  };
}

/** The list's columns; times in the team's zone. */
export const importColumns = (timeZone: string | undefined): Column<ImportView>[] => [
  { header: 'ID', cell: (r) => r.id },
  { header: 'STARTED', cell: (r) => formatTimestamp(r.startedAt, timeZone) },
  { header: 'BY', cell: (r) => r.user },
  { header: 'STATUS', cell: (r) => r.status },
  { header: 'ROWS', cell: (r) => r.rows },
  { header: 'IMPORTED', cell: (r) => r.imported },
  { header: 'SKIPPED', cell: (r) => r.skipped },
  { header: 'REJECTED', cell: (r) => r.rejected },
  { header: 'FILE', cell: (r) => r.file },
];

export async function printImport(ctx: Context, r: ImportView): Promise<void> {
  const o = r.options;
  await printRecord(ctx.io, `Import ${r.id}: ${r.file}`, [
    ['status', r.status === 'running' ? `running (pid ${r.pid})` : r.status === 'interrupted' ? 'interrupted: run the same import again to finish it' : r.status],
    ['by', r.user],
    ['started', formatTimestamp(r.startedAt, ctx.timeZone)],
    ['finished', r.finishedAt && formatTimestamp(r.finishedAt, ctx.timeZone)],
    ['bytes', r.bytes.toLocaleString('en')],
    ['sha256', r.contentHash],
    ['last line applied', r.lastLine],
    ['rows', r.rows],
    ['imported', `${r.imported}${r.junk ? ` (${r.junk} as junk)` : ''}`],
    ['re-engaged', r.reengaged],
    ['updated', r.updated],
    ['merged', r.merged],
    ['skipped', r.skipped],
    ['rejected', r.rejected],
    ['suppressed', r.suppressed || null],
    ['reject file', r.rejectsFile],
    ['on duplicate', String(o.onDuplicate ?? '')],
    ['encoding', String(o.encoding ?? '')],
    ['delimiter', o.delimiter === '\t' ? 'tab' : String(o.delimiter ?? '')],
    ['mapping', Array.isArray(o.map) && o.map.length ? o.map.join(', ') : null],
  ]);
}
