import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, PermissionError, UsageError } from '../../src/errors.js';
import {
  addLead, addNote, assignLead, convertLead, deleteLeads, editLead, listLeads, loseLead, mergeLeads, moveLead, restoreLead, showLead,
} from '../../src/services/leads/service.js';
import { setSetting } from '../../src/services/settings/service.js';
import { addLeadAs, aLead, testTeam, type TestTeam } from '../helpers/store.js';

let t: TestTeam;
beforeEach(async () => {
  t = await testTeam();
});
afterEach(() => t.close());

describe('adding leads (L1, L3)', () => {
  it('normalises phones to E.164 with the default region and stores money in minor units', async () => {
    const { outcome, lead } = await addLead(t.as(t.admin), aLead({ phones: ['912 345 678'], value: '12,000.50', source: 'Website', tags: ['vip', 'VIP'] }));
    expect(outcome).toBe('new');
    expect(lead.phones).toEqual(['+351912345678']);
    expect(lead.valueMinor).toBe(1_200_050);
    expect(lead.currency).toBe('EUR');
    expect(lead.tags).toEqual(['vip']);
    expect(lead.stage).toBe('New');
  });

  it('refuses a duplicate email in another case and stores nothing', async () => {
    await addLead(t.as(t.admin), aLead({ emails: ['Ana@Sousa.example'] }));
    const before = await t.store.leads.count({});
    await expect(addLead(t.as(t.admin), aLead({ emails: ['ana@SOUSA.example'] }))).rejects.toThrow(ConflictError);
    expect(await t.store.leads.count({})).toBe(before);
  });

  it('refuses a duplicate phone written differently', async () => {
    await addLead(t.as(t.admin), aLead({ phones: ['+351 912 345 678'] }));
    await expect(addLead(t.as(t.admin), aLead({ phones: ['912345678'] }))).rejects.toThrow(/duplicate: lead \d+ already has phone \+351912345678/);
  });

  it('re-engages a lost lead instead of duplicating it, reopening it in the first open stage', async () => {
    const first = await addLeadAs(t, t.admin, { emails: ['lost@example.com'] });
    await loseLead(t.as(t.admin), first.id, 'Price too high');
    const result = await addLead(t.as(t.admin), aLead({ emails: ['LOST@example.com'], phones: ['+351912000111'] }));
    expect(result.outcome).toBe('re-engaged');
    expect(result.lead.id).toBe(first.id);
    expect(result.lead.stage).toBe('New');
    expect(result.lead.lostReason).toBeNull();
    expect(result.lead.phones).toEqual(['+351912000111']);
    expect(result.reopenedFrom).toEqual({ status: 'active', stage: 'Lost' });
    const { timeline } = await showLead(t.as(t.admin), first.id);
    expect(timeline[0]!.type).toBe('reengaged');
    expect(await t.store.leads.count({})).toBe(1);
  });

  it('re-engages junk and archived leads too', async () => {
    const junk = await addLeadAs(t, t.admin, { emails: ['j@example.com'], status: 'junk' });
    expect((await addLead(t.as(t.admin), aLead({ emails: ['j@example.com'] }))).lead).toMatchObject({ id: junk.id, status: 'active' });
  });

  it('files leads matching the junk rules as junk', async () => {
    await setSetting(t.as(t.admin), 'junk.domains', 'mailinator.com');
    const { outcome, lead } = await addLead(t.as(t.admin), aLead({ emails: ['x@Mailinator.com'] }));
    expect(outcome).toBe('junk');
    expect(lead.status).toBe('junk');
  });

  it('validates every field and names the bad value', async () => {
    const ctx = t.as(t.admin);
    await expect(addLead(ctx, aLead({ emails: ['not-an-email'] }))).rejects.toThrow(/invalid email 'not-an-email'/);
    await expect(addLead(ctx, aLead({ phones: ['12'] }))).rejects.toThrow(UsageError);
    await expect(addLead(ctx, aLead({ score: 101 }))).rejects.toThrow(/invalid score '101'/);
    await expect(addLead(ctx, aLead({ value: '-5' }))).rejects.toThrow(/invalid value '-5'/);
    await expect(addLead(ctx, aLead({ value: '1.2345' }))).rejects.toThrow(/EUR has 2 decimal places/);
    await expect(addLead(ctx, aLead({ currency: 'XYZ' }))).rejects.toThrow(/unknown currency 'XYZ'/);
    await expect(addLead(ctx, aLead({ expectedClose: '2026-02-30' }))).rejects.toThrow(/invalid expected close date/);
    await expect(addLead(ctx, aLead({ stage: 'Nope' }))).rejects.toThrow(NotFoundError);
    await expect(addLead(ctx, aLead({ source: 'Nope' }))).rejects.toThrow(/unknown source 'Nope'/);
    await expect(addLead(ctx, aLead({ assign: ['nobody@acme.example'] }))).rejects.toThrow(/unknown user/);
    await expect(addLead(ctx, { emails: ['a@b.example'] })).rejects.toThrow(/needs a name/);
    expect(await t.store.leads.count({ deleted: 'include', statuses: undefined })).toBe(0);
  });

  it('uses the currency digits: JPY has none, BHD three', async () => {
    expect((await addLeadAs(t, t.admin, { value: '1500', currency: 'jpy' })).valueMinor).toBe(1500);
    expect((await addLeadAs(t, t.admin, { value: '1.5', currency: 'BHD' })).valueMinor).toBe(1500);
  });
});

