import { MAX_LIST_ROWS } from '../../services/leads/normalize.js';
import { printList } from '../../io/output.js';
import { listImports } from '../../services/import/service.js';
import { examples, outputFlags, pageFlags, pageOf, pageRows, type Register } from '../shared.js';
import { importColumns, importJson } from './render.js';

export const registerImportList: Register = (imp, context) => {
  const cmd = pageFlags(imp.command('list').alias('ls').description('list imports, newest first').addHelpText('after', examples('crm import list', 'crm import list --limit 5 --json')), 50, 'imports');
  outputFlags(cmd, { quiet: true, list: true }).action(async (opts: { limit?: string; all?: boolean; json?: boolean; quiet?: boolean }, c) => {
    const ctx = context(c);
    const page = pageOf(opts, ctx.io.isStdoutTTY, 50);
    const shown = pageRows(await listImports(await ctx.services(), page.limit === undefined ? MAX_LIST_ROWS : page.limit + (page.paged ? 1 : 0)), page);
    await printList(ctx.io, { ...opts, footer: shown.footer }, shown.rows, importColumns(ctx.timeZone), importJson, 'No imports yet. Run one with crm lead import FILE.');
  });
};
