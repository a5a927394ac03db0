import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewOutboxMessage, OutboxStatus } from '../../../src/domain/notify.js';
import type { NewReportSchedule } from '../../../src/domain/reports.js';
import { Deliverer } from '../../../src/services/outbox/deliver.js';
import { testTeam, type TestTeam } from '../../helpers/store.js';
import { at, insertLead, T0 } from './builders.js';

let t: TestTeam;
beforeEach(async () => {
  t = await testTeam();
});
afterEach(() => t.close());

const NONE: Record<OutboxStatus, number> = { pending: 0, sending: 0, sent: 0, failed: 0, dead: 0 };

describe('store contract: outbox (enqueue and reads)', () => {
  const message = (key: string, o: Partial<NewOutboxMessage> = {}): NewOutboxMessage => ({
    key, rule: 'lead-assigned', channel: 'email', recipientKind: 'user', recipientId: t.ravi.id, address: 'ravi@acme.example', leadId: null, vars: { lead: 'Ana' }, ...o,
  });

  it('enqueue stores new messages due at once (or at notBefore); get and byKey read them back whole', async () => {
    const lead = await insertLead(t.store);
    const attachments = [{ filename: 'report.csv', contentType: 'text/csv', content: 'a,b\n1,2\n' }];
    const content = { subject: 'Hello', text: 'Hi there', html: '<p>Hi there</p>', headers: { 'List-Unsubscribe': '<https://x.example/u>' }, cc: ['cc@x.example'] };
    expect(await t.store.transaction(() => t.store.outbox.enqueue([
      message('k1', { leadId: lead }),
      message('k2', { channel: 'sms', recipientKind: 'lead', recipientId: lead, address: '+351912000001', notBefore: at(30), attachments, content }),
    ], at(0)))).toBe(2);
    const k1 = (await t.store.outbox.byKey('k1'))!;
    expect(k1).toEqual({
      id: k1.id, key: 'k1', rule: 'lead-assigned', channel: 'email', recipientKind: 'user', recipientId: t.ravi.id, address: 'ravi@acme.example', leadId: lead,
      vars: { lead: 'Ana' }, status: 'pending', attempts: 0, nextAttemptAt: at(0), lastError: null, createdAt: at(0), updatedAt: at(0), sentAt: null,
    });
    expect(await t.store.outbox.get(k1.id)).toEqual(k1);
    const k2 = (await t.store.outbox.byKey('k2'))!;
    expect(k2).toMatchObject({ channel: 'sms', recipientKind: 'lead', nextAttemptAt: at(30), attachments, content });
    expect(await t.store.outbox.byKey('nope')).toBeUndefined();
    expect(await t.store.outbox.get(k2.id + 100)).toBeUndefined();
  });

  it('enqueue is idempotent by key: a key already stored is skipped (the first message stands), the count says how many were new', async () => {
    expect(await t.store.outbox.enqueue([message('same'), message('same', { address: 'dup@x.example' })], at(0))).toBe(1);
    expect(await t.store.outbox.enqueue([message('same', { vars: { lead: 'Other' } }), message('new')], at(5))).toBe(1);
    expect(await t.store.outbox.enqueue([], at(5))).toBe(0);
    expect(await t.store.outbox.byKey('same')).toMatchObject({ address: 'ravi@acme.example', vars: { lead: 'Ana' }, createdAt: at(0) });
    expect((await t.store.outbox.list({})).map((m) => m.key)).toEqual(['new', 'same']);
  });

  it('hasDue: whether any message is due by now', async () => {
    expect(await t.store.outbox.hasDue(at(0))).toBe(false);
    await t.store.outbox.enqueue([message('later', { notBefore: at(10) })], at(0));
    expect(await t.store.outbox.hasDue(at(9))).toBe(false);
    expect(await t.store.outbox.hasDue(at(10))).toBe(true);
  });

  it('list is newest first, by status, limited (100 by default); depth counts every status', async () => {
    const msgs = Array.from({ length: 105 }, (_, i) => message(`m${i}`));
    await t.store.transaction(() => t.store.outbox.enqueue(msgs, at(0)));
    const all = await t.store.outbox.list({});
    expect(all).toHaveLength(100);
    expect(all[0]!.key).toBe('m104');
    expect((await t.store.outbox.list({ limit: 3 })).map((m) => m.key)).toEqual(['m104', 'm103', 'm102']);
    expect(await t.store.outbox.list({ statuses: ['sent', 'dead'] })).toEqual([]);
    expect((await t.store.outbox.list({ statuses: ['pending'], limit: 1000 }))).toHaveLength(105);
    expect(await t.store.outbox.depth()).toEqual({ ...NONE, pending: 105 });
  });
});

