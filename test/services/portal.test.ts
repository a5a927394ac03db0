import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, PermissionError, UsageError } from '../../src/errors.js';
import type { PortalScope } from '../../src/domain/portal.js';
import { addPerson } from '../../src/services/leads/persons.js';
import { eraseContact } from '../../src/services/people/service.js';
import { addOrder, billOrder, payInvoice, portalInvoice, portalLedger, portalOrder, portalOrders, requestOrder } from '../../src/services/orders/service.js';
import { addProduct } from '../../src/services/orders/products.js';
import { portalInvoicePdf } from '../../src/services/orders/invoice-pdf.js';
import {
  csrfOk, csrfToken, invite, listSessions, RateLimiter, requestLink, revoke, sessionOf, setPortal, signIn, signOut, tokenHash, LINKS_PER_EMAIL,
} from '../../src/services/portal/service.js';
import { addTemplate, decideProposal, portalProposal, portalProposals, portalViewProposal, sendProposal } from '../../src/services/proposals/service.js';
import { setSetting } from '../../src/services/settings/service.js';
import { addUser } from '../../src/services/users/service.js';
import { listTickets, openTicket, replyToTicket, showTicket, type TicketContext } from '../../src/services/tickets/service.js';
import { addLeadAs, FIXED_NOW, testTeam, type TestTeam } from '../helpers/store.js';

let team: TestTeam;
beforeEach(async () => {
  team = await testTeam();
  await setPortal(team.as(team.admin), { on: true });
});
afterEach(() => team.close());

const BASE = 'https://crm.acme.example';
const later = (minutes: number) => new Date(FIXED_NOW.getTime() + minutes * 60_000);

/** Two companies: Sousa (Ravi's, with Ana, a contact person with portal access) and Lima (Priya's). */
async function companies() {
  const sousa = await addLeadAs(team, team.admin, { name: 'Rui Sousa', businessName: 'Sousa Lda', kind: 'company', emails: ['rui@sousa.example'], assign: ['ravi@acme.example'] });
  const lima = await addLeadAs(team, team.admin, { name: 'Eva Lima', businessName: 'Lima SA', kind: 'company', emails: ['eva@lima.example'], assign: ['priya@acme.example'] });
  const ana = await addPerson(team.as(team.admin), sousa.id, { name: 'Ana Reis', email: 'ana@sousa.example', portal: true });
  const joao = await addPerson(team.as(team.admin), sousa.id, { name: 'João Melo', email: 'joao@sousa.example', portal: false });
  return { sousa, lima, ana, joao };
}

/** The link a queued sign-in email carries. */
async function linkOf(outboxKey: string): Promise<string> {
  const m = await team.store.outbox.byKey(outboxKey);
  return /\/portal\/login\/([A-Za-z0-9_-]+)/.exec(m!.content!.text)![1]!;
}

const scopeOf = (leadId: number, personId: number | null = null): PortalScope => ({ leadId, personId, name: 'Ana Reis', email: 'ana@sousa.example' });