describe('visibility (U2)', () => {
  it('a rep sees and changes only their own leads; a new lead of theirs is assigned to them', async () => {
    const mine = await addLeadAs(t, t.ravi);
    expect(mine.assignees.map((a) => a.email)).toEqual(['ravi@acme.example']);
    const priyas = await addLeadAs(t, t.admin, { assign: ['priya@acme.example'] });
    expect((await listLeads(t.as(t.ravi), {})).map((l) => l.id)).toEqual([mine.id]);
    expect((await listLeads(t.as(t.manager), {})).length).toBe(2);
    await expect(showLead(t.as(t.ravi), priyas.id)).rejects.toThrow(PermissionError);
    await expect(moveLead(t.as(t.ravi), priyas.id, 'Qualified')).rejects.toThrow(/not assigned to you/);
    expect((await t.store.leads.get(priyas.id))!.stage).toBe('New');
  });

  it('a rep cannot hand leads to someone else', async () => {
    await expect(addLead(t.as(t.ravi), aLead({ assign: ['priya@acme.example'] }))).rejects.toThrow(PermissionError);
    const mine = await addLeadAs(t, t.ravi);
    await expect(assignLead(t.as(t.ravi), mine.id, { to: ['priya@acme.example'] })).rejects.toThrow(PermissionError);
  });
});

describe('the pipeline and the timeline (L4, L5, L6)', () => {
  it('records moves, edits, notes, assignment and conversion with who and when', async () => {
    const lead = await addLeadAs(t, t.admin, { value: '100' });
    const later = new Date('2026-11-24T10:00:00Z');
    await editLead(t.as(t.admin, later), lead.id, { score: 80, expectedClose: '2026-12-15' });
    await moveLead(t.as(t.manager, later), lead.id, 'Qualified');
    await addNote(t.as(t.admin, later), lead.id, 'Asked for pricing');
    await assignLead(t.as(t.manager, later), lead.id, { to: ['ravi@acme.example'] });
    const converted = await convertLead(t.as(t.ravi, later), lead.id, 'SO-1042');
    expect(converted).toMatchObject({ type: 'customer', stage: 'Won', orderId: 'SO-1042', convertedAt: later.toISOString() });
    const { timeline } = await showLead(t.as(t.admin), lead.id);
    const byType = Object.fromEntries(timeline.map((a) => [a.type, a]));
    expect(timeline.map((a) => a.type).sort()).toEqual(['assigned', 'converted', 'created', 'note', 'stage', 'stage', 'updated'].sort());
    expect(byType.updated!.data).toEqual({ changes: [{ field: 'score', from: 0, to: 80 }, { field: 'expectedClose', from: null, to: '2026-12-15' }] });
    expect(byType.assigned).toMatchObject({ user: 'meera@acme.example', data: { from: [], to: ['ravi@acme.example'] } });
    expect(byType.converted).toMatchObject({ user: 'ravi@acme.example', at: later.toISOString(), data: { previousType: 'lead', orderId: 'SO-1042' } });
    const moves = timeline.filter((a) => a.type === 'stage').map((a) => a.data);
    expect(moves).toContainEqual({ from: 'New', to: 'Qualified' });
    expect(moves).toContainEqual({ from: 'Qualified', to: 'Won' });
    await expect(convertLead(t.as(t.admin), lead.id)).rejects.toThrow(/already a customer/);
  });

  it('a lost lead needs a reason, and the reason is kept', async () => {
    const lead = await addLeadAs(t, t.admin);
    await expect(moveLead(t.as(t.admin), lead.id, 'Lost')).rejects.toThrow(/needs a reason/);
    const lost = await loseLead(t.as(t.admin), lead.id, 'Price too high');
    expect(lost).toMatchObject({ stage: 'Lost', stageOutcome: 'lost', lostReason: 'Price too high' });
    const moved = await moveLead(t.as(t.admin), lead.id, 'Contacted');
    expect(moved.lostReason).toBeNull();
  });

  it('editing to a contact another lead owns is a conflict and changes nothing', async () => {
    await addLeadAs(t, t.admin, { emails: ['taken@example.com'] });
    const lead = await addLeadAs(t, t.admin);
    await expect(editLead(t.as(t.admin), lead.id, { emails: ['Taken@example.com'] })).rejects.toThrow(ConflictError);
    expect((await t.store.leads.get(lead.id))!.emails).toEqual(lead.emails);
  });
});

