import type { Command } from 'commander';
import { printList } from '../../io/output.js';
import { listProducts } from '../../services/orders/products.js';
import { examples, outputFlags, type Register } from '../shared.js';
import { productColumns, productJson } from '../order/render.js';

export const registerProductList: Register = (parent, context) => {
  outputFlags(
    parent.command('list').alias('ls').description('the product catalogue, by name').addHelpText('after', examples('crm product list', 'crm product list --all --json'))
      .option('--all', 'inactive products too'),
    { quiet: true, list: true },
  ).action(async (opts: { all?: boolean; json?: boolean; quiet?: boolean }, c: Command) => {
    const ctx = context(c);
    await printList(ctx.io, opts, await listProducts(await ctx.services(), Boolean(opts.all)), productColumns, productJson, 'No products (crm product add --name NAME --price AMOUNT).');
  });
};
