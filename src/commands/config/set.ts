import { printJson } from '../../io/output.js';
import { setPersonalSetting } from '../../services/settings/personal.js';
import { setSetting } from '../../services/settings/service.js';
import { outputFlags, type Register, examples } from '../shared.js';
import { settingJson } from './render.js';

export const registerConfigSet: Register = (parent, context) => {
  const cmd = parent
    .command('set')
    .description('change a team setting (admins only), or with --mine one of your personal settings (anyone)')
    .argument('<key>')
    .argument('<value>')
    .option('--mine', 'your personal setting, kept in the store for you alone: timezone, date-order, board.filter, call.identity')
    .addHelpText('after', examples('crm config set currency INR', 'crm config set --mine timezone Europe/Lisbon', 'crm config set --mine board.filter "mine tag=hot"'));
  outputFlags(cmd).action(async (key: string, raw: string, opts: { mine?: boolean; json?: boolean }, c) => {
    const ctx = context(c);
    const value = opts.mine ? await setPersonalSetting(await ctx.services(), key, raw) : await setSetting(await ctx.services(), key, raw);
    if (opts.json) printJson(ctx.io, settingJson(key, value));
    else ctx.io.out(`${opts.mine ? 'your ' : ''}${key} = ${value}`);
  });
};
