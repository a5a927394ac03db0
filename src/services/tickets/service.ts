import { randomBytes } from 'node:crypto';
import { NotFoundError, PermissionError, UsageError, fieldRef, say } from '../../errors.js';
import type { Lead } from '../../domain/leads.js';
import type { User } from '../../domain/users.js';
import type { Store } from '../../store/types.js';
import {
  DONE_STATUSES, OPEN_STATUSES, SUBJECT_TOKEN, TICKET_PRIORITIES, TICKET_STATUSES, parseSla, slaOf, ticketRef,
  type SlaTargets, type SlaView, type Ticket, type TicketFields, type TicketMessage, type TicketPriority, type TicketQuery, type TicketStatus,
} from '../../domain/tickets.js';
import { seesAllLeads } from '../access.js';
import type { ServiceContext } from '../context.js';
import { oneOf } from '../followups/service.js';
import { getLead } from '../leads/service.js';
import { checkName, normalizeEmail } from '../leads/normalize.js';
import { findUser } from '../lookup.js';
import { enqueueForEvent } from '../notify/enqueue.js';
import { findRule, ruleConfig } from '../notify/rules.js';
import { emailSender } from '../notify/transport.js';
import { effectiveSetting } from '../settings/service.js';

/**
 * Who acts on a ticket: someone of the team (the CLI, the daemon), or a customer's contact —
 * the portal, or a reply by email — who sees only the tickets of their own lead or customer.
 */
export type TicketParty =
  | { kind: 'user'; user: User }
  | { kind: 'contact'; leadId: number; contactId: number | null; name: string | null; email: string | null };

export interface TicketContext {
  store: Store;
  now: Date;
  by: TicketParty;
}

/** The team member behind a service context, as a ticket party. */
export const asTeam = (ctx: ServiceContext): TicketContext => ({ store: ctx.store, now: ctx.now, by: { kind: 'user', user: ctx.actor } });

/** The longest message body kept (a pasted log fits; a mailbox of attachments does not). */
export const MAX_BODY_CHARS = 100_000;

const userOf = (tc: TicketContext): User | undefined => (tc.by.kind === 'user' ? tc.by.user : undefined);

function body(raw: string | undefined, required: boolean): string | null {
  const text = (raw ?? '').replace(/\r\n/g, '\n').trim();
  if (!text) {
    if (required) throw new UsageError('the message is empty', { id: 'pass', field: 'body', value: '"…"' });
    return null;
  }
  if (text.length > MAX_BODY_CHARS) throw new UsageError(`the message of ${text.length.toLocaleString('en')} characters is too long (at most ${MAX_BODY_CHARS.toLocaleString('en')})`, 'shorten it, or attach the rest elsewhere');
  return text;
}

export function parsePriority(raw: string): TicketPriority {
  return oneOf<TicketPriority>(raw, TICKET_PRIORITIES, 'priority');
}

const STATUS_ALIASES: Record<string, TicketStatus> = { pending: 'pending-customer', 'pending customer': 'pending-customer', waiting: 'pending-customer', reopened: 'open' };

export function parseStatus(raw: string): TicketStatus {
  const key = raw.trim().toLowerCase();
  return STATUS_ALIASES[key] ?? oneOf<TicketStatus>(key, TICKET_STATUSES, 'status');
}

/** The targets of a priority, from ticket.sla.<priority>. */
export function slaTargets(settings: Record<string, string>, priority: TicketPriority): SlaTargets {
  return parseSla(effectiveSetting(settings, {}, `ticket.sla.${priority}`))!;
}

function duesOf(settings: Record<string, string>, priority: TicketPriority, openedAt: string): Pick<TicketFields, 'firstResponseDue' | 'resolutionDue'> {
  const t = slaTargets(settings, priority);
  const start = new Date(openedAt).getTime();
  return { firstResponseDue: new Date(start + t.firstResponse * 1000).toISOString(), resolutionDue: new Date(start + t.resolution * 1000).toISOString() };
}