describe('portal links: invite, single use, expiry', () => {
  it('invite mails a link to a contact person with portal access; only its hash is stored; it signs in once, before it expires', async () => {
    const { sousa, ana } = await companies();
    const r = await invite(team.as(team.ravi), `person:${ana.id}`, BASE);
    expect(r).toMatchObject({ leadId: sousa.id, personId: ana.id, email: 'ana@sousa.example', expiresAt: later(30).toISOString() });
    const msg = (await team.store.outbox.byKey(r.outboxKey))!;
    expect(msg).toMatchObject({ channel: 'email', address: 'ana@sousa.example', leadId: sousa.id });
    expect(msg.content!.text).toMatch(/^Hello Ana Reis,\n\nSign in to .* with this link:\n\nhttps:\/\/crm\.acme\.example\/portal\/login\/[A-Za-z0-9_-]{43}\n/);
    const token = await linkOf(r.outboxKey);
    // The store knows the token by its hash only.
    expect(await team.store.portal.linkByHash(token)).toBeUndefined();
    expect(await team.store.portal.linkByHash(tokenHash(token))).toMatchObject({ leadId: sousa.id, personId: ana.id, usedAt: null });

    const s = await signIn(team.store, later(29), token, '127.0.0.1', 'test');
    expect(s?.scope).toEqual({ leadId: sousa.id, personId: ana.id, name: 'Ana Reis', email: 'ana@sousa.example' });
    expect(await signIn(team.store, later(29), token, '127.0.0.1', 'test')).toBeUndefined();
    expect((await sessionOf(team.store, later(30), s!.token))?.scope.leadId).toBe(sousa.id);
    expect(await sessionOf(team.store, later(30), token)).toBeUndefined();

    const expired = await linkOf((await invite(team.as(team.admin), `person:${ana.id}`, BASE)).outboxKey);
    expect(await signIn(team.store, later(30), expired, null, null)).toBeUndefined();
  });

  it('invite refuses a person without portal access, a lead without email, the portal off, a rep on another rep\'s lead, marketing', async () => {
    const { sousa, lima, joao } = await companies();
    await expect(invite(team.as(team.admin), `person:${joao.id}`, BASE)).rejects.toThrow(/contact person \d+ \(João Melo\) has no portal access/);
    await expect(invite(team.as(team.admin), `person:${joao.id}`, BASE)).rejects.toBeInstanceOf(ConflictError);
    await expect(invite(team.as(team.ravi), String(lima.id), BASE)).rejects.toBeInstanceOf(PermissionError);
    const marketing = await addUser(team.as(team.admin), { name: 'Mo', email: 'mo@acme.example', role: 'marketing' });
    await expect(invite(team.as(marketing), String(sousa.id), BASE)).rejects.toThrow(/is a marketing and may not invite contacts to the portal/);
    const noMail = await addLeadAs(team, team.admin, { name: 'No Mail', emails: [] });
    await expect(invite(team.as(team.admin), String(noMail.id), BASE)).rejects.toThrow(/has no email address/);
    await expect(invite(team.as(team.admin), String(sousa.id), undefined)).rejects.toBeInstanceOf(UsageError);
    expect((await invite(team.as(team.admin), 'rui@sousa.example', BASE)).personId).toBeNull();
    await setPortal(team.as(team.admin), { on: false });
    await expect(invite(team.as(team.admin), String(sousa.id), BASE)).rejects.toThrow(/the customer portal is off/);
  });

  it('the login form: the same outcome whether known or not to the caller; links per email are limited; a remote address is rate-limited', async () => {
    const { ana } = await companies();
    expect(await requestLink(team.store, FIXED_NOW, 'nobody@nowhere.example', '10.0.0.1', BASE)).toBe('unknown');
    expect(await requestLink(team.store, FIXED_NOW, 'not an email', '10.0.0.1', BASE)).toBe('unknown');
    // João has no portal access: unknown too.
    expect(await requestLink(team.store, FIXED_NOW, 'joao@sousa.example', '10.0.0.1', BASE)).toBe('unknown');
    expect((await team.store.outbox.list({ limit: null })).filter((m) => m.key.startsWith('portal/'))).toHaveLength(0);
    for (let i = 0; i < LINKS_PER_EMAIL; i++) expect(await requestLink(team.store, later(i), 'ANA@sousa.example', '10.0.0.1', BASE)).toBe('sent');
    expect(await requestLink(team.store, later(5), 'ana@sousa.example', '10.0.0.1', BASE)).toBe('limited');
    expect(await requestLink(team.store, later(16), 'ana@sousa.example', '10.0.0.1', BASE)).toBe('sent');
    const links = (await team.store.outbox.list({ limit: null })).filter((m) => m.key.startsWith('portal/'));
    expect(links).toHaveLength(LINKS_PER_EMAIL + 1);
    expect(links.every((m) => m.address === 'ana@sousa.example')).toBe(true);
    expect(ana.portal).toBe(true);

    const perAddress = new RateLimiter(2, 60_000);
    expect([perAddress.take('a', 0), perAddress.take('a', 1), perAddress.take('a', 2), perAddress.take('b', 2), perAddress.take('a', 60_000)]).toEqual([true, true, false, true, true]);
  });

  it('sessions end on logout, on revoke (a person, or the whole lead), when the person loses portal access, and at expiry', async () => {
    const { sousa, ana } = await companies();
    const signed = async () => (await signIn(team.store, FIXED_NOW, await linkOf((await invite(team.as(team.admin), `person:${ana.id}`, BASE)).outboxKey), null, null))!;
    const a = await signed();
    await signOut(team.store, FIXED_NOW, a.sessionId);
    expect(await sessionOf(team.store, FIXED_NOW, a.token)).toBeUndefined();

    const b = await signed();
    const lead = await signed();
    expect((await listSessions(team.as(team.ravi))).map((s) => s.id).sort()).toEqual([b.sessionId, lead.sessionId].sort());
    expect(await listSessions(team.as(team.priya))).toEqual([]);
    await expect(revoke(team.as(team.priya), `person:${ana.id}`)).rejects.toBeInstanceOf(PermissionError);
    expect(await revoke(team.as(team.ravi), `person:${ana.id}`)).toMatchObject({ scope: 'person', sessionsEnded: 2 });
    expect(await sessionOf(team.store, FIXED_NOW, b.token)).toBeUndefined();

    // An unused link is voided by a revoke too.
    const unused = await linkOf((await invite(team.as(team.admin), String(sousa.id), BASE)).outboxKey);
    expect(await revoke(team.as(team.admin), String(sousa.id))).toMatchObject({ scope: 'lead', sessionsEnded: 0 });
    expect(await signIn(team.store, FIXED_NOW, unused, null, null)).toBeUndefined();

    const c = await signed();
    await team.store.contactPersons.update(ana.id, { portal: false }, FIXED_NOW.toISOString());
    expect(await sessionOf(team.store, FIXED_NOW, c.token)).toBeUndefined();
    await team.store.contactPersons.update(ana.id, { portal: true }, FIXED_NOW.toISOString());
    expect(await sessionOf(team.store, later(12 * 60 - 1), c.token)).toBeDefined();
    expect(await sessionOf(team.store, later(12 * 60), c.token)).toBeUndefined();
  });
});

