import { examples, type Register } from '../shared.js';
import { registerInvoiceList } from './list.js';
import { registerInvoicePay } from './pay.js';
import { registerInvoicePdf } from './pdf.js';
import { registerInvoiceSend } from './send.js';
import { registerInvoiceShow } from './show.js';

export const registerInvoice: Register = (program, context) => {
  const invoice = program.command('invoice').description('invoices (billed orders): list, show, record payments, PDF, send by email').addHelpText('after', examples('crm invoice list --status billed', 'crm invoice pay INV-2026-0001 --amount 100 --method card'));
  for (const r of [registerInvoiceList, registerInvoiceShow, registerInvoicePay, registerInvoicePdf, registerInvoiceSend]) r(invoice, context);
};
