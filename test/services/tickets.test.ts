import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError, PermissionError, UsageError } from '../../src/errors.js';
import { slaOf } from '../../src/domain/tickets.js';
import { mergeLeads, showLead } from '../../src/services/leads/service.js';
import { setSetting } from '../../src/services/settings/service.js';
import {
  asTeam, assignTicket, closeTicket, editTicket, listTickets, openTicket, receiveTicketMail, reopenTicket, replyText, replyToTicket, runTicketSlaBreaches, showTicket,
  type InboundMail, type TicketContext,
} from '../../src/services/tickets/service.js';
import { addLeadAs, FIXED_NOW, testTeam, type TestTeam } from '../helpers/store.js';

let team: TestTeam;
beforeEach(async () => {
  team = await testTeam();
  leads = 0;
});
afterEach(() => team.close());

/** FIXED_NOW plus minutes: the fixed clock the SLA is judged by. */
const later = (minutes: number) => new Date(FIXED_NOW.getTime() + minutes * 60_000);
const tc = (user = team.admin, now = FIXED_NOW): TicketContext => asTeam(team.as(user, now));
const mail = (o: Partial<InboundMail>): InboundMail => ({ messageId: `<m${Math.random().toString(36).slice(2)}@sousa.example>`, inReplyTo: null, references: [], from: 'ana@sousa.example', subject: 'Re: x', text: 'Thanks', ...o });

let leads = 0;
/** A ticket on a new lead of Ravi's (the first lead's address is ana@sousa.example). */
async function aTicket(o: Parameters<typeof openTicket>[1] = {}, user = team.admin) {
  const n = leads++;
  const lead = await addLeadAs(team, team.admin, { name: 'Ana Sousa', emails: [n ? `ana${n}@sousa.example` : 'ana@sousa.example'], assign: ['ravi@acme.example'] });
  const v = await openTicket(tc(user), { leadId: lead.id, subject: 'Invoice shows the wrong address', body: 'Please fix it', ...o });
  return { lead, ticket: v.ticket, view: v };
}

describe('tickets: opening, SLA targets from the settings', () => {
  it('targets come from ticket.sla.<priority>, counted from the opening; a new priority re-counts from the opening', async () => {
    await setSetting(team.as(team.admin), 'ticket.sla.high', '2h / 1d');
    const { ticket, view } = await aTicket({ priority: 'HIGH' });
    expect(ticket).toMatchObject({ status: 'new', priority: 'high', email: 'ana@sousa.example', firstResponseDue: later(120).toISOString(), resolutionDue: later(1440).toISOString() });
    expect(view.sla).toEqual({ breached: false, firstResponse: { due: later(120).toISOString(), at: null, state: 'running' }, resolution: { due: later(1440).toISOString(), at: null, state: 'running' } });
    expect(view.messages).toMatchObject([{ direction: 'in', body: 'Please fix it', userId: team.admin.id }]);
    // Edited an hour later: urgent is 1h/4h by default, from 09:00, not from 10:00.
    const edited = await editTicket(team.as(team.admin, later(60)), ticket.id, { priority: 'urgent' });
    expect(edited).toMatchObject({ priority: 'urgent', firstResponseDue: later(60).toISOString(), resolutionDue: later(240).toISOString() });
    await expect(setSetting(team.as(team.admin), 'ticket.sla.low', '2d/1d')).rejects.toThrow(/invalid ticket.sla.low '2d\/1d'/);
    await expect(setSetting(team.as(team.admin), 'ticket.sla.low', 'soon')).rejects.toBeInstanceOf(UsageError);
  });

  it('categories are free text unless ticket.categories lists them; an assignee opens it; bad input is refused', async () => {
    const { ticket } = await aTicket({ category: ' Login trouble ', assignee: 'priya@acme.example' });
    expect(ticket).toMatchObject({ category: 'Login trouble', status: 'open', assignee: 'priya@acme.example' });
    await setSetting(team.as(team.admin), 'ticket.categories', 'Billing, Delivery');
    expect((await aTicket({ category: 'billing' })).ticket.category).toBe('Billing');
    await expect(aTicket({ category: 'Login' })).rejects.toThrow(/invalid --category 'Login'|invalid category 'Login'/);
    await expect(aTicket({ priority: 'asap' })).rejects.toThrow(/invalid priority 'asap'/);
    await expect(aTicket({ subject: '' })).rejects.toBeInstanceOf(UsageError);
    // A rep gives tickets only to themselves.
    await expect(aTicket({ assignee: 'priya@acme.example' }, team.ravi)).rejects.toBeInstanceOf(PermissionError);
  });
});

