import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewOutboxMessage } from '../../../src/domain/notify.js';
import { ConflictError } from '../../../src/errors.js';
import { openStore } from '../../../src/store/index.js';
import { testTeam, type TestTeam } from '../../helpers/store.js';
import { at, insertLead, T0 } from './builders.js';

let t: TestTeam;
beforeEach(async () => {
  t = await testTeam();
});
afterEach(() => t.close());

describe('store contract: segments', () => {
  it('insert, byName (case-insensitive), list by name, remove; the creator as an email', async () => {
    const { segments } = t.store;
    const b = await segments.insert({ name: 'hot-website', where: 'source = Website and score >= 60', createdBy: t.manager.id }, at(-1));
    const a = await segments.insert({ name: 'Asia', where: 'tag = asia', createdBy: t.ravi.id }, at(0));
    expect(await segments.byName('HOT-WEBSITE')).toEqual({ id: b, name: 'hot-website', where: 'source = Website and score >= 60', createdBy: 'meera@acme.example', createdAt: at(-1) });
    expect((await segments.list()).map((x) => x.name)).toEqual(['Asia', 'hot-website']);
    await segments.remove(a);
    expect((await segments.list()).map((x) => x.id)).toEqual([b]);
    expect(await segments.byName('Asia')).toBeUndefined();
  });

  it('two segments with one name (in any case) are a ConflictError', async () => {
    await t.store.segments.insert({ name: 'vip', where: 'tag = vip', createdBy: t.admin.id }, T0);
    await expect(t.store.transaction(() => t.store.segments.insert({ name: 'VIP', where: 'tag = x', createdBy: t.admin.id }, T0))).rejects.toBeInstanceOf(ConflictError);
  });
});

