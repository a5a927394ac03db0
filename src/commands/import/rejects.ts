import { rejectsOf } from '../../services/import/service.js';
import { parseId } from '../../services/leads/normalize.js';
import { examples, outputFlags, type Register } from '../shared.js';
import { runImport, type Options } from '../lead/import.js';

const strings = (v: unknown): string[] | undefined => (Array.isArray(v) && v.length ? v.map(String) : undefined);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

export const registerImportRejects: Register = (imp, context) => {
  const cmd = imp
    .command('rejects')
    .argument('<id>', 'import id')
    .description("import an import's reject file again, after fixing its rows, with the options that import ran with").addHelpText('after', examples('crm import rejects 3 --dry-run', 'crm import rejects 3 --on-duplicate update'))
    .option('--on-duplicate <policy>', 'skip | update | merge | create (default: what the import used)')
    .option('--dry-run', 'show what would happen; write nothing');
  outputFlags(cmd).action(async (id: string, opts: { onDuplicate?: string; dryRun?: boolean; json?: boolean }, c) => {
    const ctx = context(c);
    const { file, options: o } = await rejectsOf(await ctx.services(), parseId(id, 'import'));
    const flags: Options = {
      map: strings(o.map), onDuplicate: opts.onDuplicate ?? text(o.onDuplicate), source: text(o.source), stage: text(o.stage), assign: text(o.assign),
      tag: strings(o.tags), ignoreUnknown: Boolean(o.ignoreUnknown), strict: Boolean(o.strict), mapValues: strings(o.mapValues), mapping: text(o.mapping),
      dateFormat: text(o.dateFormat), region: text(o.region), dryRun: opts.dryRun, json: opts.json, encoding: 'auto', delimiter: 'auto', decimal: o.decimalComma ? 'comma' : 'auto',
    };
    await runImport(ctx, file, flags);
  });
};
