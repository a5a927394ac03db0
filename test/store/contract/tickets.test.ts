import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError } from '../../../src/errors.js';
import { slaOf, type NewTicketMessage, type TicketFields, type TicketQuery } from '../../../src/domain/tickets.js';
import { testTeam, type TestTeam } from '../../helpers/store.js';
import { at, insertLead, T0 } from './builders.js';

let t: TestTeam;
beforeEach(async () => {
  t = await testTeam();
});
afterEach(() => t.close());

const ticket = (leadId: number, o: Partial<TicketFields> = {}): TicketFields => ({
  leadId, contactId: null, subject: 'Invoice shows the wrong address', status: 'new', priority: 'normal', category: null, assigneeId: null,
  createdById: null, channel: 'cli', email: 'ana@sousa.example', firstResponseDue: at(480), resolutionDue: at(3 * 1440),
  firstResponseAt: null, resolvedAt: null, closedAt: null, ...o,
});

const message = (ticketId: number, o: Partial<NewTicketMessage> = {}): NewTicketMessage => ({
  ticketId, direction: 'in', userId: null, contactId: null, fromAddress: 'ana@sousa.example', toAddress: null, subject: null, body: 'It is wrong',
  messageId: null, inReplyTo: null, outboxKey: null, at: T0, ...o,
});

