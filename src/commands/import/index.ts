import { formatTimestamp } from '../../io/format.js';
import { printJson, printList, printRecord } from '../../io/output.js';
import { listImports, showImport, type ImportView } from '../../services/import/service.js';
import { parseId } from '../../services/leads/normalize.js';
import { outputFlags, type Register } from '../shared.js';

/** The stable --json shape of an import (docs/json.md). */
export function importJson(r: ImportView) {
  return {
    id: r.id, file: r.file, contentHash: r.contentHash, bytes: r.bytes, status: r.status, pid: r.pid, user: r.user, startedAt: r.startedAt,
    finishedAt: r.finishedAt, lastLine: r.lastLine,
    counts: { rows: r.rows, imported: r.imported, junk: r.junk, reengaged: r.reengaged, updated: r.updated, merged: r.merged, skipped: r.skipped, rejected: r.rejected },
    rejectsFile: r.rejectsFile, options: r.options,
  };
}

export const registerImport: Register = (program, context) => {
  const imp = program.command('import').description('bulk imports: who imported what, when, with what counts (run one with crm lead import)');
  const list = imp.command('list').alias('ls').description('list imports, newest first').option('--limit <n>', 'at most n', '50');
  outputFlags(list, { quiet: true }).action(async (opts: { limit: string; json?: boolean; quiet?: boolean }, c) => {
    const ctx = context(c);
    const rows = await listImports(await ctx.services(), Number(opts.limit) || 50);
    await printList(
      ctx.io, opts, rows,
      [
        { header: 'ID', cell: (r) => r.id },
        { header: 'STARTED', cell: (r) => formatTimestamp(r.startedAt, ctx.timeZone) },
        { header: 'BY', cell: (r) => r.user },
        { header: 'STATUS', cell: (r) => r.status },
        { header: 'ROWS', cell: (r) => r.rows },
        { header: 'IMPORTED', cell: (r) => r.imported },
        { header: 'SKIPPED', cell: (r) => r.skipped },
        { header: 'REJECTED', cell: (r) => r.rejected },
        { header: 'FILE', cell: (r) => r.file },
      ],
      importJson,
      'No imports yet. Run one with crm lead import FILE.',
    );
  });
  const show = imp.command('show').argument('<id>', 'import id').description('show one import: file, options, counts, reject file');
  outputFlags(show).action(async (id: string, opts: { json?: boolean }, c) => {
    const ctx = context(c);
    const r = await showImport(await ctx.services(), parseId(id, 'import'));
    if (opts.json) {
      printJson(ctx.io, importJson(r));
      return;
    }
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
      ['reject file', r.rejectsFile],
      ['on duplicate', String(o.onDuplicate ?? '')],
      ['encoding', String(o.encoding ?? '')],
      ['delimiter', o.delimiter === '\t' ? 'tab' : String(o.delimiter ?? '')],
      ['mapping', Array.isArray(o.map) && o.map.length ? o.map.join(', ') : null],
    ]);
  });
};