describe('store contract: outbox (after delivery: depth, retry, prune)', () => {
  it('a delivered message is sent and a refused one dead; retry makes it due now with a fresh count; prune deletes sent ones older than a time', async () => {
    const lead = await insertLead(t.store);
    const content = { subject: 'Welcome', text: 'Hello Ravi' };
    await t.store.outbox.enqueue([
      { key: 'to-user', rule: 'note', channel: 'inbox', recipientKind: 'user', recipientId: t.ravi.id, address: null, leadId: lead, vars: {}, content },
      // The inbox is for users: delivering this one fails for good.
      { key: 'to-lead', rule: 'note', channel: 'inbox', recipientKind: 'lead', recipientId: lead, address: null, leadId: lead, vars: {}, content },
      { key: 'later', rule: 'note', channel: 'inbox', recipientKind: 'user', recipientId: t.priya.id, address: null, leadId: null, vars: {}, content, notBefore: at(600) },
    ], at(0));
    const d = new Deliverer({ store: t.store, env: {}, batch: 10, concurrency: 1 });
    try {
      await d.drain(new Date(at(1)));
    } finally {
      d.close();
    }
    expect(await t.store.outbox.depth()).toEqual({ ...NONE, pending: 1, sent: 1, dead: 1 });
    const sent = (await t.store.outbox.byKey('to-user'))!;
    expect(sent).toMatchObject({ status: 'sent', attempts: 1, sentAt: at(1) });
    expect((await t.store.outbox.list({ statuses: ['dead'] })).map((m) => m.key)).toEqual(['to-lead']);
    expect((await t.store.inbox.list(t.ravi.id, {})).map((i) => [i.subject, i.body, i.outboxId, i.leadId])).toEqual([['Welcome', 'Hello Ravi', sent.id, lead]]);

    const dead = (await t.store.outbox.byKey('to-lead'))!;
    await t.store.outbox.retry(dead.id, at(5));
    expect(await t.store.outbox.get(dead.id)).toMatchObject({ status: 'pending', attempts: 0, nextAttemptAt: at(5), updatedAt: at(5) });
    expect(await t.store.outbox.hasDue(at(5))).toBe(true);

    expect(await t.store.outbox.prune(at(1))).toBe(0);
    expect(await t.store.outbox.prune(at(2))).toBe(1);
    expect(await t.store.outbox.byKey('to-user')).toBeUndefined();
    expect(await t.store.outbox.depth()).toEqual({ ...NONE, pending: 2 });
  });
});

describe('store contract: outbox marks in a batch', () => {
  it('markSentMany records each message sent at its own time, its error cleared, and touches no other message', async () => {
    const content = { subject: 'S', text: 'T' };
    await t.store.outbox.enqueue(['a', 'b', 'c'].map((key) => ({ key, rule: 'note', channel: 'inbox' as const, recipientKind: 'user' as const, recipientId: t.ravi.id, address: null, leadId: null, vars: {}, content })), at(0));
    const claimed = await t.store.transaction(() => t.store.outbox.claim(at(1), at(60), 10));
    expect(claimed).toHaveLength(3);
    const [a, b, c] = ['a', 'b', 'c'].map((k) => claimed.find((m) => m.key === k)!);
    await t.store.outbox.markFailed(b!.id, 'temporary', at(1), at(2), 'error');
    await t.store.transaction(() => t.store.outbox.markSentMany([{ id: a!.id, at: at(3) }, { id: b!.id, at: at(4) }]));
    expect(await t.store.outbox.get(a!.id)).toMatchObject({ status: 'sent', sentAt: at(3), updatedAt: at(3) });
    expect(await t.store.outbox.get(b!.id)).toMatchObject({ status: 'sent', sentAt: at(4), lastError: null });
    expect(await t.store.outbox.get(c!.id)).toMatchObject({ status: 'sending', sentAt: null });
    await t.store.transaction(() => t.store.outbox.markSentMany([]));
    expect(await t.store.outbox.depth()).toEqual({ ...NONE, sending: 1, sent: 2 });
  });
});