/** A category as configured (ticket.categories, matched case-insensitively), or free text when none are. */
function categoryOf(settings: Record<string, string>, raw: string | undefined): string | null {
  if (raw === undefined || !raw.trim()) return null;
  const allowed = effectiveSetting(settings, {}, 'ticket.categories').split(',').filter(Boolean);
  const v = checkName(raw, 'category');
  if (!allowed.length) return v;
  const found = allowed.find((c) => c.toLowerCase() === v.toLowerCase());
  if (!found) throw new UsageError(say`invalid ${fieldRef('category')} '${raw}'`, `use one of: ${allowed.join(', ')} (setting ticket.categories)`);
  return found;
}

/** Team members may give a ticket to anyone; a rep only takes it themselves. */
async function assigneeOf(store: Store, actor: User, email: string): Promise<User> {
  const user = await findUser(store, email);
  if (!user.active) throw new UsageError(`${user.email} is deactivated`, 'give the ticket to an active user');
  if (actor.role === 'rep' && user.id !== actor.id) throw new PermissionError(`${actor.email} is a rep and may assign tickets only to themselves`, 'ask a manager or admin');
  return user;
}

/** Whether a team member sees a ticket: everyone but reps sees all, a rep their leads' and those assigned to them. */
function teamSees(user: User, t: Ticket, lead: Pick<Lead, 'assignees'> | undefined): boolean {
  return seesAllLeads(user) || t.assigneeId === user.id || Boolean(lead?.assignees.some((a) => a.id === user.id));
}

/** A ticket the party may see, or NotFoundError / PermissionError. */
async function ticketFor(tc: TicketContext, id: number): Promise<Ticket> {
  const t = await tc.store.tickets.get(id);
  // A contact never learns that another company's ticket exists.
  if (!t || (tc.by.kind === 'contact' && t.leadId !== tc.by.leadId)) throw new NotFoundError(`no ticket with id ${id}`, { id: 'ticket.list' });
  const user = userOf(tc);
  if (user && !teamSees(user, t, await tc.store.leads.get(t.leadId))) throw new PermissionError(`ticket ${id} is not on a lead of yours nor assigned to you (${user.email})`, 'ask its assignee or a manager');
  return t;
}

export interface TicketView {
  ticket: Ticket;
  sla: SlaView;
  messages: TicketMessage[];
}

export async function showTicket(tc: TicketContext, id: number): Promise<TicketView> {
  const ticket = await ticketFor(tc, id);
  return { ticket, sla: slaOf(ticket, tc.now), messages: await tc.store.tickets.messages(id) };
}

export interface OpenTicketInput {
  leadId?: number;
  subject?: string;
  body?: string;
  priority?: string;
  category?: string;
  /** The assignee's email (team only). */
  assignee?: string;
  /** Where replies are mailed (default: the contact's, else the lead's first email). */
  email?: string;
}

