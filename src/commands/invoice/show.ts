import type { Command } from 'commander';
import { printJson, printRecord } from '../../io/output.js';
import { showInvoice } from '../../services/orders/service.js';
import { examples, outputFlags, type Register } from '../shared.js';
import { viewJson, viewLines } from '../order/render.js';

export const registerInvoiceShow: Register = (parent, context) => {
  outputFlags(parent.command('show').description('an invoice (by its number or its order id): lines, taxes, payments, balance').addHelpText('after', examples('crm invoice show INV-2026-0001', 'crm invoice show 7 --json')).argument('<invoice>', 'invoice number, or order id'))
    .action(async (ref: string, opts: { json?: boolean }, c: Command) => {
      const ctx = context(c);
      const v = await showInvoice(await ctx.services(), ref);
      if (opts.json) return printJson(ctx.io, viewJson(v));
      const t = viewLines(v);
      await printRecord(ctx.io, t.title, t.fields);
      for (const l of t.lines) ctx.io.out(l);
    });
};
