import type { Command } from 'commander';
import { formatMoney } from '../../io/format.js';
import { printJson } from '../../io/output.js';
import { payInvoice } from '../../services/orders/service.js';
import { examples, outputFlags, type Register } from '../shared.js';
import { orderJson, paymentJson } from '../order/render.js';

export const registerInvoicePay: Register = (parent, context) => {
  outputFlags(
    parent.command('pay').description('record a payment against an invoice (default: the whole balance, today)').addHelpText('after', examples(
      'crm invoice pay INV-2026-0001',
      'crm invoice pay INV-2026-0001 --amount 100 --date 2026-11-20 --method card',
    )).argument('<invoice>', 'invoice number, or order id')
      .option('--amount <amount>', "in the invoice's currency (at most the balance)")
      .option('--date <date>', 'day it was paid, YYYY-MM-DD (default: today)')
      .option('--method <text>', 'how: bank transfer, card, cash, cheque… (default: bank transfer)')
      .option('--note <text>', 'a reference, e.g. the bank transaction'),
  ).action(async (ref: string, opts: { amount?: string; date?: string; method?: string; note?: string; json?: boolean }, c: Command) => {
    const ctx = context(c);
    const r = await payInvoice(await ctx.services(), ref, opts);
    const o = r.order;
    if (opts.json) printJson(ctx.io, { ...orderJson(o), payment: paymentJson(r.payment, o.currency) });
    else ctx.io.out(`Recorded ${formatMoney(r.payment.amountMinor, o.currency)} for invoice ${o.invoiceNumber}: ${o.status === 'paid' ? 'paid in full' : `${formatMoney(o.totalMinor - o.paidMinor, o.currency)} still due`}`);
  });
};
