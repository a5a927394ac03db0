import type { Command } from 'commander';
import { formatMoney } from '../../io/format.js';
import { printJson } from '../../io/output.js';
import { editProduct } from '../../services/orders/products.js';
import { examples, outputFlags, type Register } from '../shared.js';
import { productJson } from '../order/render.js';

export const registerProductEdit: Register = (parent, context) => {
  outputFlags(
    parent.command('edit').description('change a product (orders already made keep their lines)').addHelpText('after', examples('crm product edit Widget --price 21.50', 'crm product edit Widget --inactive'))
      .argument('<product>', 'name or id')
      .option('--name <name>', 'new name')
      .option('--price <amount>', 'new unit price')
      .option('--currency <code>', 'new currency (with --price)')
      .option('--tax <pct>', 'new tax rate in %')
      .option('--inclusive', 'the price includes the tax')
      .option('--exclusive', 'the tax comes on top of the price')
      .option('--inactive', 'no longer sold (kept for old orders)')
      .option('--active', 'sold again'),
  ).action(async (ref: string, opts: { name?: string; price?: string; currency?: string; tax?: string; inclusive?: boolean; exclusive?: boolean; inactive?: boolean; active?: boolean; json?: boolean }, c: Command) => {
    const ctx = context(c);
    const p = await editProduct(await ctx.services(), ref, {
      name: opts.name, price: opts.price, currency: opts.currency, tax: opts.tax,
      inclusive: opts.inclusive ? true : opts.exclusive ? false : undefined, active: opts.active ? true : opts.inactive ? false : undefined,
    });
    if (opts.json) printJson(ctx.io, productJson(p));
    else ctx.io.out(`Product ${p.name} (${p.id}): ${formatMoney(p.unitPriceMinor, p.currency)}, tax ${p.taxPct}%${p.taxInclusive ? ' included' : ''}${p.active ? '' : ', inactive'}`);
  });
};
