import { printJson, printList } from '../../io/output.js';
import { listPersonalSettings } from '../../services/settings/personal.js';
import { listSettings } from '../../services/settings/service.js';
import { outputFlags, type Register, examples } from '../shared.js';
import { settingColumns } from './render.js';

export const registerConfigList: Register = (parent, context) => {
  const cmd = parent
    .command('list')
    .alias('ls')
    .description('list settings with their values (--mine: your personal settings)')
    .option('--mine', 'your personal settings (empty: not set, the team or machine value applies)')
    .addHelpText('after', examples('crm config list', 'crm config list --mine', 'crm config list --json'));
  outputFlags(cmd, { list: true }).action(async (opts: { mine?: boolean; json?: boolean }, c) => {
    const ctx = context(c);
    const svc = await ctx.services();
    const rows = opts.mine ? await listPersonalSettings(svc) : await listSettings(svc);
    if (opts.json) printJson(ctx.io, Object.fromEntries(rows.map((r) => [r.key, r.value])));
    else await printList(ctx.io, {}, rows.map((r) => ({ ...r, id: r.key })), settingColumns, (r) => r);
  });
};
