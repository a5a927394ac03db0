import { printJson } from '../../io/output.js';
import { getPersonalSetting } from '../../services/settings/personal.js';
import { getSetting } from '../../services/settings/service.js';
import { outputFlags, type Register, examples } from '../shared.js';
import { settingJson } from './render.js';

export const registerConfigGet: Register = (parent, context) => {
  const cmd = parent
    .command('get')
    .description('print one setting (--mine: one of your personal settings)')
    .argument('<key>')
    .option('--mine', 'your personal setting (timezone, date-order, board.filter, call.identity); empty when unset')
    .addHelpText('after', examples('crm config get currency', 'crm config get --mine timezone', 'crm config get date-order --json'));
  outputFlags(cmd).action(async (key: string, opts: { mine?: boolean; json?: boolean }, c) => {
    const ctx = context(c);
    const svc = await ctx.services();
    const value = opts.mine ? await getPersonalSetting(svc, key) : await getSetting(svc, key);
    if (opts.json) printJson(ctx.io, settingJson(key, value));
    else ctx.io.out(value);
  });
};
