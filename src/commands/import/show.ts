import { printJson } from '../../io/output.js';
import { showImport } from '../../services/import/service.js';
import { parseId } from '../../services/leads/normalize.js';
import { examples, outputFlags, type Register } from '../shared.js';
import { importJson, printImport } from './render.js';

export const registerImportShow: Register = (imp, context) => {
  const cmd = imp.command('show').argument('<id>', 'import id').description('show one import: file, options, counts, reject file').addHelpText('after', examples('crm import show 3', 'crm import show 3 --json'));
  outputFlags(cmd).action(async (id: string, opts: { json?: boolean }, c) => {
    const ctx = context(c);
    const r = await showImport(await ctx.services(), parseId(id, 'import'));
    if (opts.json) printJson(ctx.io, importJson(r));
    else await printImport(ctx, r);
  });
};
