import type { Command } from 'commander';
import { printJson } from '../../io/output.js';
import { invoicePdf } from '../../services/orders/invoice-pdf.js';
import { writeDocument } from '../pdf-output.js';
import { examples, outputFlags, type Register } from '../shared.js';

export const registerInvoicePdf: Register = (parent, context) => {
  outputFlags(
    parent.command('pdf').description("write an invoice's PDF (billed, partially paid or paid invoices)").addHelpText('after', examples('crm invoice pdf INV-2026-0001', 'crm invoice pdf 7 -o invoice.pdf', 'crm invoice pdf INV-2026-0001 -o - | lpr')).argument('<invoice>', 'invoice number, or order id')
      .option('-o, --output <file>', 'where to write it (default: the invoice number .pdf in this folder; - for stdout)'),
  ).action(async (ref: string, opts: { output?: string; json?: boolean }, c: Command) => {
    const ctx = context(c);
    const r = await invoicePdf(await ctx.services(), ref);
    const file = writeDocument(ctx.io, r.pdf, opts.output, r.filename, !!opts.json);
    if (file === null) return;
    if (opts.json) printJson(ctx.io, { file, bytes: r.pdf.length, invoice: r.order.invoiceNumber, orderId: r.order.id, status: r.order.status });
    else ctx.io.out(`Wrote ${file} (invoice ${r.order.invoiceNumber}, ${r.pdf.length} bytes)`);
  });
};