describe('store contract: campaigns', () => {
  const content = { name: 'Diwali offer', type: 'email' as const, audience: 'leads', tag: 'vip', subject: 'Offer for {business_name}', body: 'Hi {contact_name}' };
  const newCampaign = (name = content.name) => t.store.campaigns.insert({ ...content, name, createdBy: t.admin.id }, at(-10));

  it('insert makes a draft; get returns it whole; list is newest first', async () => {
    const id = await newCampaign();
    const other = await newCampaign('Second');
    expect(await t.store.campaigns.get(id)).toEqual({
      id, ...content, status: 'draft', createdBy: 'admin@acme.example', createdAt: at(-10), sentAt: null, sendAt: null, rate: null, queuedAt: null, cancelledAt: null,
    });
    expect((await t.store.campaigns.list()).map((c) => c.id)).toEqual([other, id]);
    expect(await t.store.campaigns.get(other + 100)).toBeUndefined();
  });

  it('update changes a draft\'s content only while it is a draft', async () => {
    const id = await newCampaign();
    const changed = { name: 'Renamed', type: 'sms' as const, audience: 'segment:hot', tag: null, subject: null, body: 'Txt {contact_name}' };
    expect(await t.store.campaigns.update(id, changed)).toBe(true);
    expect(await t.store.campaigns.get(id)).toMatchObject({ ...changed, status: 'draft' });
    expect(await t.store.campaigns.transition(id, ['draft'], 'sending', { sendAt: at(0) })).toBe(true);
    expect(await t.store.campaigns.update(id, content)).toBe(false);
    expect(await t.store.campaigns.get(id)).toMatchObject(changed);
  });

  it('transition moves a campaign from one of the given states, setting the fields; false (and nothing changed) otherwise', async () => {
    const id = await newCampaign();
    expect(await t.store.campaigns.transition(id, ['sending', 'scheduled'], 'sent', { sentAt: at(0) })).toBe(false);
    expect(await t.store.campaigns.get(id)).toMatchObject({ status: 'draft', sentAt: null });
    expect(await t.store.campaigns.transition(id, ['draft'], 'scheduled', { sendAt: at(60), rate: 2, sentBy: t.manager.id })).toBe(true);
    expect(await t.store.campaigns.get(id)).toMatchObject({ status: 'scheduled', sendAt: at(60), rate: 2, queuedAt: null });
    expect(await t.store.campaigns.transition(id, ['draft', 'scheduled'], 'sending', { queuedAt: at(61) })).toBe(true);
    expect(await t.store.campaigns.transition(id, ['sending'], 'sent', { sentAt: at(70) })).toBe(true);
    expect(await t.store.campaigns.get(id)).toMatchObject({ status: 'sent', sendAt: at(60), rate: 2, queuedAt: at(61), sentAt: at(70), cancelledAt: null });
    expect(await t.store.campaigns.transition(id, ['sending', 'scheduled'], 'cancelled', { cancelledAt: at(80) })).toBe(false);
  });

  it('recipients: resolved once (existing kept), next sequence number, states from their messages and skip reasons, tally', async () => {
    const id = await newCampaign();
    const l1 = await insertLead(t.store, { name: 'Queued one' });
    const l2 = await insertLead(t.store, { name: 'Opted out' });
    const l3 = await insertLead(t.store, { name: 'No address' });
    const l4 = await insertLead(t.store, { name: 'Not yet' });
    expect(await t.store.campaigns.nextSeq(id)).toBe(0);
    const key = `campaign${id}/lead${l1}`;
    await t.store.transaction(async () => {
      await t.store.campaigns.addRecipients(id, [
        { leadId: l1, seq: 0, status: 'queued', address: 'one@x.example', outboxKey: key },
        { leadId: l2, seq: 1, status: 'opted-out', address: 'two@x.example', outboxKey: null },
        { leadId: l3, seq: 2, status: 'no-address', address: null, outboxKey: null },
      ], at(0));
      await t.store.outbox.enqueue([{ key, rule: `campaign:${id}`, channel: 'email', recipientKind: 'lead', recipientId: l1, address: 'one@x.example', leadId: l1, vars: {} }], at(0));
    });
    // A resumed send records l1 again: the first record stands.
    await t.store.campaigns.addRecipients(id, [{ leadId: l1, seq: 7, status: 'no-address', address: null, outboxKey: null }], at(1));
    expect(await t.store.campaigns.nextSeq(id)).toBe(3);
    expect(await t.store.campaigns.resolved(id, [l1, l2, l4])).toEqual(new Set([l1, l2]));
    expect(await t.store.campaigns.resolved(id, [])).toEqual(new Set());
    expect(await t.store.campaigns.recipients(id)).toEqual([
      { leadId: l1, name: 'Queued one', address: 'one@x.example', status: 'pending', attempts: 0, error: null, sentAt: null },
      { leadId: l2, name: 'Opted out', address: 'two@x.example', status: 'opted-out', attempts: 0, error: null, sentAt: null },
      { leadId: l3, name: 'No address', address: null, status: 'no-address', attempts: 0, error: null, sentAt: null },
    ]);
    expect((await t.store.campaigns.recipients(id, { status: 'opted-out' })).map((r) => r.leadId)).toEqual([l2]);
    expect((await t.store.campaigns.recipients(id, { limit: 2 })).map((r) => r.leadId)).toEqual([l1, l2]);
    expect(await t.store.campaigns.tally(id)).toEqual({ counts: { pending: 1, 'opted-out': 1, 'no-address': 1 }, lastFinalAt: null });
    // Another campaign's recipients are its own.
    const other = await newCampaign('Other');
    expect(await t.store.campaigns.recipients(other)).toEqual([]);
    expect(await t.store.campaigns.resolved(other, [l1])).toEqual(new Set());
    expect(await t.store.campaigns.tally(other)).toEqual({ counts: {}, lastFinalAt: null });
  });

  it('cancelPending dead-letters the campaign\'s waiting messages only (not campaign 10\'s when cancelling campaign 1)', async () => {
    const ids: number[] = [];
    for (let i = 1; i <= 10; i++) ids.push(await newCampaign(`C${i}`));
    const [c1, c10] = [ids[0]!, ids[9]!];
    const lead = await insertLead(t.store);
    const msg = (key: string, notBefore?: string): NewOutboxMessage => ({ key, rule: 'campaign', channel: 'email', recipientKind: 'lead', recipientId: lead, address: 'a@x.example', leadId: lead, vars: {}, ...(notBefore ? { notBefore } : {}) });
    const k1 = `campaign${c1}/lead${lead}`;
    const k1later = `campaign${c1}/lead${lead + 1}`;
    const k10 = `campaign${c10}/lead${lead}`;
    expect(await t.store.outbox.enqueue([msg(k1), msg(k1later, at(600)), msg(k10)], at(0))).toBe(3);
    expect(await t.store.transaction(() => t.store.campaigns.cancelPending(c1, at(1)))).toBe(2);
    expect((await t.store.outbox.byKey(k1))!.status).toBe('dead');
    expect((await t.store.outbox.byKey(k1later))!.status).toBe('dead');
    expect((await t.store.outbox.byKey(k10))!.status).toBe('pending');
    expect(await t.store.campaigns.cancelPending(c1, at(2))).toBe(0);
  });

  it('secret: the same value every time, and after a reopen', async () => {
    const secret = await t.store.campaigns.secret();
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(await t.store.campaigns.secret()).toBe(secret);
    const again = await openStore(t.store.location);
    try {
      expect(await again.campaigns.secret()).toBe(secret);
    } finally {
      await again.close();
    }
  });
});
