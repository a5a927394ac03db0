import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewPortalLink, NewPortalSession } from '../../../src/domain/portal.js';
import { testTeam, type TestTeam } from '../../helpers/store.js';
import { at, insertLead, T0 } from './builders.js';

let t: TestTeam;
beforeEach(async () => {
  t = await testTeam();
});
afterEach(() => t.close());

const link = (leadId: number, o: Partial<NewPortalLink> = {}): NewPortalLink => ({ tokenHash: `h${Math.random()}`, leadId, personId: null, email: 'ana@sousa.example', createdById: null, remote: null, expiresAt: at(30), ...o });
const session = (leadId: number, o: Partial<NewPortalSession> = {}): NewPortalSession => ({ tokenHash: `s${Math.random()}`, leadId, personId: null, email: 'ana@sousa.example', linkId: null, remote: '127.0.0.1', userAgent: 'ua', expiresAt: at(600), ...o });

describe('store contract: portal links and sessions', () => {
  it('a link is used once, only before it expires; of two concurrent uses one wins', async () => {
    const lead = await insertLead(t.store, { name: 'Sousa Lda' });
    const id = await t.store.portal.insertLink(link(lead, { tokenHash: 'a', createdById: t.ravi.id, remote: '10.0.0.1' }), T0);
    expect(await t.store.portal.linkByHash('a')).toEqual({ id, leadId: lead, personId: null, email: 'ana@sousa.example', createdById: t.ravi.id, remote: '10.0.0.1', createdAt: T0, expiresAt: at(30), usedAt: null });
    const both = await Promise.all([t.store.portal.useLink('a', at(1)), t.store.portal.useLink('a', at(1))]);
    expect(both.filter(Boolean)).toHaveLength(1);
    expect(both.find(Boolean)).toMatchObject({ id, usedAt: at(1) });
    await t.store.portal.insertLink(link(lead, { tokenHash: 'b' }), T0);
    expect(await t.store.portal.useLink('b', at(30))).toBeUndefined();
    expect(await t.store.portal.useLink('nope', at(1))).toBeUndefined();
    expect(await t.store.portal.linksSince('ANA@sousa.example', T0)).toBe(2);
    expect(await t.store.portal.linksSince('ana@sousa.example', at(1))).toBe(0);
  });

  it('live sessions: by hash until ended or expired; revoke ends a person\'s or the whole lead\'s and voids unused links', async () => {
    const lead = await insertLead(t.store, { name: 'Sousa Lda' });
    const other = await insertLead(t.store, { name: 'Lima SA' });
    const person = await t.store.contactPersons.insert({ leadId: lead, name: 'Ana', email: 'ana@sousa.example', phone: null, role: null, commissionPct: null, portal: true }, T0);
    const a = await t.store.portal.insertSession(session(lead, { tokenHash: 'sa', personId: person }), T0);
    const b = await t.store.portal.insertSession(session(lead, { tokenHash: 'sb' }), T0);
    const c = await t.store.portal.insertSession(session(other, { tokenHash: 'sc' }), T0);
    expect(await t.store.portal.liveSession('sa', at(1))).toMatchObject({ id: a, leadId: lead, leadName: 'Sousa Lda', personId: person, endedAt: null, userAgent: 'ua' });
    expect(await t.store.portal.liveSession('sa', at(600))).toBeUndefined();
    expect((await t.store.portal.sessions(undefined, at(1))).map((s) => s.id)).toEqual([c, b, a]);
    expect((await t.store.portal.sessions(lead, at(1))).map((s) => s.id)).toEqual([b, a]);
    await t.store.portal.insertLink(link(lead, { tokenHash: 'unused', personId: person }), T0);
    expect(await t.store.portal.revoke(lead, person, at(2))).toBe(1);
    expect(await t.store.portal.useLink('unused', at(3))).toBeUndefined();
    expect(await t.store.portal.liveSession('sb', at(3))).toBeDefined();
    expect(await t.store.portal.revoke(lead, undefined, at(3))).toBe(1);
    await t.store.portal.endSession(c, 'logout', at(4));
    expect(await t.store.portal.sessions(undefined, at(5))).toEqual([]);
    expect(await t.store.portal.liveSession('sc', at(5))).toBeUndefined();
  });

  it('a merge moves the links and sessions onto the lead kept (orders.moveToLead)', async () => {
    const from = await insertLead(t.store, { name: 'Sousa (dup)' });
    const to = await insertLead(t.store, { name: 'Sousa Lda' });
    await t.store.portal.insertLink(link(from, { tokenHash: 'l' }), T0);
    await t.store.portal.insertSession(session(from, { tokenHash: 's' }), T0);
    await t.store.orders.moveToLead(from, to);
    expect((await t.store.portal.linkByHash('l'))!.leadId).toBe(to);
    expect(await t.store.portal.liveSession('s', at(1))).toMatchObject({ leadId: to, leadName: 'Sousa Lda' });
  });

  it('contactsByEmail: persons with portal access, then leads with the email, any case; deleted leads and persons without access are not', async () => {
    const lead = await insertLead(t.store, { name: 'Sousa Lda', emails: ['office@sousa.example'] });
    const own = await insertLead(t.store, { name: 'Ana Reis', emails: ['Ana@Sousa.example'] });
    const gone = await insertLead(t.store, { name: 'Old', emails: ['ana@sousa.example'], deletedAt: T0 });
    const p = await t.store.contactPersons.insert({ leadId: lead, name: 'Ana', email: 'ana@sousa.example', phone: null, role: null, commissionPct: null, portal: true }, T0);
    await t.store.contactPersons.insert({ leadId: gone, name: 'Ana', email: 'ana@sousa.example', phone: null, role: null, commissionPct: null, portal: false }, T0);
    expect(await t.store.portal.contactsByEmail('ANA@sousa.example')).toEqual([
      { leadId: lead, personId: p, name: 'Ana', email: 'ana@sousa.example' },
      { leadId: own, personId: null, name: 'Ana Reis', email: 'Ana@Sousa.example' },
    ]);
    expect(await t.store.portal.contactsByEmail('nobody@x.example')).toEqual([]);
  });
});