describe('tickets: replies by email, threaded', () => {
  it("a team reply is queued with a recorded Message-ID and token subject; the first one is the first response; the customer's answer comes back by In-Reply-To", async () => {
    await setSetting(team.as(team.admin), 'smtp.from', 'Acme Support <support@acme.example>');
    const { ticket, lead } = await aTicket();
    const r = await replyToTicket(tc(team.ravi, later(30)), ticket.id, { body: 'Fixed: see the new invoice.' });
    expect(r.ticket).toMatchObject({ status: 'pending-customer', firstResponseAt: later(30).toISOString() });
    expect(r.sla.firstResponse.state).toBe('met');
    expect(r.message).toMatchObject({ direction: 'out', toAddress: 'ana@sousa.example', subject: `Re: Invoice shows the wrong address [#T-${ticket.id}]`, userId: team.ravi.id });
    expect(r.message.messageId).toMatch(new RegExp(`^<t-${ticket.id}\\.[\\w-]+@acme\\.example>$`));
    const queued = (await team.store.outbox.byKey(r.outboxKey!))!;
    expect(queued).toMatchObject({ rule: 'ticket-reply', channel: 'email', address: 'ana@sousa.example', leadId: lead.id });
    expect(queued.content).toMatchObject({ subject: r.message.subject, text: 'Fixed: see the new invoice.', messageId: r.message.messageId });

    // The customer answers the mail: it lands on the ticket, which is open again; the assignee… here the lead's rep, is told.
    const id = await receiveTicketMail(team.store, later(60), mail({ inReplyTo: r.message.messageId, subject: 'Re: Invoice', text: 'Still wrong.\n\nOn Mon, Support wrote:\n> Fixed' }));
    expect(id).toBe(ticket.id);
    const v = await showTicket(tc(), ticket.id);
    expect(v.ticket.status).toBe('open');
    expect(v.messages.at(-1)).toMatchObject({ direction: 'in', body: 'Still wrong.', fromAddress: 'ana@sousa.example', inReplyTo: r.message.messageId });
    expect((await team.store.outbox.list({ rule: 'ticket-customer-reply' })).map((m) => [m.channel, m.recipientId])).toEqual([['inbox', team.ravi.id]]);

    // The next team reply names the thread: In-Reply-To the customer's mail, References every Message-ID so far.
    const r2 = await replyToTicket(tc(team.ravi, later(90)), ticket.id, { body: 'Sorry, now it is.', status: 'resolved' });
    const headers = (await team.store.outbox.byKey(r2.outboxKey!))!.content!.headers!;
    expect(headers['In-Reply-To']).toBe(v.messages.at(-1)!.messageId);
    expect(headers.References).toBe(`${r.message.messageId} ${v.messages.at(-1)!.messageId}`);
    expect(r2.ticket).toMatchObject({ status: 'resolved', resolvedAt: later(90).toISOString(), firstResponseAt: later(30).toISOString() });

    // An answer to a resolved ticket reopens it; a timeline shows the whole story.
    await receiveTicketMail(team.store, later(120), mail({ references: [r.message.messageId!, r2.message.messageId!], text: 'Thank you!' }));
    expect((await showTicket(tc(), ticket.id)).ticket).toMatchObject({ status: 'open', resolvedAt: null });
    const timeline = (await showLead(team.as(team.admin), lead.id)).timeline.map((a) => [a.type, a.data.event ?? null]);
    expect(timeline.filter(([t]) => t === 'ticket' || t === 'ticket-reply')).toEqual([
      ['ticket', 'customer-reply'], ['ticket-reply', null], ['ticket', 'customer-reply'], ['ticket-reply', null], ['ticket', 'opened'],
    ]);
  });

  it('the subject token is a fallback only from an address the ticket knows; other mail is not a reply', async () => {
    const { ticket } = await aTicket();
    expect(await receiveTicketMail(team.store, later(5), mail({ from: 'mallory@evil.example', subject: `Re: [#T-${ticket.id}] hi` }))).toBeUndefined();
    expect(await receiveTicketMail(team.store, later(5), mail({ subject: 'A new question' }))).toBeUndefined();
    expect(await receiveTicketMail(team.store, later(5), mail({ inReplyTo: '<unknown@x.example>', subject: 'Re: something' }))).toBeUndefined();
    expect(await receiveTicketMail(team.store, later(5), mail({ from: 'ANA@sousa.example', subject: `Re: Invoice [#t-${ticket.id}]` }))).toBe(ticket.id);
    // The ticket was new and unassigned: a customer's message keeps it new (nobody has picked it up).
    expect((await showTicket(tc(), ticket.id)).ticket.status).toBe('new');
  });

  it('a reply needs an address and words; replyText drops the quoted thread', async () => {
    const { ticket } = await aTicket();
    await editTicket(team.as(team.admin), ticket.id, { email: '' });
    await expect(replyToTicket(tc(), ticket.id, { body: 'Hi' })).rejects.toThrow(/has no customer email address/);
    await editTicket(team.as(team.admin), ticket.id, { email: 'billing@sousa.example' });
    await expect(replyToTicket(tc(), ticket.id, { body: '  ' })).rejects.toThrow(/the message is empty/);
    await expect(replyToTicket(tc(), ticket.id, { body: 'Hi', status: 'new' })).rejects.toBeInstanceOf(UsageError);
    expect((await replyToTicket(tc(), ticket.id, { body: 'Hi' })).message.toAddress).toBe('billing@sousa.example');
    expect(replyText('Yes.\n> old\nmore\n\nOn Mon, 23 Nov 2026 at 09:00, Support <s@a.example> wrote:\n> quoted')).toBe('Yes.\nmore');
    expect(replyText('> only quoted')).toBe('> only quoted');
  });
});

