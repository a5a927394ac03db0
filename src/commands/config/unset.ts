import { printJson } from '../../io/output.js';
import { unsetPersonalSetting } from '../../services/settings/personal.js';
import { unsetSetting } from '../../services/settings/service.js';
import { outputFlags, type Register, examples } from '../shared.js';
import { settingJson } from './render.js';

export const registerConfigUnset: Register = (parent, context) => {
  const cmd = parent
    .command('unset')
    .description('put a team setting back to its default (admins only), or with --mine remove one of your personal settings')
    .argument('<key>')
    .option('--mine', 'your personal setting: the team or machine value applies again')
    .addHelpText('after', examples('crm config unset --mine timezone', 'crm config unset --mine board.filter', 'crm config unset date-order'));
  outputFlags(cmd).action(async (key: string, opts: { mine?: boolean; json?: boolean }, c) => {
    const ctx = context(c);
    const svc = await ctx.services();
    if (opts.mine) {
      await unsetPersonalSetting(svc, key);
      if (opts.json) printJson(ctx.io, settingJson(key, ''));
      else ctx.io.out(`your ${key} is unset`);
      return;
    }
    const value = await unsetSetting(svc, key);
    if (opts.json) printJson(ctx.io, settingJson(key, value));
    else ctx.io.out(`${key} = ${value} (default)`);
  });
};
