import { printJson } from '../../io/output.js';
import { marketplaceStatus } from '../../services/intake/marketplace.js';
import { examples, outputFlags, type Register } from '../shared.js';
import { printMarketplaceStatus } from './render.js';

export const registerMarketplaceStatus: Register = (parent, context) => {
  const cmd = parent.command('status').description('configuration, last run, counts and last error').addHelpText('after', examples('crm marketplace status', 'crm marketplace status --json'));
  outputFlags(cmd).action(async (opts: { json?: boolean }, c) => {
    const ctx = context(c);
    const s = await marketplaceStatus(await ctx.services(), ctx.env);
    if (opts.json) return printJson(ctx.io, s);
    await printMarketplaceStatus(ctx.io, s);
  });
};
