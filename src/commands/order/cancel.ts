import type { Command } from 'commander';
import { printJson } from '../../io/output.js';
import { parseId } from '../../services/leads/normalize.js';
import { cancelOrder } from '../../services/orders/service.js';
import { examples, outputFlags, type Register } from '../shared.js';
import { orderJson } from './render.js';

export const registerOrderCancel: Register = (parent, context) => {
  outputFlags(
    parent.command('cancel').description('cancel a draft or an unpaid invoice (--rejected: the customer refused it); its number stays taken').addHelpText('after', examples('crm order cancel 7 --reason "ordered twice"', 'crm order cancel 7 --rejected --reason "price too high"')).argument('<id>')
      .option('--rejected', 'the customer rejected it (status rejected, not cancelled)')
      .option('--reason <text>', 'why, on the timeline'),
  ).action(async (raw: string, opts: { rejected?: boolean; reason?: string; json?: boolean }, c: Command) => {
    const ctx = context(c);
    const o = await cancelOrder(await ctx.services(), parseId(raw, 'order'), { rejected: opts.rejected, reason: opts.reason });
    if (opts.json) printJson(ctx.io, orderJson(o));
    else ctx.io.out(`Order ${o.id} ${o.status}${o.invoiceNumber ? ` (invoice ${o.invoiceNumber})` : ''}`);
  });
};
