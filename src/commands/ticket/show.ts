import { formatTimestamp } from '../../io/format.js';
import { printJson, printRecord, styler, visible } from '../../io/output.js';
import { parseId } from '../../services/leads/normalize.js';
import { asTeam, showTicket } from '../../services/tickets/service.js';
import { ticketRef } from '../../domain/tickets.js';
import { examples, outputFlags, type Register } from '../shared.js';
import { timeZoneOf, tzOption } from '../followup/options.js';
import { messageJson, targetText, ticketJson } from './render.js';

export const registerTicketShow: Register = (parent, context) => {
  const cmd = tzOption(parent.command('show').description('a ticket: status, SLA, and its messages').addHelpText('after', examples('crm ticket show 7', 'crm ticket show 7 --json')).argument('<id>'));
  outputFlags(cmd).action(async (raw: string, opts: { json?: boolean; tz?: string }, c) => {
    const ctx = context(c);
    const tz = await timeZoneOf(ctx, opts.tz);
    const v = await showTicket(asTeam(await ctx.services()), parseId(raw, 'ticket'));
    const t = v.ticket;
    if (opts.json) return printJson(ctx.io, { ...ticketJson(t, ctx.now(), v.sla), messages: v.messages.map(messageJson) });
    await printRecord(ctx.io, `Ticket ${t.id} [#${ticketRef(t.id)}]: ${t.subject}`, [
      ['lead', `${t.leadId} ${t.leadName}`],
      ['email', t.email],
      ['status', t.status],
      ['priority', t.priority],
      ['category', t.category],
      ['assigned to', t.assignee],
      ['first response', targetText(v.sla.firstResponse, tz)],
      ['resolution', targetText(v.sla.resolution, tz)],
      ['opened', `${formatTimestamp(t.createdAt, tz)}${t.createdBy ? ` by ${t.createdBy}` : t.channel !== 'cli' ? ` by the customer (${t.channel})` : ''}`],
      ['resolved', t.resolvedAt && formatTimestamp(t.resolvedAt, tz)],
      ['closed', t.closedAt && formatTimestamp(t.closedAt, tz)],
    ]);
    const style = styler(ctx.io);
    ctx.io.out('');
    ctx.io.out(style.bold('Messages'));
    if (!v.messages.length) ctx.io.out('  (none yet)');
    for (const m of v.messages) {
      const who = m.direction === 'out' ? `${m.user ?? 'team'} → ${m.toAddress ?? 'customer'}` : `${m.fromAddress ?? t.email ?? 'customer'}${m.user ? ` (recorded by ${m.user})` : ''}`;
      ctx.io.out(`  ${style.dim(formatTimestamp(m.at, tz))}  ${m.direction === 'out' ? 'reply' : 'customer'}: ${visible(who)}`);
      for (const line of m.body.split('\n')) ctx.io.out(`    ${visible(line)}`);
    }
  });
};
