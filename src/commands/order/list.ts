import type { Command } from 'commander';
import { printList } from '../../io/output.js';
import { MAX_LIST_ROWS, parseId } from '../../services/leads/normalize.js';
import { listOrders } from '../../services/orders/service.js';
import { examples, outputFlags, pageFlags, pageOf, pageRows, type Register } from '../shared.js';
import { orderColumns, orderJson } from './render.js';

export const registerOrderList: Register = (parent, context) => {
  outputFlags(
    pageFlags(parent.command('list').alias('ls').description('orders, newest first').addHelpText('after', examples('crm order list --status draft', 'crm order list --lead 12 --json'))
      .option('--status <status>', 'draft, billed, partially-paid, paid, rejected, cancelled (comma-separated)')
      .option('--lead <id>', 'of this lead')
      , 100, 'orders'),
    { quiet: true, list: true },
  ).action(async (opts: { status?: string; lead?: string; limit?: string; all?: boolean; json?: boolean; quiet?: boolean }, c: Command) => {
    const ctx = context(c);
    const page = pageOf(opts, ctx.io.isStdoutTTY, 100);
    const limit = page.limit === undefined ? MAX_LIST_ROWS : page.limit + (page.paged ? 1 : 0);
    const shown = pageRows(await listOrders(await ctx.services(), { status: opts.status, lead: opts.lead === undefined ? undefined : parseId(opts.lead, 'lead'), limit }), page);
    await printList(ctx.io, { ...opts, footer: shown.footer }, shown.rows, orderColumns, orderJson, 'No orders (crm order add --lead ID --item …).');
  });
};
