import { formatTimestamp } from '../../io/format.js';
import type { Column } from '../../io/output.js';
import { slaOf, ticketRef, type SlaView, type TargetView, type Ticket, type TicketMessage } from '../../domain/tickets.js';

/** The stable --json shape of a ticket, with its SLA as of `now`. */
export function ticketJson(t: Ticket, now: Date, sla: SlaView = slaOf(t, now)) {
  return {
    id: t.id, ref: ticketRef(t.id), leadId: t.leadId, lead: t.leadName, contactId: t.contactId, subject: t.subject, status: t.status, priority: t.priority,
    category: t.category, assignee: t.assignee, createdBy: t.createdBy, channel: t.channel, email: t.email,
    sla: { breached: sla.breached, firstResponse: sla.firstResponse, resolution: sla.resolution },
    firstResponseAt: t.firstResponseAt, resolvedAt: t.resolvedAt, closedAt: t.closedAt, createdAt: t.createdAt, updatedAt: t.updatedAt,
  };
}

export function messageJson(m: TicketMessage) {
  return {
    id: m.id, direction: m.direction, user: m.user, contactId: m.contactId, from: m.fromAddress, to: m.toAddress, subject: m.subject, body: m.body,
    messageId: m.messageId, inReplyTo: m.inReplyTo, outboxKey: m.outboxKey, at: m.at,
  };
}

/** A target in a few words: "met 2026-11-23 10:12", "BREACHED (due 2026-11-23 13:00)", "due 2026-11-23 17:00". */
export function targetText(v: TargetView, tz?: string): string {
  switch (v.state) {
    case 'met': return `met ${formatTimestamp(v.at!, tz)} (due ${formatTimestamp(v.due, tz)})`;
    case 'missed': return `missed: ${v.at ? formatTimestamp(v.at, tz) : 'never'} (due ${formatTimestamp(v.due, tz)})`;
    case 'breached': return `BREACHED: due ${formatTimestamp(v.due, tz)}`;
    case 'stopped': return `not needed (due ${formatTimestamp(v.due, tz)})`;
    case 'running': return `due ${formatTimestamp(v.due, tz)}`;
  }
}

export function ticketColumns(tz: string | undefined, now: Date): Column<Ticket>[] {
  return [
    { header: 'ID', cell: (t) => t.id },
    { header: 'LEAD', cell: (t) => `${t.leadId} ${t.leadName}` },
    { header: 'SUBJECT', cell: (t) => t.subject },
    { header: 'STATUS', cell: (t) => t.status },
    { header: 'PRIORITY', cell: (t) => t.priority },
    { header: 'CATEGORY', cell: (t) => t.category },
    { header: 'ASSIGNEE', cell: (t) => t.assignee },
    { header: 'SLA', cell: (t) => (slaOf(t, now).breached ? 'breached' : 'ok') },
    { header: 'OPENED', cell: (t) => formatTimestamp(t.createdAt, tz) },
  ];
}

/** One line per ticket for `lead show`. */
export function ticketLine(t: Ticket, now: Date): string {
  const sla = slaOf(t, now);
  return `#${t.id} ${t.subject} (${t.status}, ${t.priority}${t.category ? `, ${t.category}` : ''})${sla.breached ? ' SLA breached' : ''}`;
}
