import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testTeam, type TestTeam } from '../../helpers/store.js';
import { at, insertLead, T0 } from './builders.js';

let t: TestTeam;
beforeEach(async () => {
  t = await testTeam();
});
afterEach(() => t.close());

describe('store contract: routing', () => {
  /** A rule routes to a user or to a group (exactly one): to Ravi unless a group is given. */
  const rule = (name: string, o: { userId?: number; group?: string } = {}) => ({ name, conditions: `source=${name}`, userId: o.group ? null : (o.userId ?? t.ravi.id), group: o.group ?? null, createdBy: t.manager.id });
  const order = async () => (await t.store.routing.rules()).map((r) => [r.name, r.position]);

  it('insertRule appends (null position, or past the end) or inserts at a 1-based position, moving later rules down', async () => {
    const a = await t.store.routing.insertRule(rule('a', { userId: t.ravi.id }), null, at(-3));
    await t.store.routing.insertRule(rule('b', { group: 'team-a' }), null, at(-2));
    await t.store.routing.insertRule(rule('first'), 1, at(-1));
    await t.store.routing.insertRule(rule('second'), 2, at(0));
    await t.store.routing.insertRule(rule('last'), 99, at(0));
    expect(await order()).toEqual([['first', 1], ['second', 2], ['a', 3], ['b', 4], ['last', 5]]);
    expect((await t.store.routing.rules()).find((r) => r.id === a)).toEqual({
      id: a, name: 'a', position: 3, conditions: 'source=a', userId: t.ravi.id, group: null, createdBy: t.manager.id, createdAt: at(-3),
    });
    expect((await t.store.routing.rules()).find((r) => r.name === 'b')).toMatchObject({ userId: null, group: 'team-a' });
  });

  it('removeRule moves the later rules up', async () => {
    const ids: number[] = [];
    for (const n of ['r1', 'r2', 'r3', 'r4']) ids.push(await t.store.routing.insertRule(rule(n), null, T0));
    await t.store.routing.removeRule(ids[1]!);
    expect(await order()).toEqual([['r1', 1], ['r3', 2], ['r4', 3]]);
    await t.store.routing.removeRule(ids[1]!);
    expect(await order()).toEqual([['r1', 1], ['r3', 2], ['r4', 3]]);
    await t.store.routing.insertRule(rule('r5'), 2, T0);
    expect(await order()).toEqual([['r1', 1], ['r5', 2], ['r3', 3], ['r4', 4]]);
  });

  it('groups: putGroup adds or replaces the members (keeping when it was made), by name; removeGroup', async () => {
    await t.store.routing.putGroup('team-b', [t.priya.id], at(-5));
    await t.store.routing.putGroup('team-a', [t.ravi.id, t.priya.id], at(-4));
    expect(await t.store.routing.groups()).toEqual([
      { name: 'team-a', userIds: [t.ravi.id, t.priya.id], createdAt: at(-4) },
      { name: 'team-b', userIds: [t.priya.id], createdAt: at(-5) },
    ]);
    await t.store.routing.putGroup('team-b', [t.manager.id, t.ravi.id], at(0));
    expect((await t.store.routing.groups())[1]).toEqual({ name: 'team-b', userIds: [t.manager.id, t.ravi.id], createdAt: at(-5) });
    await t.store.routing.removeGroup('team-a');
    expect((await t.store.routing.groups()).map((g) => g.name)).toEqual(['team-b']);
  });
});