describe('portal data and erasure', () => {
  it("erasing a person removes the portal links and sessions of their leads", async () => {
    const { sousa, ana } = await companies();
    const s = (await signIn(team.store, FIXED_NOW, await linkOf((await invite(team.as(team.admin), `person:${ana.id}`, BASE)).outboxKey), null, null))!;
    const own = (await signIn(team.store, FIXED_NOW, await linkOf((await invite(team.as(team.admin), String(sousa.id), BASE)).outboxKey), null, null))!;
    await invite(team.as(team.admin), String(sousa.id), BASE);
    expect(await team.store.portal.linksSince('rui@sousa.example', FIXED_NOW.toISOString())).toBe(2);
    await eraseContact(team.as(team.admin), 'rui@sousa.example');
    expect(await team.store.portal.linksSince('rui@sousa.example', FIXED_NOW.toISOString())).toBe(0);
    expect(await sessionOf(team.store, FIXED_NOW, s.token)).toBeUndefined();
    expect(await sessionOf(team.store, FIXED_NOW, own.token)).toBeUndefined();
    expect(await team.store.portal.sessions(undefined, FIXED_NOW.toISOString())).toEqual([]);
  });
});

describe('portal CSRF tokens', () => {
  it('are tied to the session (and purpose), checked in constant time, and refuse missing or altered tokens', () => {
    const t = csrfToken('session-a');
    expect(csrfOk('session-a', t)).toBe(true);
    expect(csrfOk('session-b', t)).toBe(false);
    expect(csrfOk('session-a', t, 'login')).toBe(false);
    expect(csrfOk('session-a', null)).toBe(false);
    expect(csrfOk('session-a', '')).toBe(false);
    expect(csrfOk('session-a', `${t.slice(0, -1)}${t.endsWith('A') ? 'B' : 'A'}`)).toBe(false);
    expect(csrfOk('session-a', `${t}x`)).toBe(false);
  });
});

