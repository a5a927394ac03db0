import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IntakeForm, IntakeLogEntry, MailboxMessage, MailboxPoll, MarketplaceRun } from '../../../src/domain/intake.js';
import { ConflictError } from '../../../src/errors.js';
import { openStore } from '../../../src/store/index.js';
import { testTeam, type TestTeam } from '../../helpers/store.js';
import { at, insertLead, sourceIds, T0 } from './builders.js';

let t: TestTeam;
beforeEach(async () => {
  t = await testTeam();
});
afterEach(() => t.close());

describe('store contract: marketplaces', () => {
  const run = (o: Partial<Omit<MarketplaceRun, 'id'>> = {}): Omit<MarketplaceRun, 'id'> => ({
    site: 'indiamart', startedAt: T0, since: at(-60), ok: true, fetched: 5, created: 2, reengaged: 1, existing: 1, rejected: 0, seen: 1, error: null, ...o,
  });

  it('put inserts then replaces a site\'s settings; get returns them; unknown sites are undefined', async () => {
    const src = await sourceIds(t.store);
    expect(await t.store.marketplaces.get('indiamart')).toBeUndefined();
    const config = { site: 'indiamart', siteId: 'ACME-1', sourceId: src.ExportersIndia!, assigneeIds: [t.ravi.id, t.priya.id], everyMinutes: 15, baseUrl: 'https://api.example', actorId: t.admin.id, updatedAt: at(-5) };
    await t.store.marketplaces.put(config);
    expect(await t.store.marketplaces.get('indiamart')).toEqual(config);
    const changed = { ...config, siteId: 'ACME-2', sourceId: null, assigneeIds: [], everyMinutes: 60, actorId: t.manager.id, updatedAt: at(0) };
    await t.store.marketplaces.put(changed);
    expect(await t.store.marketplaces.get('indiamart')).toEqual(changed);
    expect(await t.store.marketplaces.get('tradeindia')).toBeUndefined();
  });

  it('addRun and lastRun: the newest run of a site, or the newest successful one', async () => {
    const r1 = await t.store.marketplaces.addRun(run({ startedAt: at(-30) }));
    const r2 = await t.store.marketplaces.addRun(run({ startedAt: at(-15), ok: false, fetched: 0, created: 0, reengaged: 0, existing: 0, seen: 0, error: 'HTTP 503' }));
    await t.store.marketplaces.addRun(run({ site: 'tradeindia', startedAt: at(-1) }));
    expect(await t.store.marketplaces.lastRun('indiamart')).toEqual({ ...run({ startedAt: at(-15), ok: false, fetched: 0, created: 0, reengaged: 0, existing: 0, seen: 0, error: 'HTTP 503' }), id: r2 });
    expect(await t.store.marketplaces.lastRun('indiamart', { okOnly: true })).toEqual({ ...run({ startedAt: at(-30) }), id: r1 });
    expect(await t.store.marketplaces.lastRun('nowhere')).toBeUndefined();
  });

  it('seen: of these inquiry ids, the ones marked for that site; marking twice keeps one', async () => {
    const lead = await insertLead(t.store);
    await t.store.marketplaces.markSeen('indiamart', 'Q1', lead, 'created', at(0));
    await t.store.marketplaces.markSeen('indiamart', 'Q2', null, 'rejected', at(0));
    await t.store.marketplaces.markSeen('indiamart', 'Q2', null, 'rejected', at(1));
    await t.store.marketplaces.markSeen('tradeindia', 'Q3', null, 'existing', at(0));
    expect(await t.store.marketplaces.seen('indiamart', ['Q1', 'Q2', 'Q3', 'Q4'])).toEqual(new Set(['Q1', 'Q2']));
    expect(await t.store.marketplaces.seen('tradeindia', ['Q1', 'Q3'])).toEqual(new Set(['Q3']));
    expect(await t.store.marketplaces.seen('indiamart', [])).toEqual(new Set());
  });
});

