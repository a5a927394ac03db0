import { printJson } from '../../io/output.js';
import { parseId } from '../../services/leads/normalize.js';
import { assignTicket } from '../../services/tickets/service.js';
import { UsageError } from '../../errors.js';
import { examples, outputFlags, type Register } from '../shared.js';
import { ticketJson } from './render.js';

export const registerTicketAssign: Register = (parent, context) => {
  const cmd = parent
    .command('assign')
    .description('give a ticket to a user, or to nobody (reps: take it themselves)').addHelpText('after', examples('crm ticket assign 7 ravi@acme.example', 'crm ticket assign 7 --none'))
    .argument('<id>')
    .argument('[email]', 'the user')
    .option('--none', 'unassign it');
  outputFlags(cmd).action(async (raw: string, email: string | undefined, opts: { none?: boolean; json?: boolean }, c) => {
    const ctx = context(c);
    if (email !== undefined && opts.none) throw new UsageError('give a user or --none, not both');
    if (email === undefined && !opts.none) throw new UsageError('whom to?', 'give a user email, or --none');
    const t = await assignTicket(await ctx.services(), parseId(raw, 'ticket'), opts.none ? null : email!);
    if (opts.json) printJson(ctx.io, ticketJson(t, ctx.now()));
    else ctx.io.out(`Ticket ${t.id} ${t.assignee ? `assigned to ${t.assignee}` : 'unassigned'} (${t.status})`);
  });
};
