/** Tickets' rows as both backends read them: the same SQL text and columns on SQLite and PostgreSQL. */
import type { NewTicketMessage, Ticket, TicketFields, TicketMessage, TicketQuery } from '../../domain/tickets.js';
import { DONE_STATUSES } from '../../domain/tickets.js';

export interface TicketRow {
  id: number;
  lead_id: number;
  lead_name: string;
  contact_id: number | null;
  subject: string;
  status: Ticket['status'];
  priority: Ticket['priority'];
  category: string | null;
  assignee_id: number | null;
  assignee: string | null;
  created_by: number | null;
  author: string | null;
  channel: Ticket['channel'];
  email: string | null;
  first_response_due: string;
  resolution_due: string;
  first_response_at: string | null;
  resolved_at: string | null;
  closed_at: string | null;
  created_at: string;
  updated_at: string;
}

export const SELECT = `SELECT t.*, l.name AS lead_name, a.email AS assignee, c.email AS author
  FROM tickets t JOIN leads l ON l.id = t.lead_id LEFT JOIN users a ON a.id = t.assignee_id LEFT JOIN users c ON c.id = t.created_by`;

/** Columns an update may set, by field. */
export const COLUMNS: Record<string, string> = {
  leadId: 'lead_id', contactId: 'contact_id', subject: 'subject', status: 'status', priority: 'priority', category: 'category',
  assigneeId: 'assignee_id', createdById: 'created_by', channel: 'channel', email: 'email', firstResponseDue: 'first_response_due',
  resolutionDue: 'resolution_due', firstResponseAt: 'first_response_at', resolvedAt: 'resolved_at', closedAt: 'closed_at',
};

const done = `t.status IN (${DONE_STATUSES.map((s) => `'${s}'`).join(', ')})`;
/** When a done ticket's work ended (null while it runs). */
const finished = `(CASE WHEN ${done} THEN COALESCE(t.resolved_at, t.closed_at) END)`;

export function where(q: TicketQuery): { sql: string; params: unknown[] } {
  const conds = ['l.deleted_at IS NULL'];
  const params: unknown[] = [];
  const inList = (col: string, values: unknown[]) => {
    conds.push(`${col} IN (${values.map(() => '?').join(', ')})`);
    params.push(...values);
  };
  if (q.ids) inList('t.id', q.ids.length ? q.ids : [null]);
  if (q.statuses?.length) inList('t.status', q.statuses);
  if (q.priorities?.length) inList('t.priority', q.priorities);
  const eq = (cond: string, ...v: unknown[]) => {
    conds.push(cond);
    params.push(...v);
  };
  if (q.leadId !== undefined) eq('t.lead_id = ?', q.leadId);
  if (q.category !== undefined) eq('lower(t.category) = lower(?)', q.category);
  if (q.assigneeId !== undefined) eq('t.assignee_id = ?', q.assigneeId);
  if (q.unassigned) conds.push('t.assignee_id IS NULL');
  if (q.breachedAt !== undefined) {
    // As slaOf: a first response late or overdue (a done ticket's clock stopped when it finished), a resolution late or overdue.
    eq(
      `(t.first_response_at > t.first_response_due
        OR (t.first_response_at IS NULL AND t.first_response_due < COALESCE(${finished}, ?))
        OR ${finished} > t.resolution_due
        OR (NOT ${done} AND t.resolution_due < ?))`,
      q.breachedAt, q.breachedAt,
    );
  }
  if (q.visibleTo !== undefined) eq('(t.assignee_id = ? OR EXISTS (SELECT 1 FROM lead_assignees la WHERE la.lead_id = t.lead_id AND la.user_id = ?))', q.visibleTo, q.visibleTo);
  return { sql: `WHERE ${conds.join(' AND ')}`, params };
}

export const toTicket = (r: TicketRow): Ticket => ({
  id: r.id,
  leadId: r.lead_id,
  leadName: r.lead_name,
  contactId: r.contact_id,
  subject: r.subject,
  status: r.status,
  priority: r.priority,
  category: r.category,
  assigneeId: r.assignee_id,
  assignee: r.assignee,
  createdById: r.created_by,
  createdBy: r.author,
  channel: r.channel,
  email: r.email,
  firstResponseDue: r.first_response_due,
  resolutionDue: r.resolution_due,
  firstResponseAt: r.first_response_at,
  resolvedAt: r.resolved_at,
  closedAt: r.closed_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export interface TicketMessageRow {
  id: number;
  ticket_id: number;
  direction: TicketMessage['direction'];
  user_id: number | null;
  user: string | null;
  contact_id: number | null;
  from_address: string | null;
  to_address: string | null;
  subject: string | null;
  body: string;
  message_id: string | null;
  in_reply_to: string | null;
  outbox_key: string | null;
  at: string;
}

export const SELECT_MESSAGES = 'SELECT m.*, u.email AS "user" FROM ticket_messages m LEFT JOIN users u ON u.id = m.user_id WHERE m.ticket_id = ? ORDER BY m.at, m.id';

export const INSERT_MESSAGE = `INSERT INTO ticket_messages (ticket_id, direction, user_id, contact_id, from_address, to_address, subject, body, message_id, in_reply_to, outbox_key, at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

export const INSERT = `INSERT INTO tickets (lead_id, contact_id, subject, status, priority, category, assignee_id, created_by, channel, email,
  first_response_due, resolution_due, first_response_at, resolved_at, closed_at, created_at, updated_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

export const BY_MESSAGE_ID = (n: number) => `SELECT ticket_id FROM ticket_messages WHERE message_id IN (${Array.from({ length: n }, () => '?').join(', ')}) ORDER BY at DESC, id DESC LIMIT 1`;

export const toTicketMessage = (r: TicketMessageRow): TicketMessage => ({
  id: r.id,
  ticketId: r.ticket_id,
  direction: r.direction,
  userId: r.user_id,
  user: r.user,
  contactId: r.contact_id,
  fromAddress: r.from_address,
  toAddress: r.to_address,
  subject: r.subject,
  body: r.body,
  messageId: r.message_id,
  inReplyTo: r.in_reply_to,
  outboxKey: r.outbox_key,
  at: r.at,
});

/** The insert's parameters in INSERT's order. */
export function insertParams(t: TicketFields, at: string): unknown[] {
  return [t.leadId, t.contactId, t.subject, t.status, t.priority, t.category, t.assigneeId, t.createdById, t.channel, t.email,
    t.firstResponseDue, t.resolutionDue, t.firstResponseAt, t.resolvedAt, t.closedAt, at, at];
}

export function messageParams(m: NewTicketMessage): unknown[] {
  return [m.ticketId, m.direction, m.userId, m.contactId, m.fromAddress, m.toAddress, m.subject, m.body, m.messageId, m.inReplyTo, m.outboxKey, m.at];
}

/** An update's SET clause and parameters (updated_at last). */
export function updateOf(patch: Record<string, unknown>, at: string): { set: string; params: unknown[] } {
  const cols: string[] = [];
  const params: unknown[] = [];
  for (const [k, v] of Object.entries(patch)) {
    const col = COLUMNS[k];
    if (!col || v === undefined) continue;
    cols.push(`${col} = ?`);
    params.push(v);
  }
  cols.push('updated_at = ?');
  params.push(at);
  return { set: cols.join(', '), params };
}