describe('store contract: inbox', () => {
  const item = (userId: number, subject: string, outboxId: number | null = null) => ({ userId, outboxId, rule: 'lead-assigned', leadId: null, subject, body: `${subject} body`, createdAt: T0 });

  it('list: a user\'s unread items newest first (all: read ones too), limited; markRead one or all, counting what changed', async () => {
    await t.store.inbox.add(item(t.ravi.id, 'first'));
    await t.store.inbox.add(item(t.ravi.id, 'second'));
    await t.store.inbox.add(item(t.ravi.id, 'third'));
    await t.store.inbox.add(item(t.priya.id, 'priya\'s'));
    const ravi = await t.store.inbox.list(t.ravi.id, {});
    expect(ravi.map((i) => [i.subject, i.body, i.readAt])).toEqual([['third', 'third body', null], ['second', 'second body', null], ['first', 'first body', null]]);
    expect(ravi[0]).toEqual({ id: ravi[0]!.id, userId: t.ravi.id, outboxId: null, rule: 'lead-assigned', leadId: null, subject: 'third', body: 'third body', createdAt: T0, readAt: null });
    expect((await t.store.inbox.list(t.ravi.id, { limit: 1 })).map((i) => i.subject)).toEqual(['third']);
    const priyas = (await t.store.inbox.list(t.priya.id, {}))[0]!;
    // Not one's own item: nothing changes.
    expect(await t.store.inbox.markRead(t.ravi.id, priyas.id, at(1))).toBe(0);
    expect(await t.store.inbox.markRead(t.ravi.id, ravi[1]!.id, at(1))).toBe(1);
    expect(await t.store.inbox.markRead(t.ravi.id, ravi[1]!.id, at(2))).toBe(0);
    expect((await t.store.inbox.list(t.ravi.id, {})).map((i) => i.subject)).toEqual(['third', 'first']);
    expect((await t.store.inbox.list(t.ravi.id, { all: true })).map((i) => [i.subject, i.readAt])).toEqual([['third', null], ['second', at(1)], ['first', null]]);
    expect(await t.store.inbox.markRead(t.ravi.id, null, at(3))).toBe(2);
    expect(await t.store.inbox.list(t.ravi.id, {})).toEqual([]);
    expect(await t.store.inbox.list(t.priya.id, {})).toHaveLength(1);
  });

  it('one item per outbox message: a second add for the same message is ignored', async () => {
    await t.store.outbox.enqueue([{ key: 'k', rule: 'r', channel: 'inbox', recipientKind: 'user', recipientId: t.ravi.id, address: null, leadId: null, vars: {} }], T0);
    const msg = (await t.store.outbox.byKey('k'))!;
    await t.store.inbox.add(item(t.ravi.id, 'once', msg.id));
    await t.store.inbox.add(item(t.ravi.id, 'twice', msg.id));
    expect((await t.store.inbox.list(t.ravi.id, { all: true })).map((i) => [i.subject, i.outboxId])).toEqual([['once', msg.id]]);
  });
});

describe('store contract: optOuts and userPhones', () => {
  it('optOuts: set adds (idempotent) or removes a channel; list is sorted; users and leads are kept apart', async () => {
    const lead = await insertLead(t.store);
    await t.store.optOuts.set('lead', lead, 'sms', true, T0);
    await t.store.optOuts.set('lead', lead, 'email', true, T0);
    await t.store.optOuts.set('lead', lead, 'sms', true, at(1));
    expect(await t.store.optOuts.list('lead', lead)).toEqual(['email', 'sms']);
    expect(await t.store.optOuts.list('user', lead)).toEqual([]);
    await t.store.optOuts.set('user', t.ravi.id, 'whatsapp', true, T0);
    await t.store.optOuts.set('lead', lead, 'sms', false, at(2));
    await t.store.optOuts.set('lead', lead, 'webhook', false, at(2));
    expect(await t.store.optOuts.list('lead', lead)).toEqual(['email']);
    expect(await t.store.optOuts.list('user', t.ravi.id)).toEqual(['whatsapp']);
  });

  it('userPhones: none until set; set replaces; null removes', async () => {
    expect(await t.store.userPhones.get(t.ravi.id)).toBeUndefined();
    await t.store.userPhones.set(t.ravi.id, '+351911111111');
    await t.store.userPhones.set(t.priya.id, '+351922222222');
    await t.store.userPhones.set(t.ravi.id, '+351933333333');
    expect(await t.store.userPhones.get(t.ravi.id)).toBe('+351933333333');
    await t.store.userPhones.set(t.ravi.id, null);
    expect(await t.store.userPhones.get(t.ravi.id)).toBeUndefined();
    expect(await t.store.userPhones.get(t.priya.id)).toBe('+351922222222');
  });
});

