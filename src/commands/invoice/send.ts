import type { Command } from 'commander';
import { printJson } from '../../io/output.js';
import { sendInvoice } from '../../services/orders/send.js';
import { collect, examples, outputFlags, type Register } from '../shared.js';
import { orderJson } from '../order/render.js';

export const registerInvoiceSend: Register = (parent, context) => {
  outputFlags(
    parent.command('send').description('email an invoice with its PDF to the customer (queued; the daemon delivers it)').addHelpText('after', examples(
      'crm invoice send INV-2026-0001',
      'crm invoice send INV-2026-0001 --to rui@sousa.example --cc accounts@sousa.example --message "As agreed on the phone."',
      'crm invoice send 7 --dry-run',
    )).argument('<invoice>', 'invoice number, or order id')
      .option('--to <email>', "the lead's other address, or a contact person's address or name (default: the lead's first email)")
      .option('--cc <emails>', 'copy to (repeatable or comma-separated)', collect)
      .option('--message <text>', 'a note to the customer, before the invoice summary')
      .option('--dry-run', 'show the email it would queue; send nothing'),
  ).action(async (ref: string, opts: { to?: string; cc?: string[]; message?: string; dryRun?: boolean; json?: boolean }, c: Command) => {
    const ctx = context(c);
    const r = await sendInvoice(await ctx.services(), ref, { to: opts.to, cc: opts.cc, message: opts.message, dryRun: opts.dryRun });
    if (opts.json) {
      return printJson(ctx.io, {
        invoice: r.order.invoiceNumber, dryRun: r.dryRun, to: r.to, cc: r.cc, subject: r.subject, text: r.text,
        attachment: { filename: r.filename, bytes: r.bytes }, outboxKey: r.outboxKey ?? null, order: orderJson(r.order),
      });
    }
    const copy = r.cc.length ? ` (cc ${r.cc.join(', ')})` : '';
    if (r.dryRun) {
      ctx.io.out(`Would send invoice ${r.order.invoiceNumber} to ${r.to}${copy}: "${r.subject}" with ${r.filename} (${r.bytes} bytes)\n\n${r.text.trimEnd()}`);
      return;
    }
    ctx.io.out(`Queued invoice ${r.order.invoiceNumber} to ${r.to}${copy} with ${r.filename}; the daemon sends it (crm outbox list to follow it)`);
  });
};