describe('store contract: tickets', () => {
  it("insert and get: every field back, with the lead's name and the assignee's and author's emails", async () => {
    const lead = await insertLead(t.store, { name: 'Ana Sousa' });
    const id = await t.store.transaction(() => t.store.tickets.insert(ticket(lead, { contactId: 3, priority: 'high', category: 'billing', assigneeId: t.ravi.id, createdById: t.admin.id, status: 'open' }), at(-5)));
    expect(await t.store.tickets.get(id)).toEqual({
      id, leadId: lead, leadName: 'Ana Sousa', contactId: 3, subject: 'Invoice shows the wrong address', status: 'open', priority: 'high', category: 'billing',
      assigneeId: t.ravi.id, assignee: 'ravi@acme.example', createdById: t.admin.id, createdBy: 'admin@acme.example', channel: 'cli', email: 'ana@sousa.example',
      firstResponseDue: at(480), resolutionDue: at(3 * 1440), firstResponseAt: null, resolvedAt: null, closedAt: null, createdAt: at(-5), updatedAt: at(-5),
    });
    expect(await t.store.tickets.get(id + 100)).toBeUndefined();
  });

  it('update sets the fields given (null included) and updatedAt, nothing else', async () => {
    const lead = await insertLead(t.store);
    const id = await t.store.tickets.insert(ticket(lead, { assigneeId: t.ravi.id }), T0);
    await t.store.tickets.update(id, { status: 'resolved', resolvedAt: at(30), firstResponseAt: at(10), assigneeId: null }, at(30));
    expect(await t.store.tickets.get(id)).toMatchObject({ status: 'resolved', resolvedAt: at(30), firstResponseAt: at(10), assigneeId: null, assignee: null, closedAt: null, updatedAt: at(30), createdAt: T0, priority: 'normal' });
    await t.store.tickets.update(id, {}, at(40));
    expect(await t.store.tickets.get(id)).toMatchObject({ status: 'resolved', updatedAt: at(40) });
  });

  describe('list', () => {
    let k: Record<string, number>;
    let leads: Record<string, number>;
    beforeEach(async () => {
      leads = {
        ravis: await insertLead(t.store, { name: "Ravi's", assigneeIds: [t.ravi.id] }),
        pool: await insertLead(t.store, { name: 'Unassigned' }),
        gone: await insertLead(t.store, { name: 'Deleted', assigneeIds: [t.ravi.id] }),
      };
      k = {
        onRavis: await t.store.tickets.insert(ticket(leads.ravis!, { priority: 'high', category: 'Billing' }), T0),
        toRavi: await t.store.tickets.insert(ticket(leads.pool!, { assigneeId: t.ravi.id, status: 'open' }), T0),
        toPriya: await t.store.tickets.insert(ticket(leads.pool!, { assigneeId: t.priya.id, status: 'pending-customer', priority: 'urgent' }), T0),
        closed: await t.store.tickets.insert(ticket(leads.pool!, { status: 'closed', closedAt: at(5) }), T0),
        onDeleted: await t.store.tickets.insert(ticket(leads.gone!), T0),
      };
      await t.store.transaction(() => t.store.leads.update(leads.gone!, { deletedAt: at(1) }, at(1)));
    });
    const list = async (q: TicketQuery) => (await t.store.tickets.list(q)).map((x) => x.id);

    it('newest first; none of deleted leads; lead, statuses, priorities, category (any case), assignee, unassigned, limit', async () => {
      expect(await list({})).toEqual([k.closed, k.toPriya, k.toRavi, k.onRavis]);
      expect(await list({ leadId: leads.pool! })).toEqual([k.closed, k.toPriya, k.toRavi]);
      expect(await list({ statuses: ['new', 'open'] })).toEqual([k.toRavi, k.onRavis]);
      expect(await list({ priorities: ['urgent', 'high'] })).toEqual([k.toPriya, k.onRavis]);
      expect(await list({ category: 'billing' })).toEqual([k.onRavis]);
      expect(await list({ assigneeId: t.ravi.id })).toEqual([k.toRavi]);
      expect(await list({ unassigned: true })).toEqual([k.closed, k.onRavis]);
      expect(await list({ ids: [k.onRavis!, k.onDeleted!] })).toEqual([k.onRavis]);
      expect(await list({ ids: [] })).toEqual([]);
      expect(await list({ limit: 2 })).toEqual([k.closed, k.toPriya]);
    });

    it("visibleTo: the tickets assigned to the user and those on the user's leads", async () => {
      expect(await list({ visibleTo: t.ravi.id })).toEqual([k.toRavi, k.onRavis]);
      expect(await list({ visibleTo: t.priya.id })).toEqual([k.toPriya]);
      expect(await list({ visibleTo: t.manager.id })).toEqual([]);
    });
  });

  it('breachedAt finds exactly the tickets slaOf calls breached, in every state a ticket can be in', async () => {
    const lead = await insertLead(t.store);
    const due = { firstResponseDue: at(60), resolutionDue: at(240) };
    const cases: Partial<TicketFields>[] = [
      {}, // nothing done, nothing due yet at +30; first response overdue at +90
      { firstResponseAt: at(30) }, // answered in time
      { firstResponseAt: at(90) }, // answered late: breached ever after
      { firstResponseAt: at(30), status: 'resolved', resolvedAt: at(200) }, // all in time
      { firstResponseAt: at(30), status: 'resolved', resolvedAt: at(300) }, // resolved late
      { status: 'closed', closedAt: at(45) }, // closed in time without a reply: nothing was needed
      { status: 'closed', closedAt: at(120) }, // closed after the first response was due, never answered
      { firstResponseAt: at(30), status: 'closed', resolvedAt: at(100), closedAt: at(500) }, // resolved in time, closed later
      { firstResponseAt: at(30), status: 'pending-customer' }, // waiting, resolution overdue at +300
    ];
    const ids: number[] = [];
    for (const c of cases) ids.push(await t.store.tickets.insert(ticket(lead, { ...due, ...c }), T0));
    for (const minutes of [30, 90, 150, 300, 600]) {
      const now = new Date(at(minutes));
      const all = await t.store.tickets.list({});
      const expected = all.filter((x) => slaOf(x, now).breached).map((x) => x.id);
      expect(await t.store.tickets.list({ breachedAt: now.toISOString() }).then((r) => r.map((x) => x.id)), `at +${minutes} min`).toEqual(expected);
    }
    // The cases themselves, at +300 (resolution was due at +240): only those done in time are not breached.
    const states = (await t.store.tickets.list({})).reverse().map((x) => slaOf(x, new Date(at(300))).breached);
    expect(states).toEqual([true, true, true, false, true, false, true, false, true]);
  });

  it('messages: oldest first with the author; byMessageId finds the ticket; a Message-ID is stored once', async () => {
    const lead = await insertLead(t.store);
    const a = await t.store.tickets.insert(ticket(lead), T0);
    const b = await t.store.tickets.insert(ticket(lead), T0);
    const m2 = await t.store.tickets.addMessage(message(a, { direction: 'out', userId: t.ravi.id, fromAddress: null, toAddress: 'ana@sousa.example', body: 'Fixed', messageId: '<t-1.x@acme.example>', outboxKey: 'ticket1/reply/x', at: at(10) }));
    const m1 = await t.store.tickets.addMessage(message(a, { at: at(1) }));
    await t.store.tickets.addMessage(message(b, { messageId: '<other@sousa.example>', at: at(2) }));
    expect(await t.store.tickets.messages(a)).toEqual([
      { id: m1, ticketId: a, direction: 'in', userId: null, user: null, contactId: null, fromAddress: 'ana@sousa.example', toAddress: null, subject: null, body: 'It is wrong', messageId: null, inReplyTo: null, outboxKey: null, at: at(1) },
      { id: m2, ticketId: a, direction: 'out', userId: t.ravi.id, user: 'ravi@acme.example', contactId: null, fromAddress: null, toAddress: 'ana@sousa.example', subject: null, body: 'Fixed', messageId: '<t-1.x@acme.example>', inReplyTo: null, outboxKey: 'ticket1/reply/x', at: at(10) },
    ]);
    expect(await t.store.tickets.byMessageId(['<t-1.x@acme.example>'])).toBe(a);
    expect(await t.store.tickets.byMessageId(['<nope@x>', '<other@sousa.example>'])).toBe(b);
    expect(await t.store.tickets.byMessageId(['<nope@x>'])).toBeUndefined();
    expect(await t.store.tickets.byMessageId([])).toBeUndefined();
    await expect(t.store.transaction(() => t.store.tickets.addMessage(message(b, { messageId: '<t-1.x@acme.example>' })))).rejects.toBeInstanceOf(ConflictError);
    expect(await t.store.tickets.messages(b)).toHaveLength(1);
  });

  it("moveToLead moves a lead's tickets, with their messages", async () => {
    const from = await insertLead(t.store, { name: 'Old' });
    const to = await insertLead(t.store, { name: 'New' });
    const id = await t.store.tickets.insert(ticket(from), T0);
    await t.store.tickets.addMessage(message(id));
    await t.store.transaction(() => t.store.tickets.moveToLead(from, to));
    expect(await t.store.tickets.get(id)).toMatchObject({ leadId: to, leadName: 'New' });
    expect(await t.store.tickets.list({ leadId: from })).toEqual([]);
    expect(await t.store.tickets.messages(id)).toHaveLength(1);
  });
});