describe('store contract: jobs and ruleMarks', () => {
  it('jobs: record counts the runs and keeps the last status and error; all by name', async () => {
    expect(await t.store.jobs.get('reminders')).toBeUndefined();
    await t.store.jobs.record('reminders', at(0), 'baseline');
    await t.store.jobs.record('reminders', at(1), 'error', 'SMTP down');
    await t.store.jobs.record('digest', at(2), 'ok');
    expect(await t.store.jobs.get('reminders')).toEqual({ name: 'reminders', lastRunAt: at(1), lastStatus: 'error', lastError: 'SMTP down', runs: 2 });
    await t.store.jobs.record('reminders', at(3), 'ok', null);
    expect(await t.store.jobs.all()).toEqual([
      { name: 'digest', lastRunAt: at(2), lastStatus: 'ok', lastError: null, runs: 1 },
      { name: 'reminders', lastRunAt: at(3), lastStatus: 'ok', lastError: null, runs: 3 },
    ]);
  });

  it('ruleMarks: mark and markRef are true the first time only, per rule; isMarked reads markRef', async () => {
    const lead = await insertLead(t.store);
    expect(await t.store.ruleMarks.mark('not-attempted-2h', lead, T0)).toBe(true);
    expect(await t.store.ruleMarks.mark('not-attempted-2h', lead, at(1))).toBe(false);
    expect(await t.store.ruleMarks.mark('not-attempted-24h', lead, T0)).toBe(true);
    expect(await t.store.ruleMarks.isMarked('digest', '2026-11-23')).toBe(false);
    expect(await t.store.ruleMarks.markRef('digest', '2026-11-23', T0)).toBe(true);
    expect(await t.store.ruleMarks.markRef('digest', '2026-11-23', at(1))).toBe(false);
    expect(await t.store.ruleMarks.isMarked('digest', '2026-11-23')).toBe(true);
    expect(await t.store.ruleMarks.isMarked('digest', '2026-11-24')).toBe(false);
    expect(await t.store.ruleMarks.isMarked('other', '2026-11-23')).toBe(false);
    const both = await Promise.all([t.store.transaction(() => t.store.ruleMarks.markRef('followup-due', 'f1', T0)), t.store.transaction(() => t.store.ruleMarks.markRef('followup-due', 'f1', T0))]);
    expect(both.filter(Boolean)).toHaveLength(1);
  });
});

describe('store contract: reportSchedules', () => {
  const schedule = (name: string, o: Partial<NewReportSchedule> = {}): NewReportSchedule => ({
    name, report: 'leads-by', options: { by: 'source', details: true }, cron: '0 8 * * 1', timeZone: 'Europe/Lisbon', recipients: ['managers', 'ceo@acme.example'], format: 'csv', createdBy: t.manager.id, createdAt: at(-1), ...o,
  });

  it('insert returns the schedule never run; list by name; byName (case-insensitive); recordRun keeps the slot when null; remove', async () => {
    const weekly = await t.store.reportSchedules.insert(schedule('weekly'));
    expect(weekly).toEqual({ ...schedule('weekly'), id: weekly.id, lastSlotAt: null, lastRunAt: null, lastError: null });
    const daily = await t.store.reportSchedules.insert(schedule('Daily calls', { report: 'calls', options: {}, cron: '0 18 * * *', timeZone: null, recipients: ['admins'], format: 'table' }));
    expect((await t.store.reportSchedules.list()).map((s) => s.name)).toEqual(['Daily calls', 'weekly']);
    expect(await t.store.reportSchedules.byName('WEEKLY')).toEqual(weekly);
    await t.store.reportSchedules.recordRun(weekly.id, at(0), at(1), null);
    expect(await t.store.reportSchedules.byName('weekly')).toMatchObject({ lastSlotAt: at(0), lastRunAt: at(1), lastError: null });
    await t.store.reportSchedules.recordRun(weekly.id, null, at(2), 'SMTP down');
    expect(await t.store.reportSchedules.byName('weekly')).toMatchObject({ lastSlotAt: at(0), lastRunAt: at(2), lastError: 'SMTP down' });
    await t.store.reportSchedules.remove(daily.id);
    expect((await t.store.reportSchedules.list()).map((s) => s.id)).toEqual([weekly.id]);
    expect(await t.store.reportSchedules.byName('daily calls')).toBeUndefined();
  });
});

