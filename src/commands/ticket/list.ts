import { printList } from '../../io/output.js';
import { parseId } from '../../services/leads/normalize.js';
import { asTeam, listTickets } from '../../services/tickets/service.js';
import { collect, examples, outputFlags, pageFlags, pageOf, pageRows, type Register } from '../shared.js';
import { timeZoneOf, tzOption } from '../followup/options.js';
import { ticketColumns, ticketJson } from './render.js';

export const registerTicketList: Register = (parent, context) => {
  const cmd = tzOption(
    parent
      .command('list')
      .alias('ls')
      .description('list tickets you may see, newest first (open ones unless --status or --include-closed)').addHelpText('after', examples('crm ticket list --mine', 'crm ticket list --breached', 'crm ticket list --lead 12 --include-closed --json'))
      .option('--lead <id>', 'of this lead or customer')
      .option('--status <status>', 'new | open | pending-customer | resolved | closed (repeatable or comma-separated)', collect)
      .option('--priority <p>', 'low | normal | high | urgent (repeatable or comma-separated)', collect)
      .option('--category <name>', 'in this category')
      .option('--assign <email>', 'assigned to this user')
      .option('--mine', 'assigned to me')
      .option('--unassigned', 'assigned to nobody')
      .option('--breached', 'only those that missed a first-response or resolution target')
      .option('--include-closed', 'resolved and closed tickets too'),
  );
  pageFlags(cmd, 200, 'tickets');
  outputFlags(cmd, { quiet: true, list: true }).action(async (opts: { lead?: string; status?: string[]; priority?: string[]; category?: string; assign?: string; mine?: boolean; unassigned?: boolean; breached?: boolean; includeClosed?: boolean; all?: boolean; limit?: string; tz?: string; json?: boolean; quiet?: boolean }, c) => {
    const ctx = context(c);
    const tz = await timeZoneOf(ctx, opts.tz);
    const svc = await ctx.services();
    const page = pageOf(opts, ctx.io.isStdoutTTY, 200);
    const limit = page.limit === undefined ? undefined : page.limit + (page.paged ? 1 : 0);
    const rows = await listTickets(asTeam(svc), { ...opts, assignee: opts.assign, lead: opts.lead ? parseId(opts.lead) : undefined, limit });
    const shown = pageRows(rows, page);
    const now = ctx.now();
    await printList(ctx.io, { ...opts, footer: shown.footer }, shown.rows, ticketColumns(tz, now), (t) => ticketJson(t, now), 'No tickets match.');
  });
};