describe('tickets: who sees what', () => {
  it("a rep sees the tickets of their leads and those assigned to them; another rep's is refused; a contact only their company's", async () => {
    const { ticket: onRavis } = await aTicket();
    const other = await addLeadAs(team, team.admin, { name: 'Other Co', assign: ['priya@acme.example'] });
    const toRavi = (await openTicket(tc(), { leadId: other.id, subject: 'Delivery late', assignee: 'ravi@acme.example' })).ticket;
    const priyas = (await openTicket(tc(), { leadId: other.id, subject: 'Wrong size' })).ticket;
    expect((await listTickets(tc(team.ravi), {})).map((t) => t.id)).toEqual([toRavi.id, onRavis.id]);
    expect((await listTickets(tc(team.priya), {})).map((t) => t.id)).toEqual([priyas.id, toRavi.id]);
    await expect(showTicket(tc(team.ravi), priyas.id)).rejects.toBeInstanceOf(PermissionError);
    await expect(replyToTicket(tc(team.ravi), priyas.id, { body: 'x' })).rejects.toBeInstanceOf(PermissionError);
    // A rep takes an unassigned ticket, not another's.
    await expect(assignTicket(team.as(team.ravi), toRavi.id, 'priya@acme.example')).rejects.toBeInstanceOf(PermissionError);

    const contact: TicketContext = { store: team.store, now: FIXED_NOW, by: { kind: 'contact', leadId: other.id, contactId: null, name: 'Olga', email: 'olga@other.example' } };
    expect((await listTickets(contact, {})).map((t) => t.id)).toEqual([priyas.id, toRavi.id]);
    await expect(showTicket(contact, onRavis.id)).rejects.toBeInstanceOf(NotFoundError);
    const opened = await openTicket(contact, { leadId: onRavis.leadId, subject: 'From the portal', body: 'Help' });
    expect(opened.ticket).toMatchObject({ leadId: other.id, channel: 'portal', email: 'olga@other.example', createdById: null });
    await expect(openTicket(contact, { subject: 'x', body: 'y', assignee: 'ravi@acme.example' })).rejects.toBeInstanceOf(PermissionError);
  });

  it('assign, close (resolved or closed), reopen: statuses, stamps and refusals', async () => {
    const { ticket } = await aTicket();
    expect(await assignTicket(team.as(team.ravi), ticket.id, 'ravi@acme.example')).toMatchObject({ status: 'open', assignee: 'ravi@acme.example' });
    expect(await closeTicket(team.as(team.ravi, later(10)), ticket.id, { resolved: true })).toMatchObject({ status: 'resolved', resolvedAt: later(10).toISOString() });
    expect(await closeTicket(team.as(team.ravi, later(20)), ticket.id)).toMatchObject({ status: 'closed', resolvedAt: later(10).toISOString(), closedAt: later(20).toISOString() });
    await expect(closeTicket(team.as(team.ravi), ticket.id)).rejects.toThrow(/already closed/);
    expect(await reopenTicket(team.as(team.ravi, later(30)), ticket.id)).toMatchObject({ status: 'open', resolvedAt: null, closedAt: null });
    await expect(reopenTicket(team.as(team.ravi), ticket.id)).rejects.toThrow(/is open, not resolved or closed/);
    expect((await listTickets(tc(), { status: ['pending'] }))).toEqual([]);
    expect((await listTickets(tc(), { status: ['open'] })).map((t) => t.id)).toEqual([ticket.id]);
  });

  it('a merge moves the tickets to the lead that stays', async () => {
    const { ticket, lead } = await aTicket();
    const target = await addLeadAs(team, team.admin, { name: 'Ana S.' });
    await mergeLeads(team.as(team.admin), lead.id, target.id);
    expect((await showTicket(tc(), ticket.id)).ticket.leadId).toBe(target.id);
    expect((await showLead(team.as(team.admin), target.id)).tickets.map((t) => t.id)).toEqual([ticket.id]);
  });
});

