import { printJson } from '../../io/output.js';
import { setSetting } from '../../services/settings/service.js';
import { outputFlags, type Register } from '../shared.js';
import { settingJson } from './render.js';

export const registerConfigSet: Register = (parent, context) => {
  const cmd = parent.command('set').description('change a setting (admins only)').argument('<key>').argument('<value>');
  outputFlags(cmd).action(async (key: string, raw: string, opts: { json?: boolean }, c) => {
    const ctx = context(c);
    const value = await setSetting(await ctx.services(), key, raw);
    if (opts.json) printJson(ctx.io, settingJson(key, value));
    else ctx.io.out(`${key} = ${value}`);
  });
};
