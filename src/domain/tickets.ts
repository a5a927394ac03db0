/**
 * Support tickets (W2): a customer's case, on a lead or customer, with a status, a priority, an
 * assignee and two service-level targets (first response, resolution) set from the priority
 * when the ticket is opened or its priority changes. Replies are kept as the ticket's messages;
 * an email reply carries the Message-ID crm generated, so the customer's answer (In-Reply-To /
 * References, or the subject token [#T-<id>]) finds its ticket again.
 */
export const TICKET_STATUSES = ['new', 'open', 'pending-customer', 'resolved', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** Statuses the targets no longer run in: the work is done (a customer's reply reopens it). */
export const DONE_STATUSES: readonly TicketStatus[] = ['resolved', 'closed'];
export const OPEN_STATUSES: readonly TicketStatus[] = TICKET_STATUSES.filter((s) => !DONE_STATUSES.includes(s));

export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];

/** Where a ticket was opened: by the team on the command line, by the customer in the portal. */
export const TICKET_CHANNELS = ['cli', 'portal', 'email'] as const;
export type TicketChannel = (typeof TICKET_CHANNELS)[number];

export interface Ticket {
  id: number;
  leadId: number;
  leadName: string;
  /** A contact person of the lead's company, when contact persons exist (null: the lead itself). */
  contactId: number | null;
  subject: string;
  status: TicketStatus;
  priority: TicketPriority;
  category: string | null;
  assigneeId: number | null;
  assignee: string | null;
  createdById: number | null;
  createdBy: string | null;
  channel: TicketChannel;
  /** The customer's address: replies are mailed to it. */
  email: string | null;
  firstResponseDue: string;
  resolutionDue: string;
  /** The team's first reply to the customer. */
  firstResponseAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export type TicketFields = Omit<Ticket, 'id' | 'leadName' | 'assignee' | 'createdBy' | 'createdAt' | 'updatedAt'>;

export const MESSAGE_DIRECTIONS = ['in', 'out'] as const;
/** in: from the customer (or written down for them); out: the team's reply, mailed. */
export type MessageDirection = (typeof MESSAGE_DIRECTIONS)[number];

export interface TicketMessage {
  id: number;
  ticketId: number;
  direction: MessageDirection;
  userId: number | null;
  user: string | null;
  contactId: number | null;
  fromAddress: string | null;
  toAddress: string | null;
  subject: string | null;
  body: string;
  /** RFC 5322 Message-ID with its angle brackets: generated for a reply, read from an inbound mail. */
  messageId: string | null;
  inReplyTo: string | null;
  /** The outbox message that mails a reply. */
  outboxKey: string | null;
  at: string;
}

export type NewTicketMessage = Omit<TicketMessage, 'id' | 'user'>;

export interface TicketQuery {
  ids?: number[];
  leadId?: number;
  statuses?: TicketStatus[];
  priorities?: TicketPriority[];
  category?: string;
  assigneeId?: number;
  unassigned?: boolean;
  /** Tickets with a target missed as of this instant: overdue and unmet, or met late. */
  breachedAt?: string;
  /** Visibility: tickets assigned to this user or on a lead assigned to them. */
  visibleTo?: number;
  limit?: number;
}

/** A ticket's number as customers see it (in subjects: [#T-12]). */
export const ticketRef = (id: number) => `T-${id}`;
export const SUBJECT_TOKEN = /\[#T-(\d{1,15})\]/i;

/** First-response and resolution targets, in seconds. */
export interface SlaTargets {
  firstResponse: number;
  resolution: number;
}

export const DEFAULT_SLA: Record<TicketPriority, string> = { urgent: '1h/4h', high: '4h/1d', normal: '8h/3d', low: '1d/7d' };

const UNITS: Record<string, number> = { w: 604800, d: 86400, h: 3600, m: 60 };

function seconds(raw: string): number | undefined {
  const t = raw.trim().toLowerCase();
  if (!/^(\d+[wdhm])+$/.test(t)) return undefined;
  let s = 0;
  for (const [, n, u] of t.matchAll(/(\d+)([wdhm])/g)) s += Number(n) * UNITS[u!]!;
  return s > 0 && s <= 365 * 86400 ? s : undefined;
}

/** "4h/1d" → targets; undefined when either part is not a duration of a minute to a year, or resolution comes first. */
export function parseSla(raw: string): SlaTargets | undefined {
  const parts = raw.split('/');
  if (parts.length !== 2) return undefined;
  const firstResponse = seconds(parts[0]!);
  const resolution = seconds(parts[1]!);
  if (firstResponse === undefined || resolution === undefined || resolution < firstResponse) return undefined;
  return { firstResponse, resolution };
}

export type TargetState = 'met' | 'running' | 'breached' | 'missed' | 'stopped';

export interface TargetView {
  due: string;
  at: string | null;
  /**
   * met: done in time; breached: overdue and not done yet; missed: done, but late;
   * running: not done, not due yet; stopped: never done and the ticket is resolved or closed.
   */
  state: TargetState;
}

export interface SlaView {
  firstResponse: TargetView;
  resolution: TargetView;
  breached: boolean;
}

function target(due: string, at: string | null, done: boolean, now: string): TargetView {
  if (at !== null) return { due, at, state: at <= due ? 'met' : 'missed' };
  if (now > due) return { due, at, state: done ? 'missed' : 'breached' };
  return { due, at, state: done ? 'stopped' : 'running' };
}

/**
 * A ticket's SLA as of `now`. The clock is calendar time from the ticket's opening (no business
 * hours, no pause while pending the customer). A resolved or closed ticket's resolution is met at
 * the time it was resolved (or closed, when it never was); a first response never given by a
 * ticket closed in time counts as stopped, not missed.
 */
export function slaOf(t: Pick<Ticket, 'status' | 'firstResponseDue' | 'resolutionDue' | 'firstResponseAt' | 'resolvedAt' | 'closedAt'>, now: Date): SlaView {
  const n = now.toISOString();
  const done = DONE_STATUSES.includes(t.status);
  const finished = done ? (t.resolvedAt ?? t.closedAt) : null;
  const firstResponse = target(t.firstResponseDue, t.firstResponseAt, done, done ? (finished ?? n) : n);
  const resolution = target(t.resolutionDue, finished, done, n);
  return { firstResponse, resolution, breached: firstResponse.state === 'breached' || firstResponse.state === 'missed' || resolution.state === 'breached' || resolution.state === 'missed' };
}