/** Opens a ticket on a lead (team) or on the contact's own company (portal); its first message is the customer's problem. */
export async function openTicket(tc: TicketContext, input: OpenTicketInput): Promise<TicketView> {
  const { store, now, by } = tc;
  const at = now.toISOString();
  const subject = checkName(input.subject ?? '', 'subject');
  const text = body(input.body, by.kind === 'contact');
  const priority = input.priority ? parsePriority(input.priority) : 'normal';
  if (input.assignee !== undefined && by.kind === 'contact') throw new PermissionError('a customer may not assign a ticket');
  const email = input.email !== undefined ? normalizeEmail(input.email) : undefined;
  return store.transaction(async () => {
    const settings = await store.settings.all();
    const category = categoryOf(settings, input.category);
    let lead: Lead;
    if (by.kind === 'user') {
      if (input.leadId === undefined) throw new UsageError('a ticket needs a lead or customer', { id: 'pass', field: 'lead', value: '<id>' });
      lead = await getLead({ store, actor: by.user }, input.leadId);
    } else {
      const l = await store.leads.get(by.leadId);
      if (!l || l.deletedAt) throw new NotFoundError(`no customer with id ${by.leadId}`);
      lead = l;
    }
    const assignee = input.assignee !== undefined && by.kind === 'user' ? await assigneeOf(store, by.user, input.assignee) : undefined;
    const fields: TicketFields = {
      leadId: lead.id, contactId: by.kind === 'contact' ? by.contactId : null, subject, status: assignee ? 'open' : 'new', priority, category,
      assigneeId: assignee?.id ?? null, createdById: by.kind === 'user' ? by.user.id : null, channel: by.kind === 'user' ? 'cli' : 'portal',
      email: email ?? (by.kind === 'contact' ? by.email : null) ?? lead.emails[0] ?? null,
      ...duesOf(settings, priority, at), firstResponseAt: null, resolvedAt: null, closedAt: null,
    };
    const id = await store.tickets.insert(fields, at);
    if (text) {
      await store.tickets.addMessage({
        ticketId: id, direction: 'in', userId: by.kind === 'user' ? by.user.id : null, contactId: fields.contactId,
        fromAddress: by.kind === 'contact' ? by.email : null, toAddress: null, subject, body: text, messageId: null, inReplyTo: null, outboxKey: null, at,
      });
    }
    await store.activities.add({
      leadId: lead.id, type: 'ticket', at, userId: by.kind === 'user' ? by.user.id : null, body: subject,
      data: { ticketId: id, event: 'opened', priority, ...(category ? { category } : {}), ...(assignee ? { assignee: assignee.email } : {}), ...(by.kind === 'contact' ? { by: 'customer' } : {}) },
    });
    const ticket = (await store.tickets.get(id))!;
    return { ticket, sla: slaOf(ticket, now), messages: await store.tickets.messages(id) };
  });
}

export interface TicketFilter {
  lead?: number;
  status?: string[];
  priority?: string[];
  category?: string;
  assignee?: string;
  mine?: boolean;
  unassigned?: boolean;
  breached?: boolean;
  /** Resolved and closed tickets too (a status filter decides on its own). */
  includeClosed?: boolean;
  limit?: number;
}

/** The tickets the party may see: open ones (new, open, pending customer) unless statuses or `all` say otherwise. */
export async function listTickets(tc: TicketContext, f: TicketFilter): Promise<Ticket[]> {
  const q: TicketQuery = { limit: f.limit };
  if (f.status?.length) q.statuses = [...new Set(f.status.flatMap((s) => s.split(',')).filter((s) => s.trim()).map(parseStatus))];
  else if (!f.includeClosed) q.statuses = [...OPEN_STATUSES];
  if (f.priority?.length) q.priorities = [...new Set(f.priority.flatMap((s) => s.split(',')).filter((s) => s.trim()).map(parsePriority))];
  if (f.category !== undefined) q.category = f.category.trim();
  if (f.breached) q.breachedAt = tc.now.toISOString();
  if (tc.by.kind === 'contact') {
    q.leadId = tc.by.leadId;
    return tc.store.tickets.list(q);
  }
  const user = tc.by.user;
  if (f.lead !== undefined) q.leadId = (await getLead({ store: tc.store, actor: user }, f.lead)).id;
  if ([f.assignee !== undefined, f.mine, f.unassigned].filter(Boolean).length > 1) throw new UsageError(say`give one of ${fieldRef('assign')}, ${fieldRef('mine')} and ${fieldRef('unassigned')}`);
  if (f.assignee !== undefined) q.assigneeId = (await findUser(tc.store, f.assignee)).id;
  if (f.mine) q.assigneeId = user.id;
  if (f.unassigned) q.unassigned = true;
  if (!seesAllLeads(user)) q.visibleTo = user.id;
  return tc.store.tickets.list(q);
}

