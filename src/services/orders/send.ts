/**
 * Sending an invoice to the customer (O1): one email through the outbox with the invoice's PDF
 * attached, as proposals are sent (the daemon delivers it, and drops it if the lead opts out of
 * email meanwhile). To the lead's first email address, or to another of the lead's addresses or a
 * contact person's. Each send is its own message (key invoice<order id>/send<n>), recorded on the
 * invoice (sent_at, send count) and on the lead's timeline.
 */
import { ConflictError, UsageError, fieldRef, say } from '../../errors.js';
import { formatMoney } from '../../io/format.js';
import type { Lead } from '../../domain/leads.js';
import type { Order } from '../../domain/orders.js';
import type { ServiceContext } from '../context.js';
import { getLead } from '../leads/service.js';
import { normalizeEmail } from '../leads/normalize.js';
import { isSuppressed } from '../people/service.js';
import { effectiveSetting } from '../settings/service.js';
import { invoicePdf } from './invoice-pdf.js';
import { balanceOf } from './service.js';

export interface InvoiceSendInput {
  /** An email address of the lead or of one of its contact persons, or a contact person's name (default: the lead's first address). */
  to?: string;
  cc?: string[];
  /** A note to the customer, put before the invoice's summary. */
  message?: string;
  /** Check and render, but queue and record nothing. */
  dryRun?: boolean;
}

export interface InvoiceSendResult {
  order: Order;
  lead: Lead;
  to: string;
  /** The contact person it goes to, when not the lead. */
  toName: string;
  cc: string[];
  subject: string;
  text: string;
  filename: string;
  bytes: number;
  /** The outbox message (absent on a dry run). */
  outboxKey?: string;
  dryRun: boolean;
}

/** Where the invoice goes: the lead's first address, or the one --to names (the lead's or a contact person's). */
async function recipient(ctx: ServiceContext, lead: Lead, to: string | undefined): Promise<{ address: string; name: string }> {
  if (to === undefined || !to.trim()) {
    const address = lead.emails[0];
    if (!address) throw new UsageError(`lead ${lead.id} (${lead.name}) has no email address; an invoice is sent by email`, { id: 'lead.add-email', leadId: lead.id });
    return { address, name: lead.name };
  }
  const persons = await ctx.store.contactPersons.ofLead(lead.id);
  const raw = to.trim();
  const byName = persons.find((p) => p.name.toLowerCase() === raw.toLowerCase());
  if (byName) {
    if (!byName.email) throw new UsageError(`contact person ${byName.name} of lead ${lead.id} has no email address`, 'give their address, or send to the lead');
    return { address: byName.email, name: byName.name };
  }
  const address = normalizeEmail(raw, fieldRef('to'));
  const lower = address.toLowerCase();
  const own = lead.emails.find((e) => e.toLowerCase() === lower);
  if (own) return { address: own, name: lead.name };
  const person = persons.find((p) => p.email?.toLowerCase() === lower);
  if (person) return { address: person.email!, name: person.name };
  const known = [...lead.emails, ...persons.map((p) => p.email).filter((e): e is string => Boolean(e))];
  throw new UsageError(say`${fieldRef('to')} ${address} is not an address of lead ${lead.id} (${lead.name}) or of its contact persons`,
    known.length ? `send to one of: ${known.join(', ')}; or add the person to the lead first` : 'the lead has no email address: add one, or a contact person with one');
}

/** crm invoice send: queues the invoice's email with its PDF (or, with dryRun, only shows what it would be). */
export async function sendInvoice(ctx: ServiceContext, ref: string, input: InvoiceSendInput = {}): Promise<InvoiceSendResult> {
  const { store } = ctx;
  const doc = await invoicePdf(ctx, ref);
  const order = doc.order;
  // A deleted lead is not written to (getInvoice shows its invoices all the same).
  const lead = await getLead(ctx, order.leadId);
  const to = await recipient(ctx, lead, input.to);
  if ((await store.optOuts.list('lead', lead.id)).includes('email')) {
    throw new ConflictError(`lead ${lead.id} (${lead.name}) has opted out of email; invoice ${order.invoiceNumber} was not sent`, 'send it another way, e.g. its PDF by hand');
  }
  if (await isSuppressed(store, [to.address], [])) {
    throw new ConflictError(`${to.address} belongs to a person erased at their request; invoice ${order.invoiceNumber} was not sent`, 'send it only if they asked to be contacted again');
  }
  const cc = [...new Set((input.cc ?? []).flatMap((c) => c.split(',')).map((c) => c.trim()).filter(Boolean).map((c) => normalizeEmail(c, fieldRef('cc'))))];
  const settings = await store.settings.all();
  const business = effectiveSetting(settings, {}, 'business.name');
  const terms = effectiveSetting(settings, {}, 'invoice.terms');
  const number = order.invoiceNumber!;
  const money = (m: number) => formatMoney(m, order.currency);
  const balance = balanceOf(order);
  const subject = `Invoice ${number}${business ? ` from ${business}` : ''}`;
  const summary = balance === 0
    ? `Please find attached invoice ${number} for ${money(order.totalMinor)} (${order.title}), paid in full. Thank you.`
    : `Please find attached invoice ${number} for ${money(order.totalMinor)} (${order.title}), due ${order.dueOn}.${order.paidMinor > 0 ? ` ${money(order.paidMinor)} has been paid; ${money(balance)} is still due.` : ''}`;
  const note = input.message?.trim();
  const text = [`Dear ${to.name},`, ...(note ? [note] : []), summary, ...(balance > 0 && terms ? [`Payment terms: ${terms}`] : []), `Kind regards,\n${ctx.actor.name}${business ? `\n${business}` : ''}`].join('\n\n') + '\n';
  const result: InvoiceSendResult = { order, lead, to: to.address, toName: to.name, cc, subject, text, filename: doc.filename, bytes: doc.pdf.length, dryRun: Boolean(input.dryRun) };
  if (input.dryRun) return result;
  const at = ctx.now.toISOString();
  return store.transaction(async () => {
    const n = await store.orders.markSent(order.id, at);
    const key = `invoice${order.id}/send${n}`;
    const queued = await store.outbox.enqueue([{
      key, rule: 'invoice', channel: 'email', recipientKind: 'lead', recipientId: lead.id, address: to.address, leadId: lead.id,
      vars: { contact_name: to.name, business_name: lead.businessName ?? '', lead_id: String(lead.id), invoice: number },
      content: { subject, text, cc },
      attachments: [{ filename: doc.filename, contentType: 'application/pdf', content: doc.pdf.toString('base64'), encoding: 'base64' }],
    }], at);
    if (queued === 0) throw new ConflictError(`invoice ${number} is being sent by someone else right now`, 'try again');
    await store.activities.add({
      leadId: lead.id, type: 'order', at, userId: ctx.actor.id,
      body: `#${order.id} sent: invoice ${number} to ${to.address}${cc.length ? ` (cc ${cc.join(', ')})` : ''}, ${money(balance)} due`,
      data: { orderId: order.id, event: 'sent', invoice: number, to: to.address, send: n },
    });
    return { ...result, order: (await store.orders.get(order.id))!, outboxKey: key };
  });
}
