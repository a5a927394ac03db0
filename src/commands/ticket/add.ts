import { printJson } from '../../io/output.js';
import { parseId } from '../../services/leads/normalize.js';
import { asTeam, openTicket } from '../../services/tickets/service.js';
import { readBody } from '../campaign/options.js';
import { examples, outputFlags, type Register } from '../shared.js';
import { ticketJson } from './render.js';

export const registerTicketAdd: Register = (parent, context) => {
  const cmd = parent
    .command('add')
    .description('open a ticket on a lead or customer').addHelpText('after', examples('crm ticket add --lead 12 --subject "Invoice shows the wrong address" --priority high', 'crm ticket add --lead 12 --subject "Login fails" --body-file mail.txt --assign ravi@acme.example'))
    .option('--lead <id>', 'the lead or customer id')
    .option('--subject <text>', 'what it is about, in one line')
    .option('--body <text>', "the customer's problem, in their words")
    .option('--body-file <file>', 'the problem, from a file')
    .option('--priority <p>', 'low | normal | high | urgent (sets the SLA targets)', 'normal')
    .option('--category <name>', 'a category (one of ticket.categories when that is set)')
    .option('--assign <email>', 'give it to this user (reps: only themselves)')
    .option('--email <address>', "where replies are mailed (default: the lead's first email)");
  outputFlags(cmd, { quiet: true }).action(async (opts: { lead?: string; subject?: string; body?: string; bodyFile?: string; priority?: string; category?: string; assign?: string; email?: string; json?: boolean; quiet?: boolean }, c) => {
    const ctx = context(c);
    const leadRaw = opts.lead ?? (await ctx.prompter.text('--lead', 'Lead or customer id'));
    const subject = opts.subject ?? (await ctx.prompter.text('--subject', 'Subject'));
    const body = opts.bodyFile !== undefined ? readBody(opts.bodyFile) : opts.body;
    const svc = await ctx.services();
    const v = await openTicket(asTeam(svc), { leadId: parseId(leadRaw), subject, body, priority: opts.priority, category: opts.category, assignee: opts.assign, email: opts.email });
    const t = v.ticket;
    if (opts.json) printJson(ctx.io, ticketJson(t, ctx.now(), v.sla));
    else if (opts.quiet) ctx.io.out(String(t.id));
    else ctx.io.out(`Opened ticket ${t.id} on lead ${t.leadId} (${t.leadName}): ${t.priority}, ${t.assignee ? `assigned to ${t.assignee}` : 'unassigned'}`);
  });
};
