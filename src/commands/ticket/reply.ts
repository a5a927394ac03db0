import { printJson } from '../../io/output.js';
import { parseId } from '../../services/leads/normalize.js';
import { asTeam, replyToTicket } from '../../services/tickets/service.js';
import { readBody } from '../campaign/options.js';
import { examples, outputFlags, type Register } from '../shared.js';
import { messageJson, ticketJson } from './render.js';

export const registerTicketReply: Register = (parent, context) => {
  const cmd = parent
    .command('reply')
    .description("answer the customer: mailed through the outbox, threaded so that their answer comes back to the ticket").addHelpText('after', examples('crm ticket reply 7 --body "Fixed: the new invoice is attached to your account."', 'crm ticket reply 7 --body-file answer.txt --status resolved'))
    .argument('<id>')
    .option('--body <text>', 'the reply')
    .option('--body-file <file>', 'the reply, from a file')
    .option('--status <status>', 'the status after it: pending-customer (default), open, resolved or closed');
  outputFlags(cmd, { quiet: true }).action(async (raw: string, opts: { body?: string; bodyFile?: string; status?: string; json?: boolean; quiet?: boolean }, c) => {
    const ctx = context(c);
    const id = parseId(raw, 'ticket');
    const body = opts.bodyFile !== undefined ? readBody(opts.bodyFile) : (opts.body ?? (await ctx.prompter.text('--body', 'Reply')));
    const svc = await ctx.services();
    const r = await replyToTicket(asTeam(svc), id, { body, status: opts.status }, ctx.env);
    if (opts.json) printJson(ctx.io, { ...ticketJson(r.ticket, ctx.now(), r.sla), message: messageJson(r.message) });
    else if (opts.quiet) ctx.io.out(String(r.message.id));
    else ctx.io.out(`Replied to ticket ${id}: mail to ${r.message.toAddress} queued (${r.outboxKey}); status ${r.ticket.status}`);
  });
};