describe('store contract: outbox holds and filters (a transport not configured)', () => {
  const message = (key: string, o: Partial<NewOutboxMessage> = {}): NewOutboxMessage => ({
    key, rule: 'lead-assigned', channel: 'email', recipientKind: 'user', recipientId: t.ravi.id, address: 'ravi@acme.example', leadId: null, vars: { lead: 'Ana' }, ...o,
  });

  it('hold: failed with the error, due again at retryAt, the attempt not counted, kind error; claimed again once due', async () => {
    await t.store.outbox.enqueue([message('h1')], at(0));
    const [claimed] = await t.store.outbox.claim(at(0), at(5), 10);
    expect(claimed!.attempts).toBe(1);
    await t.store.outbox.hold(claimed!.id, 'held until fixed: smtp.from is empty', at(1), at(30));
    const held = (await t.store.outbox.get(claimed!.id))!;
    expect(held).toMatchObject({ status: 'failed', attempts: 0, lastError: 'held until fixed: smtp.from is empty', nextAttemptAt: at(30) });
    expect(await t.store.outbox.claim(at(29), at(35), 10)).toEqual([]);
    expect((await t.store.outbox.claim(at(30), at(35), 10)).map((m) => m.key)).toEqual(['h1']);
  });

  it('wakeFailed makes every failed message waiting for a retry due now, and only those', async () => {
    await t.store.outbox.enqueue([message('a'), message('b'), message('c')], at(0));
    const [a, b, c] = await t.store.outbox.claim(at(0), at(5), 10);
    await t.store.outbox.hold(a!.id, 'held until fixed', at(1), at(60));
    await t.store.outbox.markFailed(b!.id, 'SMTP error: 451 try later', at(1), at(90));
    await t.store.outbox.markFailed(c!.id, 'SMTP error: 550 no such user', at(1), null);
    expect(await t.store.outbox.wakeFailed(at(2))).toBe(2);
    expect((await t.store.outbox.get(a!.id))!.nextAttemptAt).toBe(at(2));
    expect((await t.store.outbox.get(b!.id))!.nextAttemptAt).toBe(at(2));
    expect((await t.store.outbox.get(c!.id))!.status).toBe('dead');
    expect((await t.store.outbox.claim(at(2), at(7), 10)).map((m) => m.key).sort()).toEqual(['a', 'b']);
  });

  it('list filters by rule, channel and since (a failure counts from its last failure); limit null lists all', async () => {
    await t.store.outbox.enqueue([message('r1'), message('r2', { rule: 'new-lead' }), message('r3', { rule: 'new-lead', channel: 'inbox', address: null })], at(0));
    const claimed = await t.store.outbox.claim(at(0), at(5), 10);
    const byKey = new Map(claimed.map((m) => [m.key, m]));
    await t.store.outbox.markFailed(byKey.get('r1')!.id, 'boom', at(10), null);
    await t.store.outbox.markFailed(byKey.get('r2')!.id, 'boom', at(40), null);
    await t.store.outbox.markFailed(byKey.get('r3')!.id, 'boom', at(40), null);
    const keys = (q: Parameters<typeof t.store.outbox.list>[0]) => t.store.outbox.list(q).then((ms) => ms.map((m) => m.key).sort());
    expect(await keys({ statuses: ['dead'], rule: 'new-lead' })).toEqual(['r2', 'r3']);
    expect(await keys({ statuses: ['dead'], rule: 'new-lead', channel: 'email' })).toEqual(['r2']);
    expect(await keys({ statuses: ['dead'], since: at(30) })).toEqual(['r2', 'r3']);
    expect(await keys({ statuses: ['dead'], limit: null })).toEqual(['r1', 'r2', 'r3']);
  });
});
