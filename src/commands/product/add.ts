import type { Command } from 'commander';
import { formatMoney } from '../../io/format.js';
import { printJson } from '../../io/output.js';
import { addProduct } from '../../services/orders/products.js';
import { examples, outputFlags, type Register } from '../shared.js';
import { productJson } from '../order/render.js';

export const registerProductAdd: Register = (parent, context) => {
  outputFlags(
    parent.command('add').description('add a product to the catalogue order lines are picked from').addHelpText('after', examples('crm product add --name Widget --price 19.99 --tax 23', 'crm product add --name "Support hour" --price 40 --currency EUR --tax 23 --inclusive'))
      .option('--name <name>', 'its name, unique')
      .option('--price <amount>', 'unit price')
      .option('--currency <code>', 'ISO 4217 (default: the currency setting)')
      .option('--tax <pct>', 'tax rate in % (default 0)')
      .option('--inclusive', 'the price includes the tax'),
  ).action(async (opts: { name?: string; price?: string; currency?: string; tax?: string; inclusive?: boolean; json?: boolean }, c: Command) => {
    const ctx = context(c);
    const p = await addProduct(await ctx.services(), opts);
    if (opts.json) printJson(ctx.io, productJson(p));
    else ctx.io.out(`Added product ${p.name} (${p.id}): ${formatMoney(p.unitPriceMinor, p.currency)}, tax ${p.taxPct}%${p.taxInclusive ? ' included' : ''}`);
  });
};
