import { printJson } from '../../io/output.js';
import { getSetting } from '../../services/settings/service.js';
import { outputFlags, type Register } from '../shared.js';
import { settingJson } from './render.js';

export const registerConfigGet: Register = (parent, context) => {
  const cmd = parent.command('get').description('print one setting').argument('<key>');
  outputFlags(cmd).action(async (key: string, opts: { json?: boolean }, c) => {
    const ctx = context(c);
    const value = await getSetting(await ctx.services(), key);
    if (opts.json) printJson(ctx.io, settingJson(key, value));
    else ctx.io.out(value);
  });
};
