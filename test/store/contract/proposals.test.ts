import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewProposalRevision, ProposalItem } from '../../../src/domain/proposals.js';
import { testTeam, type TestTeam } from '../../helpers/store.js';
import { at, insertLead, T0 } from './builders.js';

let t: TestTeam;
beforeEach(async () => {
  t = await testTeam();
});
afterEach(() => t.close());

const item: ProposalItem = { description: 'Seats', quantity: '2.5', unitPriceMinor: 10000, discountPct: '10', taxPct: '23', grossMinor: 25000, discountMinor: 2500, netMinor: 22500, taxMinor: 5175, totalMinor: 27675 };
const revision = (o: Partial<NewProposalRevision> = {}): NewProposalRevision => ({
  subject: 'Quotation Q-1', body: 'Dear Ana, …', cc: ['boss@sousa.example'], bcc: [], currency: 'EUR', items: [item],
  subtotalMinor: 25000, discountMinor: 2500, taxMinor: 5175, totalMinor: 27675, validUntil: '2026-12-31', createdBy: t.ravi.id, createdAt: T0, ...o,
});

describe('store contract: proposal templates', () => {
  it('insert with files; get with attachment names and sizes; files with their bytes; byName, list by name, remove', async () => {
    const pdf = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0x10]);
    const id = await t.store.proposalTemplates.insert(
      { name: 'Standard', subject: 'Quotation for {business_name}', body: 'Hello {contact_name}', cc: ['sales@acme.example'], bcc: ['archive@acme.example'], createdBy: t.manager.id },
      [{ filename: 'brochure.pdf', contentType: 'application/pdf', content: pdf }, { filename: 'terms.txt', contentType: 'text/plain', content: Buffer.from('Terms: net 30') }],
      at(-1),
    );
    const plain = await t.store.proposalTemplates.insert({ name: 'aaa plain', subject: 's', body: 'b', cc: [], bcc: [], createdBy: t.admin.id }, [], at(0));
    const expected = {
      id, name: 'Standard', subject: 'Quotation for {business_name}', body: 'Hello {contact_name}', cc: ['sales@acme.example'], bcc: ['archive@acme.example'],
      attachments: [{ filename: 'brochure.pdf', contentType: 'application/pdf', bytes: 7 }, { filename: 'terms.txt', contentType: 'text/plain', bytes: 13 }],
      createdBy: 'meera@acme.example', createdAt: at(-1),
    };
    expect(await t.store.proposalTemplates.get(id)).toEqual(expected);
    expect(await t.store.proposalTemplates.byName('STANDARD')).toEqual(expected);
    const files = await t.store.proposalTemplates.files(id);
    expect(files.map((f) => [f.filename, f.contentType, Buffer.from(f.content).equals(f.filename === 'brochure.pdf' ? pdf : Buffer.from('Terms: net 30'))])).toEqual([
      ['brochure.pdf', 'application/pdf', true], ['terms.txt', 'text/plain', true],
    ]);
    expect((await t.store.proposalTemplates.list()).map((x) => x.name)).toEqual(['aaa plain', 'Standard']);
    expect((await t.store.proposalTemplates.get(plain))!.attachments).toEqual([]);
    await t.store.proposalTemplates.remove(id);
    expect(await t.store.proposalTemplates.get(id)).toBeUndefined();
    expect(await t.store.proposalTemplates.byName('Standard')).toBeUndefined();
    expect((await t.store.proposalTemplates.list()).map((x) => x.id)).toEqual([plain]);
  });
});