describe('store contract: scoring', () => {
  it('rules: insert, list by id, remove', async () => {
    const a = await t.store.scoring.insertRule({ name: 'hot source', conditions: 'source=Website', points: 20, days: 30, createdBy: t.manager.id }, at(-1));
    const b = await t.store.scoring.insertRule({ name: 'idle', conditions: 'no-activity>14', points: -10, days: 14, createdBy: t.admin.id }, at(0));
    expect(await t.store.scoring.rules()).toEqual([
      { id: a, name: 'hot source', conditions: 'source=Website', points: 20, days: 30, createdBy: t.manager.id, createdAt: at(-1) },
      { id: b, name: 'idle', conditions: 'no-activity>14', points: -10, days: 14, createdBy: t.admin.id, createdAt: at(0) },
    ]);
    await t.store.scoring.removeRule(a);
    expect((await t.store.scoring.rules()).map((r) => r.id)).toEqual([b]);
  });

  it('state: none until set; setState replaces it', async () => {
    const lead = await insertLead(t.store);
    expect(await t.store.scoring.state(lead)).toBeUndefined();
    await t.store.scoring.setState(lead, { base: 40, points: 15, at: at(0) });
    expect(await t.store.scoring.state(lead)).toEqual({ base: 40, points: 15, at: at(0) });
    await t.store.scoring.setState(lead, { base: 0, points: -5, at: at(1) });
    expect(await t.store.scoring.state(lead)).toEqual({ base: 0, points: -5, at: at(1) });
  });

  it('activityCounts: entries of each type at or after since (0 for types without any); liveLeadIds: every lead not deleted', async () => {
    const lead = await insertLead(t.store);
    const other = await insertLead(t.store);
    const gone = await insertLead(t.store, { deletedAt: at(-1) });
    for (const [type, m] of [['call', -100], ['call', -10], ['call', 0], ['email', -10], ['note', -5]] as const) {
      await t.store.activities.add({ leadId: lead, type, at: at(m), userId: null });
    }
    await t.store.activities.add({ leadId: other, type: 'call', at: at(0), userId: null });
    expect(await t.store.scoring.activityCounts(lead, ['call', 'email', 'meeting'], at(-10))).toEqual({ call: 2, email: 1, meeting: 0 });
    expect(await t.store.scoring.activityCounts(lead, ['call'], at(-1000))).toEqual({ call: 3 });
    expect(await t.store.scoring.activityCounts(lead, [], at(-1000))).toEqual({});
    expect(await t.store.scoring.liveLeadIds()).toEqual([lead, other]);
    expect((await t.store.scoring.liveLeadIds()).includes(gone)).toBe(false);
  });
});

describe('store contract: welcome', () => {
  it('put adds or replaces the rule for (source, via, channel); list in that order; attachments; remove', async () => {
    const pdf = Buffer.from('%PDF-1.4 brochure');
    const web = await t.store.welcome.put({ source: 'Website', via: '', channel: 'email', template: 'Welcome {contact_name}', attachment: { filename: 'brochure.pdf', contentType: 'application/pdf', size: pdf.length }, attachmentData: pdf, createdBy: t.admin.id }, at(-2));
    const any = await t.store.welcome.put({ source: '', via: '', channel: 'sms', template: 'Hi!', attachment: null, attachmentData: null, createdBy: t.manager.id }, at(-1));
    expect(await t.store.welcome.list()).toEqual([
      { id: any, source: '', via: '', channel: 'sms', template: 'Hi!', attachment: null, createdBy: t.manager.id, createdAt: at(-1) },
      { id: web, source: 'Website', via: '', channel: 'email', template: 'Welcome {contact_name}', attachment: { filename: 'brochure.pdf', contentType: 'application/pdf', size: pdf.length }, createdBy: t.admin.id, createdAt: at(-2) },
    ]);
    expect(Buffer.from((await t.store.welcome.attachmentData(web))!).equals(pdf)).toBe(true);
    expect(await t.store.welcome.attachmentData(any)).toBeUndefined();
    const replaced = await t.store.welcome.put({ source: 'Website', via: '', channel: 'email', template: 'New text', attachment: null, attachmentData: null, createdBy: t.admin.id }, at(0));
    const list = await t.store.welcome.list();
    expect(list.map((w) => [w.source, w.channel, w.template])).toEqual([['', 'sms', 'Hi!'], ['Website', 'email', 'New text']]);
    expect(list[1]!.id).toBe(replaced);
    expect(await t.store.welcome.attachmentData(replaced)).toBeUndefined();
    await t.store.welcome.remove(any);
    expect((await t.store.welcome.list()).map((w) => w.id)).toEqual([replaced]);
  });
});