/** The domain Message-IDs are made in: the sender's, so that they look like the team's own mail. */
function messageDomain(settings: Record<string, string>, env: Record<string, string | undefined>): string {
  const from = emailSender(settings, env);
  const domain = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from)?.[1];
  return domain && domain.includes('.') ? domain.toLowerCase() : 'crm.invalid';
}

/** A reply's subject: Re: and the ticket's token, each once. */
export function replySubject(t: Pick<Ticket, 'id' | 'subject'>): string {
  const base = /^re:/i.test(t.subject) ? t.subject : `Re: ${t.subject}`;
  return SUBJECT_TOKEN.test(base) ? base : `${base} [#${ticketRef(t.id)}]`;
}

/** References of a reply: the thread's Message-IDs, oldest first (the first and the last 9, as mail clients trim them). */
function referencesOf(messages: TicketMessage[]): string[] {
  const ids = messages.map((m) => m.messageId).filter((m): m is string => Boolean(m));
  return ids.length > 10 ? [ids[0]!, ...ids.slice(-9)] : ids;
}

export interface ReplyInput {
  body?: string;
  /** The status after a team reply (default pending-customer). */
  status?: string;
  /** An inbound mail's own Message-ID and sender (the mailbox), recorded with the message. */
  messageId?: string | null;
  inReplyTo?: string | null;
  from?: string | null;
  subject?: string | null;
}

export interface ReplyResult extends TicketView {
  message: TicketMessage;
  /** The outbox message that mails a team reply (null for a customer's). */
  outboxKey: string | null;
}

/**
 * A reply. From the team: mailed to the ticket's address through the outbox, with a Message-ID
 * generated here and recorded with the message (In-Reply-To and References name the thread, the
 * subject carries [#T-<id>]); the first one is the first response; the ticket waits for the
 * customer (or takes the given status). From the customer (portal, email): recorded, and the
 * ticket is open again (a new one stays new), its assignee told.
 */
