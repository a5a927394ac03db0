import { parseCount } from '../../services/leads/normalize.js';
import { printList } from '../../io/output.js';
import { listImports } from '../../services/import/service.js';
import { outputFlags, type Register } from '../shared.js';
import { importColumns, importJson } from './render.js';

export const registerImportList: Register = (imp, context) => {
  const cmd = imp.command('list').alias('ls').description('list imports, newest first').option('--limit <n>', 'at most n', '50');
  outputFlags(cmd, { quiet: true }).action(async (opts: { limit: string; json?: boolean; quiet?: boolean }, c) => {
    const ctx = context(c);
    const rows = await listImports(await ctx.services(), parseCount(opts.limit, '--limit', 1));
    await printList(ctx.io, opts, rows, importColumns(ctx.timeZone), importJson, 'No imports yet. Run one with crm lead import FILE.');
  });
};
