import { printJson } from '../../io/output.js';
import { parseId } from '../../services/leads/normalize.js';
import { editTicket } from '../../services/tickets/service.js';
import { examples, outputFlags, type Register } from '../shared.js';
import { ticketJson } from './render.js';

export const registerTicketEdit: Register = (parent, context) => {
  const cmd = parent
    .command('edit')
    .description('change a ticket’s subject, priority (new SLA targets from its opening), category or email').addHelpText('after', examples('crm ticket edit 7 --priority urgent', 'crm ticket edit 7 --email billing@sousa.example --category billing'))
    .argument('<id>')
    .option('--subject <text>', 'the new subject')
    .option('--priority <p>', 'low | normal | high | urgent')
    .option('--category <name>', 'the new category (empty: none)')
    .option('--email <address>', 'where replies are mailed (empty: nowhere)');
  outputFlags(cmd).action(async (raw: string, opts: { subject?: string; priority?: string; category?: string; email?: string; json?: boolean }, c) => {
    const ctx = context(c);
    const t = await editTicket(await ctx.services(), parseId(raw, 'ticket'), { subject: opts.subject, priority: opts.priority, category: opts.category, email: opts.email });
    if (opts.json) printJson(ctx.io, ticketJson(t, ctx.now()));
    else ctx.io.out(`Ticket ${t.id} updated: ${t.priority}${t.category ? `, ${t.category}` : ''}${t.email ? `, ${t.email}` : ''}`);
  });
};
