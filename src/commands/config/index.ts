import { printJson, printList } from '../../io/output.js';
import { getSetting, listSettings, setSetting } from '../../services/settings/service.js';
import { outputFlags, type Register } from '../shared.js';

export const registerConfig: Register = (program, context) => {
  const config = program.command('config').description('team settings stored in the store (currency, phone region, junk rules)');
  outputFlags(config.command('list').alias('ls').description('list settings with their values')).action(async (opts: { json?: boolean }, c) => {
    const ctx = context(c);
    const rows = await listSettings(await ctx.services());
    if (opts.json) printJson(ctx.io, Object.fromEntries(rows.map((r) => [r.key, r.value])));
    else await printList(ctx.io, {}, rows.map((r) => ({ ...r, id: r.key })), [
      { header: 'KEY', cell: (r) => r.key },
      { header: 'VALUE', cell: (r) => r.value },
      { header: 'MEANING', cell: (r) => r.description },
    ], (r) => r);
  });
  outputFlags(config.command('get').description('print one setting').argument('<key>')).action(async (key: string, opts: { json?: boolean }, c) => {
    const ctx = context(c);
    const value = await getSetting(await ctx.services(), key);
    if (opts.json) printJson(ctx.io, { key, value });
    else ctx.io.out(value);
  });
  outputFlags(config.command('set').description('change a setting (admins only)').argument('<key>').argument('<value>')).action(async (key: string, raw: string, opts: { json?: boolean }, c) => {
    const ctx = context(c);
    const value = await setSetting(await ctx.services(), key, raw);
    if (opts.json) printJson(ctx.io, { key, value });
    else ctx.io.out(`${key} = ${value}`);
  });
};
