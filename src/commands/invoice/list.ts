import type { Command } from 'commander';
import type { Order } from '../../domain/orders.js';
import { printList } from '../../io/output.js';
import { MAX_LIST_ROWS, parseId } from '../../services/leads/normalize.js';
import { listOrders } from '../../services/orders/service.js';
import { examples, outputFlags, pageFlags, pageOf, pageRows, type Register } from '../shared.js';
import { invoiceColumns, orderJson } from '../order/render.js';

export const registerInvoiceList: Register = (parent, context) => {
  outputFlags(
    pageFlags(parent.command('list').alias('ls').description('invoices (billed orders), newest first').addHelpText('after', examples('crm invoice list --status billed,partially-paid', 'crm invoice list --lead 12'))
      .option('--status <status>', 'billed, partially-paid, paid, rejected, cancelled (comma-separated)')
      .option('--lead <id>', 'of this lead')
      , 100, 'invoices'),
    { quiet: true, list: true },
  ).action(async (opts: { status?: string; lead?: string; limit?: string; all?: boolean; json?: boolean; quiet?: boolean }, c: Command) => {
    const ctx = context(c);
    const page = pageOf(opts, ctx.io.isStdoutTTY, 100);
    const limit = page.limit === undefined ? MAX_LIST_ROWS : page.limit + (page.paged ? 1 : 0);
    const rows = await listOrders(await ctx.services(), { status: opts.status, lead: opts.lead === undefined ? undefined : parseId(opts.lead, 'lead'), invoiced: true, limit });
    // -q prints the invoice numbers.
    const shown = pageRows(rows.map((o) => ({ id: o.invoiceNumber!, order: o })), page);
    await printList(ctx.io, { ...opts, footer: shown.footer }, shown.rows, invoiceColumns.map((col) => ({ ...col, cell: (r: { order: Order }) => col.cell(r.order) })), (r) => orderJson(r.order), 'No invoices (crm order bill ID bills an order).');
  });
};