describe('tickets: SLA breaches through the outbox, with a fixed clock', () => {
  it('each missed target is announced once, to the assignee and their manager; a reply in time prevents it', async () => {
    await setSetting(team.as(team.admin), 'ticket.sla.normal', '1h/4h');
    const { ticket } = await aTicket({ assignee: 'ravi@acme.example' });
    const { ticket: answered } = await aTicket();
    await replyToTicket(tc(team.ravi, later(30)), answered.id, { body: 'On it' });
    const announced = async () => (await team.store.outbox.list({ rule: 'ticket-sla-breach' })).map((m) => `${m.key.split('/').slice(1, 3).join('/')} ${m.channel} user${m.recipientId}`).sort();

    expect(await runTicketSlaBreaches(team.store, later(59))).toBe(0);
    expect(await runTicketSlaBreaches(team.store, later(61))).toBe(1);
    expect(await announced()).toEqual([`ticket${ticket.id}/first-response inbox user${team.ravi.id}`, `ticket${ticket.id}/first-response inbox user${team.manager.id}`].sort());
    expect(await runTicketSlaBreaches(team.store, later(62))).toBe(0);
    expect(slaOf((await showTicket(tc(), ticket.id)).ticket, later(61)).firstResponse.state).toBe('breached');
    expect((await listTickets(tc(team.admin, later(61)), { breached: true })).map((t) => t.id)).toEqual([ticket.id]);

    // Four hours on both miss their resolution (the answered one's lead rep is Ravi too); a resolved ticket is no longer announced.
    await closeTicket(team.as(team.admin, later(200)), answered.id, { resolved: true });
    expect(await runTicketSlaBreaches(team.store, later(241))).toBe(1);
    expect(await runTicketSlaBreaches(team.store, later(300))).toBe(0);
    expect((await announced()).filter((k) => k.includes('resolution'))).toEqual([`ticket${ticket.id}/resolution inbox user${team.ravi.id}`, `ticket${ticket.id}/resolution inbox user${team.manager.id}`].sort());
    const inbox = (await team.store.outbox.list({ rule: 'ticket-sla-breach' }))[0]!;
    expect(inbox.vars).toMatchObject({ ticket: `T-${ticket.id}`, target: 'resolution', priority: 'normal', subject: 'Invoice shows the wrong address' });
  });

  it('the rule can be switched off', async () => {
    await aTicket();
    await team.store.settings.set('notify.rule.ticket-sla-breach', JSON.stringify({ on: false }));
    expect(await runTicketSlaBreaches(team.store, later(10_000))).toBe(0);
  });
});