export async function replyToTicket(tc: TicketContext, id: number, input: ReplyInput, env: Record<string, string | undefined> = {}): Promise<ReplyResult> {
  const { store, now, by } = tc;
  const at = now.toISOString();
  const text = body(input.body, true)!;
  const nextStatus = by.kind === 'user' ? (input.status ? parseStatus(input.status) : 'pending-customer') : undefined;
  if (nextStatus === 'new') throw new UsageError('a replied ticket is not new', `use one of: ${TICKET_STATUSES.filter((s) => s !== 'new').join(', ')}`);
  return store.transaction(async () => {
    const t = await ticketFor(tc, id);
    const thread = await store.tickets.messages(id);
    let messageId: string | null;
    let outboxKey: string | null = null;
    const patch: Partial<TicketFields> = {};
    let messageFields: Pick<TicketMessage, 'direction' | 'fromAddress' | 'toAddress' | 'subject' | 'inReplyTo'>;
    if (by.kind === 'user') {
      if (!t.email) throw new UsageError(`ticket ${id} has no customer email address to reply to`, { id: 'ticket.email', ticketId: id });
      const settings = await store.settings.all();
      const token = randomBytes(9).toString('base64url');
      messageId = `<${ticketRef(id).toLowerCase()}.${token}@${messageDomain(settings, env)}>`;
      outboxKey = `ticket${id}/reply/${token}`;
      const last = [...thread].reverse().find((m) => m.messageId);
      const references = referencesOf(thread);
      const subject = replySubject(t);
      // The customer's answer must reach the polled mailbox, wherever the mail is sent from.
      const mailbox = await store.mailboxes.get('default');
      const replyTo = mailbox?.user.includes('@') && mailbox.user.toLowerCase() !== emailSender(settings, env).toLowerCase() ? mailbox.user : undefined;
      await store.outbox.enqueue([{
        key: outboxKey, rule: 'ticket-reply', channel: 'email', recipientKind: 'lead', recipientId: t.leadId, address: t.email, leadId: t.leadId, vars: {},
        content: {
          subject, text, messageId, ...(replyTo ? { replyTo } : {}),
          ...(last ? { headers: { 'In-Reply-To': last.messageId!, References: references.join(' ') } } : {}),
        },
      }], at);
      messageFields = { direction: 'out', fromAddress: null, toAddress: t.email, subject, inReplyTo: last?.messageId ?? null };
      if (t.firstResponseAt === null) patch.firstResponseAt = at;
      Object.assign(patch, statusPatch(t, nextStatus!, at));
    } else {
      messageId = input.messageId ?? null;
      messageFields = { direction: 'in', fromAddress: input.from ?? by.email, toAddress: null, subject: input.subject ?? null, inReplyTo: input.inReplyTo ?? null };
      if (t.status !== 'new') Object.assign(patch, statusPatch(t, 'open', at));
    }
    const messageRow = await store.tickets.addMessage({
      ticketId: id, userId: by.kind === 'user' ? by.user.id : null, contactId: by.kind === 'contact' ? by.contactId : null,
      body: text, messageId, outboxKey, at, ...messageFields,
    });
    await store.tickets.update(id, patch, at);
    if (by.kind === 'user') {
      await store.activities.add({ leadId: t.leadId, type: 'ticket-reply', at, userId: by.user.id, body: text, data: { ticketId: id, subject: t.subject, to: t.email, status: patch.status ?? t.status } });
    } else {
      await store.activities.add({ leadId: t.leadId, type: 'ticket', at, userId: null, body: text, data: { ticketId: id, event: 'customer-reply', subject: t.subject, ...(messageFields.fromAddress ? { from: messageFields.fromAddress } : {}) } });
      await enqueueForEvent(store, {
        type: 'ticket.customer-reply', leadId: t.leadId, at, key: `ticket${id}/message${messageRow}`, reps: t.assigneeId !== null ? [t.assigneeId] : undefined,
        vars: { ticket: ticketRef(id), ticket_id: String(id), subject: t.subject, body: text.length > 2000 ? `${text.slice(0, 2000)}…` : text },
      });
    }
    const ticket = (await store.tickets.get(id))!;
    const messages = await store.tickets.messages(id);
    return { ticket, sla: slaOf(ticket, now), messages, message: messages.find((m) => m.id === messageRow)!, outboxKey };
  });
}

/** The fields a status change sets: resolved and closed stamp their time; open statuses clear both (the work runs again). */
function statusPatch(t: Ticket, status: TicketStatus, at: string): Partial<TicketFields> {
  if (status === t.status) return {};
  if (status === 'resolved') return { status, resolvedAt: at, closedAt: null };
  if (status === 'closed') return { status, closedAt: at };
  return { status, resolvedAt: null, closedAt: null };
}

/** Gives a ticket to a user (null: nobody). A new ticket becomes open. */
export async function assignTicket(ctx: ServiceContext, id: number, email: string | null): Promise<Ticket> {
  const { store, actor, now } = ctx;
  const at = now.toISOString();
  return store.transaction(async () => {
    const t = await ticketFor(asTeam(ctx), id);
    const user = email === null ? null : await assigneeOf(store, actor, email);
    if (actor.role === 'rep' && t.assigneeId !== null && t.assigneeId !== actor.id) throw new PermissionError(`ticket ${id} is assigned to ${t.assignee}; a rep takes only unassigned tickets or their own`, 'ask a manager or admin');
    if ((user?.id ?? null) === t.assigneeId) return t;
    await store.tickets.update(id, { assigneeId: user?.id ?? null, ...(t.status === 'new' && user ? { status: 'open' as const } : {}) }, at);
    await store.activities.add({ leadId: t.leadId, type: 'ticket', at, userId: actor.id, body: t.subject, data: { ticketId: id, event: 'assigned', from: t.assignee, to: user?.email ?? null } });
    return (await store.tickets.get(id))!;
  });
}