describe('store contract: roundRobin', () => {
  it('take returns the pointer then moves it; peek reads it (0 when never taken); pointers are independent', async () => {
    const rr = t.store.roundRobin;
    expect(await rr.peek('group:a')).toBe(0);
    expect(await t.store.transaction(() => rr.take('group:a'))).toBe(0);
    expect(await t.store.transaction(() => rr.take('group:a'))).toBe(1);
    expect(await rr.peek('group:a')).toBe(2);
    expect(await rr.peek('group:a')).toBe(2);
    expect(await t.store.transaction(() => rr.take('group:b'))).toBe(0);
    expect(await rr.peek('group:a')).toBe(2);
  });

  it('two flows taking from one pointer never get the same value: one process, and another store on the location', async () => {
    const rr = t.store.roundRobin;
    const got = await Promise.all(Array.from({ length: 6 }, () => t.store.transaction(() => rr.take('market'))));
    expect([...got].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    const other = await openStore(t.store.location);
    try {
      expect(await other.transaction(() => other.roundRobin.take('market'))).toBe(6);
      expect(await t.store.transaction(() => rr.take('market'))).toBe(7);
      expect(await other.roundRobin.peek('market')).toBe(8);
    } finally {
      other.close();
    }
  });
});

describe('store contract: intakeForms', () => {
  const form = (o: Partial<Omit<IntakeForm, 'id' | 'tokenRotatedAt'>> = {}): Omit<IntakeForm, 'id' | 'tokenRotatedAt'> => ({
    name: 'website', tokenHash: 'f'.repeat(64), fields: { 'your-name': 'name', 'your-email': 'email', budget: 'custom:budget' }, sourceId: null, tags: ['web', 'inbound'],
    honeypot: 'hp_field', rateCount: 5, rateSeconds: 60, redirect: 'https://acme.example/thanks', origin: 'https://acme.example', actorId: t.admin.id, createdAt: at(-1), ...o,
  });

  it('insert returns the form as stored; byName (case-insensitive); list by name; setTokenHash rotates; remove', async () => {
    const website = await t.store.intakeForms.insert(form());
    expect(website).toEqual({ ...form(), id: website.id, tokenRotatedAt: null });
    const contact = await t.store.intakeForms.insert(form({ name: 'contact', tags: [], honeypot: null, redirect: null, origin: null, fields: {} }));
    expect(await t.store.intakeForms.byName('WebSite')).toEqual(website);
    expect((await t.store.intakeForms.list()).map((f) => f.name)).toEqual(['contact', 'website']);
    await t.store.intakeForms.setTokenHash(website.id, '0'.repeat(64), at(5));
    expect(await t.store.intakeForms.byName('website')).toEqual({ ...website, tokenHash: '0'.repeat(64), tokenRotatedAt: at(5) });
    await t.store.intakeForms.remove(contact.id);
    expect(await t.store.intakeForms.byName('contact')).toBeUndefined();
    expect((await t.store.intakeForms.list()).map((f) => f.name)).toEqual(['website']);
  });

  it('two forms with one name are a ConflictError', async () => {
    await t.store.intakeForms.insert(form());
    await expect(t.store.transaction(() => t.store.intakeForms.insert(form({ name: 'Website' })))).rejects.toBeInstanceOf(ConflictError);
  });
});

describe('store contract: intakeLog and inboundMessages', () => {
  const entry = (o: Partial<Omit<IntakeLogEntry, 'id'>> = {}): Omit<IntakeLogEntry, 'id'> => ({
    at: T0, channel: 'form', ref: 'website', remote: '203.0.113.1', status: 201, result: 'accepted', reason: null, leadId: null, outcome: 'created', ...o,
  });

  it('add returns an id; list is newest first, by channel and ref (case-insensitive), limited', async () => {
    const lead = await insertLead(t.store);
    const e1 = await t.store.intakeLog.add(entry({ leadId: lead }));
    const e2 = await t.store.intakeLog.add(entry({ ref: 'contact', status: 422, result: 'refused', reason: 'no name and no valid email or phone', outcome: null }));
    const e3 = await t.store.intakeLog.add(entry({ channel: 'sms', ref: '+15005550006', status: 200, result: 'opt-out', outcome: null }));
    expect(await t.store.intakeLog.list({})).toEqual([
      { ...entry({ channel: 'sms', ref: '+15005550006', status: 200, result: 'opt-out', outcome: null }), id: e3 },
      { ...entry({ ref: 'contact', status: 422, result: 'refused', reason: 'no name and no valid email or phone', outcome: null }), id: e2 },
      { ...entry({ leadId: lead }), id: e1 },
    ]);
    expect((await t.store.intakeLog.list({ channel: 'form' })).map((e) => e.id)).toEqual([e2, e1]);
    expect((await t.store.intakeLog.list({ ref: 'WEBSITE' })).map((e) => e.id)).toEqual([e1]);
    expect((await t.store.intakeLog.list({ channel: 'form', ref: 'contact' })).map((e) => e.id)).toEqual([e2]);
    expect((await t.store.intakeLog.list({ limit: 1 })).map((e) => e.id)).toEqual([e3]);
  });

  it('inboundMessages.mark is true once per id, has tells whether it was marked', async () => {
    const lead = await insertLead(t.store);
    expect(await t.store.inboundMessages.has('SM1')).toBe(false);
    expect(await t.store.inboundMessages.mark('SM1', lead, T0)).toBe(true);
    expect(await t.store.inboundMessages.mark('SM1', lead, at(1))).toBe(false);
    expect(await t.store.inboundMessages.mark('SM2', null, T0)).toBe(true);
    expect(await t.store.inboundMessages.has('SM1')).toBe(true);
    expect(await t.store.inboundMessages.has('sm1')).toBe(false);
    const other = await openStore(t.store.location);
    try {
      expect(await other.inboundMessages.mark('SM2', null, at(2))).toBe(false);
    } finally {
      other.close();
    }
  });
});

describe('store contract: mailboxes', () => {
  const config = (o = {}) => ({ name: 'sales', host: 'imap.acme.example', port: 993, tls: true, user: 'sales@acme.example', folder: 'INBOX', everyMinutes: 5, moveTo: 'Processed', sourceId: null, actorId: t.admin.id, updatedAt: at(-1), ...o });
  const SCOPE = 'sales@acme.example@imap.acme.example:993/INBOX';
  const message = (o: Partial<MailboxMessage> = {}): MailboxMessage => ({ scope: SCOPE, uidValidity: 7, uid: 1, messageKey: '<m1@x>', leadId: null, outcome: 'created', reason: null, at: T0, done: false, ...o });
  const poll = (o: Partial<Omit<MailboxPoll, 'id'>> = {}): Omit<MailboxPoll, 'id'> => ({
    mailbox: 'sales', startedAt: T0, ok: true, fetched: 3, created: 1, reengaged: 0, existing: 1, junk: 0, skipped: 1, rejected: 0, seen: 0, uidValidity: 7, lastUid: 3, error: null, ...o,
  });

  it('put stores settings with an empty cursor; setCursor moves it; a later put keeps the cursor', async () => {
    expect(await t.store.mailboxes.get('sales')).toBeUndefined();
    await t.store.mailboxes.put(config());
    expect(await t.store.mailboxes.get('sales')).toEqual({ ...config(), uidValidity: null, lastUid: 0 });
    await t.store.mailboxes.setCursor('sales', 7, 42);
    await t.store.mailboxes.put(config({ folder: 'Leads', tls: false, port: 143, moveTo: null, everyMinutes: 10, updatedAt: at(0) }));
    expect(await t.store.mailboxes.get('sales')).toEqual({ ...config({ folder: 'Leads', tls: false, port: 143, moveTo: null, everyMinutes: 10, updatedAt: at(0) }), uidValidity: 7, lastUid: 42 });
    await t.store.mailboxes.setCursor('sales', null, 0);
    expect(await t.store.mailboxes.get('sales')).toMatchObject({ uidValidity: null, lastUid: 0 });
  });

  it('addPoll and lastPoll: the newest poll, or the newest successful one', async () => {
    const p1 = await t.store.mailboxes.addPoll(poll({ startedAt: at(-10) }));
    const p2 = await t.store.mailboxes.addPoll(poll({ startedAt: at(-5), ok: false, fetched: 0, created: 0, existing: 0, skipped: 0, uidValidity: null, lastUid: null, error: 'connection refused' }));
    expect(await t.store.mailboxes.lastPoll('sales')).toEqual({ ...poll({ startedAt: at(-5), ok: false, fetched: 0, created: 0, existing: 0, skipped: 0, uidValidity: null, lastUid: null, error: 'connection refused' }), id: p2 });
    expect(await t.store.mailboxes.lastPoll('sales', { okOnly: true })).toEqual({ ...poll({ startedAt: at(-10) }), id: p1 });
    expect(await t.store.mailboxes.lastPoll('support')).toBeUndefined();
  });

  it('record, handled (per scope and UIDVALIDITY), byKey (the first with that Message-ID anywhere), pending, markDone', async () => {
    const lead = await insertLead(t.store);
    await t.store.mailboxes.record(message({ uid: 1, leadId: lead, at: at(-10) }));
    await t.store.mailboxes.record(message({ uid: 2, messageKey: '<m2@x>', outcome: 'skipped', reason: 'auto-reply', at: at(-9) }));
    // A second record of the same UID is ignored.
    await t.store.mailboxes.record(message({ uid: 1, messageKey: '<other@x>', outcome: 'junk', at: at(-8) }));
    // The same Message-ID again after a UIDVALIDITY change, and in another scope.
    await t.store.mailboxes.record(message({ uidValidity: 8, uid: 1, outcome: 'seen', at: at(-7) }));
    await t.store.mailboxes.record(message({ scope: 'other@host:993/INBOX', uid: 5, outcome: 'seen', at: at(-6), done: true }));
    expect(await t.store.mailboxes.handled(SCOPE, 7, [1, 2, 3])).toEqual(new Set([1, 2]));
    expect(await t.store.mailboxes.handled(SCOPE, 8, [1, 2, 3])).toEqual(new Set([1]));
    expect(await t.store.mailboxes.handled('other@host:993/INBOX', 7, [1, 5])).toEqual(new Set([5]));
    expect(await t.store.mailboxes.byKey('<m1@x>')).toEqual(message({ uid: 1, leadId: lead, at: at(-10) }));
    expect(await t.store.mailboxes.byKey('<other@x>')).toBeUndefined();
    expect((await t.store.mailboxes.pending(SCOPE)).map((m) => [m.uidValidity, m.uid, m.outcome])).toEqual([[7, 1, 'created'], [7, 2, 'skipped'], [8, 1, 'seen']]);
    await t.store.mailboxes.markDone(SCOPE, 7, [1, 2]);
    expect((await t.store.mailboxes.pending(SCOPE)).map((m) => [m.uidValidity, m.uid])).toEqual([[8, 1]]);
    expect((await t.store.mailboxes.byKey('<m1@x>'))!.done).toBe(true);
    expect(await t.store.mailboxes.pending('other@host:993/INBOX')).toEqual([]);
  });
});