describe('portal scope: a contact reaches only their own company', () => {
  it('orders, invoices (and their PDF) and the ledger of the own lead; another company\'s ids are not found', async () => {
    const { sousa, lima } = await companies();
    const admin = team.as(team.admin);
    const mine = await addOrder(admin, { lead: sousa.id, items: ['Widget; qty=2; price=100; tax=23'] });
    const billed = await billOrder(admin, mine.id);
    await payInvoice(admin, billed.invoiceNumber!, { amount: '100' });
    const theirs = await billOrder(admin, (await addOrder(admin, { lead: lima.id, items: ['Gadget; price=50'] })).id);
    const scope = scopeOf(sousa.id);

    expect((await portalOrders(team.store, scope)).map((o) => o.id)).toEqual([mine.id]);
    expect((await portalOrders(team.store, scope, { invoiced: true })).map((o) => o.invoiceNumber)).toEqual([billed.invoiceNumber]);
    expect((await portalOrder(team.store, scope, mine.id)).balanceMinor).toBe(24600 - 10000);
    expect((await portalInvoice(team.store, scope, billed.invoiceNumber!)).payments).toHaveLength(1);
    await expect(portalOrder(team.store, scope, theirs.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(portalOrder(team.store, scope, 999)).rejects.toBeInstanceOf(NotFoundError);
    await expect(portalInvoice(team.store, scope, theirs.invoiceNumber!)).rejects.toBeInstanceOf(NotFoundError);
    const pdf = await portalInvoicePdf(team.store, scope, billed.invoiceNumber!);
    expect([pdf.filename, pdf.pdf.subarray(0, 5).toString()]).toEqual([`${billed.invoiceNumber}.pdf`, '%PDF-']);
    await expect(portalInvoicePdf(team.store, scope, theirs.invoiceNumber!)).rejects.toBeInstanceOf(NotFoundError);
    const ledger = await portalLedger(team.store, scope);
    expect(ledger.balances).toEqual([{ currency: 'EUR', balanceMinor: 14600 }]);
    expect(ledger.entries.map((e) => [e.kind, e.amountMinor])).toEqual([['invoice', 24600], ['payment', -10000]]);
  });

  it('proposals: sent ones of the own lead only; opening marks viewed; accepting writes the timeline and tells the rep through the outbox; rejecting needs a reason', async () => {
    const { sousa, lima } = await companies();
    await setSetting(team.as(team.admin), 'smtp.host', '127.0.0.1');
    await addTemplate(team.as(team.admin), { name: 'standard', subject: 'Proposal for {business_name}', body: 'Our offer.' });
    const items = join(team.dir, 'items.csv');
    writeFileSync(items, 'description,quantity,unit_price,discount,tax\nWidget,3,19.99,0,23\n');
    const sent = (await sendProposal(team.as(team.ravi), { lead: sousa.id, template: 'standard', items, validUntil: '2026-12-31' })).proposal;
    const other = (await sendProposal(team.as(team.ravi), { lead: sousa.id, template: 'standard', items })).proposal;
    const draft = (await sendProposal(team.as(team.ravi), { lead: sousa.id, template: 'standard', items, draft: true })).proposal;
    const theirs = (await sendProposal(team.as(team.priya), { lead: lima.id, template: 'standard', items })).proposal;
    const scope = scopeOf(sousa.id);
    expect((await portalProposals(team.store, scope)).map((p) => p.id).sort()).toEqual([sent.id, other.id].sort());
    await expect(portalProposal(team.store, scope, draft.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(portalProposal(team.store, scope, theirs.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(decideProposal({ store: team.store, now: FIXED_NOW }, scope, theirs.id, 'accepted')).rejects.toBeInstanceOf(NotFoundError);
    expect((await team.store.proposals.get(theirs.id))!.status).toBe('sent');

    // Opening it in the portal marks it viewed, once.
    expect((await portalViewProposal({ store: team.store, now: FIXED_NOW }, scope, sent.id)).status).toBe('viewed');
    expect((await portalViewProposal({ store: team.store, now: FIXED_NOW }, scope, sent.id)).status).toBe('viewed');
    expect((await team.store.proposals.events(sent.id)).filter((e) => e.event === 'viewed')).toHaveLength(1);
    await expect(portalViewProposal({ store: team.store, now: FIXED_NOW }, scope, theirs.id)).rejects.toBeInstanceOf(NotFoundError);
    const accepted = await decideProposal({ store: team.store, now: FIXED_NOW }, scope, sent.id, 'accepted', 'Go ahead');
    expect(accepted.status).toBe('accepted');
    const entry = (await team.store.activities.forLead(sousa.id)).find((a) => a.type === 'proposal' && (a.data as { event?: string }).event === 'accepted');
    expect(entry?.body).toContain('accepted (revision 1) by the customer in the portal — Go ahead (Ana Reis <ana@sousa.example>)');
    expect(entry?.userId).toBeNull();
    const told = await team.store.outbox.list({ rule: 'proposal-decided' });
    expect(told.map((m) => [m.channel, m.recipientId]).sort()).toEqual([['email', team.ravi.id], ['inbox', team.ravi.id]]);
    await expect(decideProposal({ store: team.store, now: FIXED_NOW }, scope, sent.id, 'rejected', 'no')).rejects.toBeInstanceOf(ConflictError);
    await expect(decideProposal({ store: team.store, now: FIXED_NOW }, scope, other.id, 'rejected', '  ')).rejects.toThrow(/give a reason/);
    expect((await decideProposal({ store: team.store, now: FIXED_NOW }, scope, other.id, 'rejected', 'Too dear')).status).toBe('rejected');
  });

  it('tickets: the contact opens and replies on their own company only', async () => {
    const { sousa, lima, ana } = await companies();
    const tc = (leadId: number): TicketContext => ({ store: team.store, now: FIXED_NOW, by: { kind: 'contact', leadId, contactId: ana.id, name: 'Ana Reis', email: 'ana@sousa.example' } });
    const v = await openTicket(tc(sousa.id), { subject: 'Broken widget', body: 'It squeaks' });
    expect(v.ticket).toMatchObject({ leadId: sousa.id, channel: 'portal', contactId: ana.id });
    const theirs = await openTicket(tc(lima.id), { subject: 'Other', body: 'x' });
    await expect(showTicket(tc(sousa.id), theirs.ticket.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(replyToTicket(tc(sousa.id), theirs.ticket.id, { body: 'hi' })).rejects.toBeInstanceOf(NotFoundError);
    expect((await listTickets(tc(sousa.id), {})).map((t) => t.id)).toEqual([v.ticket.id]);
  });

  it('an order request becomes a draft order titled with the prefix, priced from the catalogue, on the timeline, the rep told', async () => {
    const { sousa } = await companies();
    await setSetting(team.as(team.admin), 'smtp.host', '127.0.0.1');
    await setPortal(team.as(team.admin), { orderRequestPrefix: 'REQ ' });
    const widget = await addProduct(team.as(team.admin), { name: 'Widget', price: '10', tax: '23' });
    const dollars = await addProduct(team.as(team.admin), { name: 'Import', price: '10', currency: 'USD' });
    const scope = scopeOf(sousa.id);
    const ctx = { store: team.store, now: FIXED_NOW };
    const o = await requestOrder(ctx, scope, { lines: [{ productId: widget.id, quantity: '3' }, { productId: widget.id, quantity: '' }], note: 'Deliver Monday' });
    expect(o).toMatchObject({ leadId: sousa.id, status: 'draft', title: 'REQ Widget', totalMinor: 3690, createdById: null });
    expect((await team.store.activities.forLead(sousa.id)).some((a) => a.type === 'order' && a.body!.includes('requested in the portal by Ana Reis <ana@sousa.example>') && a.body!.includes('Deliver Monday'))).toBe(true);
    expect((await team.store.outbox.list({ rule: 'portal-order-request' })).map((m) => m.recipientId)).toEqual([team.ravi.id, team.ravi.id]);
    const free = await requestOrder(ctx, scope, { lines: [], note: '50 blue pens' });
    expect(free).toMatchObject({ title: 'REQ 50 blue pens', totalMinor: 0 });
    await expect(requestOrder(ctx, scope, { lines: [], note: ' ' })).rejects.toThrow(/the request is empty/);
    await expect(requestOrder(ctx, scope, { lines: [{ productId: dollars.id, quantity: '1' }] })).rejects.toThrow(/cannot be ordered here/);
    await expect(requestOrder(ctx, scope, { lines: [{ productId: widget.id, quantity: '-1' }] })).rejects.toBeInstanceOf(UsageError);
  });
});