/** Resolves or closes a ticket, with an optional note for the timeline. */
export async function closeTicket(ctx: ServiceContext, id: number, opts: { resolved?: boolean; note?: string } = {}): Promise<Ticket> {
  const { store, actor, now } = ctx;
  const at = now.toISOString();
  const status: TicketStatus = opts.resolved ? 'resolved' : 'closed';
  const note = body(opts.note, false);
  return store.transaction(async () => {
    const t = await ticketFor(asTeam(ctx), id);
    if (t.status === status || t.status === 'closed') throw new UsageError(`ticket ${id} is already ${t.status}`, { id: 'ticket.reopen', ticketId: id });
    await store.tickets.update(id, statusPatch(t, status, at), at);
    await store.activities.add({ leadId: t.leadId, type: 'ticket', at, userId: actor.id, body: note ?? t.subject, data: { ticketId: id, event: status, subject: t.subject } });
    return (await store.tickets.get(id))!;
  });
}

export async function reopenTicket(ctx: ServiceContext, id: number): Promise<Ticket> {
  const { store, actor, now } = ctx;
  const at = now.toISOString();
  return store.transaction(async () => {
    const t = await ticketFor(asTeam(ctx), id);
    if (!DONE_STATUSES.includes(t.status)) throw new UsageError(`ticket ${id} is ${t.status}, not resolved or closed`);
    await store.tickets.update(id, statusPatch(t, 'open', at), at);
    await store.activities.add({ leadId: t.leadId, type: 'ticket', at, userId: actor.id, body: t.subject, data: { ticketId: id, event: 'reopened', subject: t.subject } });
    return (await store.tickets.get(id))!;
  });
}

export interface EditTicketInput {
  subject?: string;
  priority?: string;
  category?: string;
  email?: string;
}

/** Edits a ticket; a new priority sets new targets, counted from the ticket's opening. */
export async function editTicket(ctx: ServiceContext, id: number, input: EditTicketInput): Promise<Ticket> {
  const { store, actor, now } = ctx;
  const at = now.toISOString();
  if (Object.values(input).every((v) => v === undefined)) throw new UsageError(say`nothing to change: give ${fieldRef('subject')}, ${fieldRef('priority')}, ${fieldRef('category')} or ${fieldRef('email')}`);
  return store.transaction(async () => {
    const t = await ticketFor(asTeam(ctx), id);
    const settings = await store.settings.all();
    const patch: Partial<TicketFields> = {};
    if (input.subject !== undefined) patch.subject = checkName(input.subject, 'subject');
    if (input.category !== undefined) patch.category = categoryOf(settings, input.category);
    if (input.email !== undefined) patch.email = input.email.trim() ? normalizeEmail(input.email) : null;
    if (input.priority !== undefined) {
      patch.priority = parsePriority(input.priority);
      if (patch.priority !== t.priority) Object.assign(patch, duesOf(settings, patch.priority, t.createdAt));
    }
    const changes = (Object.keys(patch) as (keyof TicketFields)[]).filter((k) => ['subject', 'category', 'email', 'priority'].includes(k) && patch[k] !== t[k]).map((k) => ({ field: k, from: t[k], to: patch[k] }));
    if (!changes.length) return t;
    await store.tickets.update(id, patch, at);
    await store.activities.add({ leadId: t.leadId, type: 'ticket', at, userId: actor.id, body: patch.subject ?? t.subject, data: { ticketId: id, event: 'edited', changes } });
    return (await store.tickets.get(id))!;
  });
}

export interface InboundMail {
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  from: string | null;
  subject: string | null;
  text: string;
}

/** Message-IDs as headers carry them: each with its angle brackets. */
export function messageIdsOf(raw: unknown): string[] {
  const values = Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw];
  return values.flatMap((v) => String(v).match(/<[^<>\s]+>/g) ?? []);
}

