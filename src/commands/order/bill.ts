import type { Command } from 'commander';
import { formatMoney } from '../../io/format.js';
import { printJson } from '../../io/output.js';
import { parseId } from '../../services/leads/normalize.js';
import { billOrder } from '../../services/orders/service.js';
import { examples, outputFlags, type Register } from '../shared.js';
import { orderJson } from './render.js';

export const registerOrderBill: Register = (parent, context) => {
  outputFlags(
    parent.command('bill').description('bill a draft order: it becomes an invoice with the next invoice number').addHelpText('after', examples('crm order bill 7', 'crm order bill 7 --due 2026-12-31')).argument('<id>')
      .option('--due <date>', 'last day to pay, YYYY-MM-DD (default: today + invoice.due-days)'),
    { quiet: true },
  ).action(async (raw: string, opts: { due?: string; json?: boolean; quiet?: boolean }, c: Command) => {
    const ctx = context(c);
    const o = await billOrder(await ctx.services(), parseId(raw, 'order'), { dueOn: opts.due });
    if (opts.json) printJson(ctx.io, orderJson(o));
    else if (opts.quiet) ctx.io.out(o.invoiceNumber!);
    else ctx.io.out(`Billed order ${o.id}: invoice ${o.invoiceNumber}, ${formatMoney(o.totalMinor, o.currency)}, due ${o.dueOn}`);
  });
};