describe('store contract: proposals', () => {
  it('insert makes revision 1; get shows the proposal with its current revision\'s content', async () => {
    const lead = await insertLead(t.store, { name: 'Ana Sousa' });
    const id = await t.store.transaction(() => t.store.proposals.insert({ leadId: lead, templateId: null, templateName: 'Standard', status: 'draft', createdBy: t.ravi.id }, revision(), at(-1)));
    const { createdBy: _c, createdAt: _a, ...content } = revision();
    expect(await t.store.proposals.get(id)).toEqual({
      id, leadId: lead, leadName: 'Ana Sousa', templateId: null, templateName: 'Standard', status: 'draft', revision: 1, ...content,
      createdBy: 'ravi@acme.example', createdAt: at(-1), updatedAt: at(-1), sentAt: null, decidedAt: null,
    });
    expect(await t.store.proposals.get(id + 100)).toBeUndefined();
  });

  it('addRevision makes the next revision current; revisions keeps each; markRevisionSent stamps sent and approval', async () => {
    const lead = await insertLead(t.store);
    const id = await t.store.proposals.insert({ leadId: lead, templateId: null, templateName: 'Standard', status: 'draft', createdBy: t.ravi.id }, revision(), at(-10));
    await t.store.proposals.markRevisionSent(id, 1, at(-9));
    const rev2 = revision({ subject: 'Quotation Q-1 (rev 2)', items: [], subtotalMinor: 0, discountMinor: 0, taxMinor: 0, totalMinor: 0, validUntil: null, createdBy: t.priya.id, createdAt: at(-5) });
    expect(await t.store.proposals.addRevision(id, rev2)).toBe(2);
    expect(await t.store.proposals.get(id)).toMatchObject({ revision: 2, subject: 'Quotation Q-1 (rev 2)', items: [], totalMinor: 0, validUntil: null, updatedAt: at(-5), createdBy: 'ravi@acme.example' });
    await t.store.proposals.markRevisionSent(id, 2, at(-1), t.manager.id);
    const revs = await t.store.proposals.revisions(id);
    expect(revs.map((r) => [r.proposalId, r.revision, r.subject, r.createdBy, r.createdAt, r.sentAt, r.approvedBy, r.approvedAt])).toEqual([
      [id, 1, 'Quotation Q-1', 'ravi@acme.example', T0, at(-9), null, null],
      [id, 2, 'Quotation Q-1 (rev 2)', 'priya@acme.example', at(-5), at(-1), 'meera@acme.example', at(-1)],
    ]);
    expect(revs[0]).toMatchObject({ items: [item], cc: ['boss@sousa.example'], bcc: [], currency: 'EUR', subtotalMinor: 25000, discountMinor: 2500, taxMinor: 5175, totalMinor: 27675, validUntil: '2026-12-31' });
    expect(await t.store.proposals.addRevision(id, revision({ createdAt: at(0) }))).toBe(3);
  });

  it('update changes status and the stamps given, and updatedAt', async () => {
    const lead = await insertLead(t.store);
    const id = await t.store.proposals.insert({ leadId: lead, templateId: null, templateName: 'x', status: 'draft', createdBy: t.ravi.id }, revision(), at(-10));
    await t.store.proposals.update(id, { status: 'sent', sentAt: at(-2) }, at(-2));
    expect(await t.store.proposals.get(id)).toMatchObject({ status: 'sent', sentAt: at(-2), decidedAt: null, updatedAt: at(-2), createdAt: at(-10) });
    await t.store.proposals.update(id, { status: 'accepted', decidedAt: at(0) }, at(0));
    expect(await t.store.proposals.get(id)).toMatchObject({ status: 'accepted', sentAt: at(-2), decidedAt: at(0), updatedAt: at(0) });
  });

  it('list: newest first; statuses, leadId, visibleTo (leads assigned to the user), validity, limit', async () => {
    const ravis = await insertLead(t.store, { assigneeIds: [t.ravi.id] });
    const open = await insertLead(t.store);
    const p = async (leadId: number, status: 'draft' | 'sent', validUntil: string | null) =>
      t.store.proposals.insert({ leadId, templateId: null, templateName: 'x', status, createdBy: t.admin.id }, revision({ validUntil }), T0);
    const p1 = await p(ravis, 'sent', '2026-11-30');
    const p2 = await p(open, 'draft', '2026-12-01');
    const p3 = await p(ravis, 'draft', null);
    const list = async (q: Parameters<TestTeam['store']['proposals']['list']>[0]) => (await t.store.proposals.list(q)).map((x) => x.id);
    expect(await list({})).toEqual([p3, p2, p1]);
    expect(await list({ statuses: ['draft'] })).toEqual([p3, p2]);
    expect(await list({ leadId: open })).toEqual([p2]);
    expect(await list({ visibleTo: t.ravi.id })).toEqual([p3, p1]);
    expect(await list({ visibleTo: t.priya.id })).toEqual([]);
    expect(await list({ validBefore: '2026-12-01' })).toEqual([p1]);
    expect(await list({ validOnOrBefore: '2026-12-01' })).toEqual([p2, p1]);
    expect(await list({ limit: 1 })).toEqual([p3]);
    // The current revision decides validity.
    await t.store.proposals.addRevision(p2, revision({ validUntil: '2026-11-01', createdAt: at(1) }));
    expect(await list({ validBefore: '2026-11-15' })).toEqual([p2]);
  });

  it('addEvent and events: in time order with the user\'s email', async () => {
    const lead = await insertLead(t.store);
    const id = await t.store.proposals.insert({ leadId: lead, templateId: null, templateName: 'x', status: 'draft', createdBy: t.ravi.id }, revision(), T0);
    await t.store.proposals.addEvent({ proposalId: id, revision: 1, event: 'sent', status: 'sent', at: at(5), userId: t.ravi.id, note: null });
    await t.store.proposals.addEvent({ proposalId: id, revision: 1, event: 'created', status: 'draft', at: at(0), userId: t.ravi.id, note: 'from template' });
    await t.store.proposals.addEvent({ proposalId: id, revision: 1, event: 'viewed', status: 'viewed', at: at(9), userId: null, note: null });
    expect((await t.store.proposals.events(id)).map((e) => ({ ...e, id: 0 }))).toEqual([
      { id: 0, proposalId: id, revision: 1, event: 'created', status: 'draft', at: at(0), userId: t.ravi.id, user: 'ravi@acme.example', note: 'from template' },
      { id: 0, proposalId: id, revision: 1, event: 'sent', status: 'sent', at: at(5), userId: t.ravi.id, user: 'ravi@acme.example', note: null },
      { id: 0, proposalId: id, revision: 1, event: 'viewed', status: 'viewed', at: at(9), userId: null, user: null, note: null },
    ]);
    expect(await t.store.proposals.events(id + 100)).toEqual([]);
  });

  it('numbers stay gap-free: a rolled-back insert takes no number; concurrent transactions take the next ones, one each', async () => {
    const lead = await insertLead(t.store);
    const insert = () => t.store.proposals.insert({ leadId: lead, templateId: null, templateName: 'x', status: 'draft', createdBy: t.ravi.id }, revision(), T0);
    const first = await t.store.transaction(insert);
    await expect(t.store.transaction(async () => {
      await insert();
      throw new Error('the send failed');
    })).rejects.toThrow('the send failed');
    const ids = await Promise.all([1, 2, 3, 4].map(() => t.store.transaction(insert)));
    expect([first, ...ids].sort((a, b) => a - b)).toEqual([first, first + 1, first + 2, first + 3, first + 4]);
    expect((await t.store.proposals.list({})).map((p) => [p.id, p.revision])).toEqual([4, 3, 2, 1, 0].map((k) => [first + k, 1]));
  });

  it('moveToLead moves a lead\'s proposals onto another (merge)', async () => {
    const from = await insertLead(t.store, { name: 'From' });
    const to = await insertLead(t.store, { name: 'To' });
    const id = await t.store.proposals.insert({ leadId: from, templateId: null, templateName: 'x', status: 'draft', createdBy: t.ravi.id }, revision(), T0);
    await t.store.transaction(() => t.store.proposals.moveToLead(from, to));
    expect(await t.store.proposals.list({ leadId: from })).toEqual([]);
    expect(await t.store.proposals.get(id)).toMatchObject({ leadId: to, leadName: 'To' });
  });
});