/**
 * The ticket an inbound mail answers: the ticket holding a message its In-Reply-To or References
 * name; else, as a fallback for clients that drop those headers, the [#T-<id>] token of its
 * subject — only when the sender is the ticket's address or one of its lead's (a token is easily
 * typed by anyone). undefined: not a ticket reply.
 */
export async function ticketOfMail(store: Store, mail: InboundMail): Promise<Ticket | undefined> {
  const ids = [...new Set([...(mail.inReplyTo ? messageIdsOf(mail.inReplyTo) : []), ...mail.references])];
  const byId = await store.tickets.byMessageId(ids);
  if (byId !== undefined) return store.tickets.get(byId);
  const token = mail.subject ? SUBJECT_TOKEN.exec(mail.subject) : null;
  if (!token || !mail.from) return undefined;
  const t = await store.tickets.get(Number(token[1]));
  if (!t) return undefined;
  const from = mail.from.toLowerCase();
  const lead = await store.leads.get(t.leadId);
  const known = [t.email, ...(lead?.emails ?? [])].filter((e): e is string => Boolean(e)).map((e) => e.toLowerCase());
  return known.includes(from) ? t : undefined;
}

/** A reply's own words: the quoted thread below "On … wrote:" and ">" lines dropped. */
export function replyText(text: string): string {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^On .+wrote:\s*$/.test(line) || (/^On /.test(line) && /wrote:\s*$/.test(lines[i + 1] ?? '')) || /^-{2,}\s*Original Message\s*-{2,}/i.test(line)) break;
    if (/^>/.test(line)) continue;
    out.push(line);
  }
  return out.join('\n').trim() || text.trim();
}

/** Lands an inbound mail on the ticket it answers, as the customer's reply; the ticket's id, or undefined when it answers none. */
export async function receiveTicketMail(store: Store, now: Date, mail: InboundMail): Promise<number | undefined> {
  const t = await ticketOfMail(store, mail);
  if (!t) return undefined;
  await replyToTicket(
    { store, now, by: { kind: 'contact', leadId: t.leadId, contactId: t.contactId, name: null, email: mail.from } },
    t.id,
    { body: replyText(mail.text) || '(empty message)', messageId: mail.messageId, inReplyTo: mail.inReplyTo, from: mail.from, subject: mail.subject },
  );
  return t.id;
}

const SLA_RULE = 'ticket-sla-breach';

/**
 * The SLA rule (daemon, every minute): each target an open ticket has let pass unmet becomes
 * messages to its assignee (else its lead's reps) and their managers, once per ticket and target
 * (a rule mark written in the transaction of the messages; the key names both).
 */
export async function runTicketSlaBreaches(store: Store, now: Date): Promise<number> {
  if (!ruleConfig(findRule(SLA_RULE), await store.settings.all()).on) return 0;
  const at = now.toISOString();
  let total = 0;
  for (const t of await store.tickets.list({ statuses: [...OPEN_STATUSES], breachedAt: at })) {
    const sla = slaOf(t, now);
    for (const [target, view, words] of [['first-response', sla.firstResponse, 'first response'], ['resolution', sla.resolution, 'resolution']] as const) {
      if (view.state !== 'breached') continue;
      const ref = `ticket${t.id}/${target}`;
      if (await store.ruleMarks.isMarked(SLA_RULE, ref)) continue;
      await store.transaction(async () => {
        if (!(await store.ruleMarks.markRef(SLA_RULE, ref, at))) return;
        await enqueueForEvent(store, {
          type: 'ticket.sla-breach', leadId: t.leadId, at, key: `${ref}/breach`, reps: t.assigneeId !== null ? [t.assigneeId] : undefined,
          vars: { at: view.due, ticket: ticketRef(t.id), ticket_id: String(t.id), subject: t.subject, priority: t.priority, target: words },
        });
        total++;
      });
    }
  }
  return total;
}
