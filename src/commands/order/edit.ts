import type { Command } from 'commander';
import { formatMoney } from '../../io/format.js';
import { printJson } from '../../io/output.js';
import { parseId } from '../../services/leads/normalize.js';
import { editOrder } from '../../services/orders/service.js';
import { examples, outputFlags, repeat, type Register } from '../shared.js';
import { ITEM_HELP, PRODUCT_HELP } from './add.js';
import { orderJson } from './render.js';

export const registerOrderEdit: Register = (parent, context) => {
  outputFlags(
    parent.command('edit').description("change a draft order: its title, or all its lines (the lines given replace the old ones)").addHelpText('after', examples(
      'crm order edit 7 --title "Office fit-out, phase 1"',
      'crm order edit 7 --product Widget --item "Delivery; price=30"',
    )).argument('<id>')
      .option('--item <line>', ITEM_HELP, repeat)
      .option('--product <line>', PRODUCT_HELP, repeat)
      .option('--title <text>', 'the new title'),
  ).action(async (raw: string, opts: { item?: string[]; product?: string[]; title?: string; json?: boolean }, c: Command) => {
    const ctx = context(c);
    const o = await editOrder(await ctx.services(), parseId(raw, 'order'), { items: opts.item, products: opts.product, title: opts.title });
    if (opts.json) printJson(ctx.io, orderJson(o));
    else ctx.io.out(`Order ${o.id}: ${o.title}, ${o.items.length} line(s), ${formatMoney(o.totalMinor, o.currency)}`);
  });
};
