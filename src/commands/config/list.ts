import { printJson, printList } from '../../io/output.js';
import { listSettings } from '../../services/settings/service.js';
import { outputFlags, type Register } from '../shared.js';
import { settingColumns } from './render.js';

export const registerConfigList: Register = (parent, context) => {
  const cmd = parent.command('list').alias('ls').description('list settings with their values');
  outputFlags(cmd, { list: true }).action(async (opts: { json?: boolean }, c) => {
    const ctx = context(c);
    const rows = await listSettings(await ctx.services());
    if (opts.json) printJson(ctx.io, Object.fromEntries(rows.map((r) => [r.key, r.value])));
    else await printList(ctx.io, {}, rows.map((r) => ({ ...r, id: r.key })), settingColumns, (r) => r);
  });
};
