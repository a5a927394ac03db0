import { printJson } from '../../io/output.js';
import { parseId } from '../../services/leads/normalize.js';
import { closeTicket, reopenTicket } from '../../services/tickets/service.js';
import { examples, outputFlags, type Register } from '../shared.js';
import { ticketJson } from './render.js';

export const registerTicketClose: Register = (parent, context) => {
  const cmd = parent
    .command('close')
    .description('close a ticket, or mark it resolved (the customer may still answer: a reply reopens either)').addHelpText('after', examples('crm ticket close 7', 'crm ticket close 7 --resolved --note "new invoice sent"'))
    .argument('<id>')
    .option('--resolved', 'resolved rather than closed')
    .option('--note <text>', 'why, for the timeline');
  outputFlags(cmd).action(async (raw: string, opts: { resolved?: boolean; note?: string; json?: boolean }, c) => {
    const ctx = context(c);
    const t = await closeTicket(await ctx.services(), parseId(raw, 'ticket'), opts);
    if (opts.json) printJson(ctx.io, ticketJson(t, ctx.now()));
    else ctx.io.out(`Ticket ${t.id} ${t.status}`);
  });
};

export const registerTicketReopen: Register = (parent, context) => {
  const cmd = parent.command('reopen').description('open a resolved or closed ticket again').addHelpText('after', examples('crm ticket reopen 7')).argument('<id>');
  outputFlags(cmd).action(async (raw: string, opts: { json?: boolean }, c) => {
    const ctx = context(c);
    const t = await reopenTicket(await ctx.services(), parseId(raw, 'ticket'));
    if (opts.json) printJson(ctx.io, ticketJson(t, ctx.now()));
    else ctx.io.out(`Ticket ${t.id} open again`);
  });
};