describe('merge, delete, restore (L2, L3)', () => {
  it('merges contacts, tags, owners and timeline into the target and deletes the source', async () => {
    const a = await addLeadAs(t, t.admin, { emails: ['a@example.com'], phones: ['+351912000001'], tags: ['hot'], assign: ['ravi@acme.example'], businessName: 'A Lda' });
    const b = await addLeadAs(t, t.admin, { emails: ['b@example.com'], tags: ['vip'], assign: ['priya@acme.example'] });
    await addNote(t.as(t.admin), a.id, 'from a');
    const merged = await mergeLeads(t.as(t.admin), a.id, b.id);
    expect(merged.emails).toEqual(['b@example.com', 'a@example.com']);
    expect(merged.phones).toEqual(['+351912000001']);
    expect(merged.tags).toEqual(['hot', 'vip']);
    expect(merged.assignees.map((x) => x.email).sort()).toEqual(['priya@acme.example', 'ravi@acme.example']);
    expect(merged.businessName).toBe('A Lda');
    const { timeline } = await showLead(t.as(t.admin), b.id);
    expect(timeline.some((x) => x.type === 'note' && x.body === 'from a')).toBe(true);
    expect(timeline[0]!.type).toBe('merged');
    const gone = await t.store.leads.get(a.id);
    expect(gone).toMatchObject({ mergedInto: b.id, emails: [] });
    expect(gone!.deletedAt).not.toBeNull();
    await expect(restoreLead(t.as(t.admin), a.id)).rejects.toThrow(/merged into lead/);
    // The merged-away contact now finds the survivor.
    await expect(addLead(t.as(t.admin), aLead({ emails: ['a@example.com'] }))).rejects.toThrow(new RegExp(`lead ${b.id}`));
  });

  it('soft-deletes and restores', async () => {
    const lead = await addLeadAs(t, t.admin);
    await deleteLeads(t.as(t.admin), [lead.id]);
    expect((await listLeads(t.as(t.admin), {})).length).toBe(0);
    expect((await listLeads(t.as(t.admin), { deleted: true })).map((l) => l.id)).toEqual([lead.id]);
    await expect(showLead(t.as(t.admin), lead.id)).resolves.toBeTruthy();
    const back = await restoreLead(t.as(t.admin), lead.id);
    expect(back.deletedAt).toBeNull();
    await expect(restoreLead(t.as(t.admin), lead.id)).rejects.toThrow(/not deleted/);
  });

  it('delete of several ids is all or nothing', async () => {
    const lead = await addLeadAs(t, t.admin);
    await expect(deleteLeads(t.as(t.admin), [lead.id, 9999])).rejects.toThrow(NotFoundError);
    expect((await t.store.leads.get(lead.id))!.deletedAt).toBeNull();
  });
});

describe('listing (L2)', () => {
  it('filters by stage, source, tag, user, score and search; sorts; pages', async () => {
    const ctx = t.as(t.admin);
    const a = await addLeadAs(t, t.admin, { name: 'Ana Sousa', source: 'Website', score: 90, tags: ['vip'], assign: ['ravi@acme.example'] });
    const b = await addLeadAs(t, t.admin, { name: 'Bruno Lima', source: 'Referral', score: 40 });
    const c = await addLeadAs(t, t.admin, { name: 'Carla Dias', source: 'Website', score: 60, businessName: 'Sousa Exports' });
    await moveLead(ctx, b.id, 'Qualified');
    const ids = async (f: Parameters<typeof listLeads>[1]) => (await listLeads(ctx, f)).map((l) => l.id);
    expect(await ids({ source: ['website'] })).toEqual([c.id, a.id]);
    expect(await ids({ stage: ['Qualified'] })).toEqual([b.id]);
    expect(await ids({ tag: 'VIP' })).toEqual([a.id]);
    expect(await ids({ user: 'ravi@acme.example' })).toEqual([a.id]);
    expect(await ids({ minScore: '50', sort: '-score' })).toEqual([a.id, c.id]);
    expect(await ids({ search: 'sousa' })).toEqual([c.id, a.id]);
    expect(await ids({ sort: 'name', limit: 2 })).toEqual([a.id, b.id]);
    expect(await ids({ sort: 'name', limit: 2, offset: 2 })).toEqual([c.id]);
    await expect(listLeads(ctx, { sort: 'colour' })).rejects.toThrow(/cannot sort by 'colour'/);
  });
});
