import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JOBS } from '../../src/daemon/jobs.js';
import { logCall } from '../../src/services/calls/service.js';
import { receiveInquiry } from '../../src/services/intake/receive.js';
import { addLead, addNote, editLead } from '../../src/services/leads/service.js';
import { addScoringRule, explainLeadScore, listScoringRules, recomputeScores, removeScoringRule } from '../../src/services/scoring/service.js';
import { setSetting } from '../../src/services/settings/service.js';
import { FIXED_NOW, testTeam, type TestTeam } from '../helpers/store.js';

describe('scoring (L7)', () => {
  let t: TestTeam;
  beforeEach(async () => {
    t = await testTeam();
  });
  afterEach(() => t.close());
  const mgr = () => t.as(t.manager);
  const days = (n: number) => new Date(FIXED_NOW.getTime() + n * 86400_000);
  const score = async (id: number) => (await t.store.leads.get(id))!.score;

  it('explains each rule, matched or not, its points and the total (manual base + rules, clamped)', async () => {
    await addScoringRule(mgr(), { name: 'web', if: 'source=Website', points: '10' });
    await addScoringRule(mgr(), { name: 'corporate', if: 'mail=company', points: '15' });
    await addScoringRule(mgr(), { name: 'free-mail', if: 'mail=free', points: '-5' });
    await addScoringRule(mgr(), { name: 'reachable', if: 'has=phone,has=company', points: '5' });
    await addScoringRule(mgr(), { name: 'bant', if: 'budget=*,authority=yes', points: '20' });
    await addScoringRule(mgr(), { name: 'india', if: 'country=India', points: '3' });
    expect((await listScoringRules(mgr())).map((r) => r.name)).toEqual(['web', 'corporate', 'free-mail', 'reachable', 'bant', 'india']);
    const { lead } = await addLead(t.as(t.admin), { name: 'Nina', emails: ['nina@costa-textiles.example'], phones: ['+351 912 345 678'], source: 'Website', score: '30', custom: { budget: '10k', authority: 'Yes' } });
    const x = await explainLeadScore(t.as(t.admin), lead.id);
    expect(x.rules.map((l) => [l.rule, l.matched, l.failed])).toEqual([
      ['web', true, null], ['corporate', true, null], ['free-mail', false, 'mail=free'], ['reachable', false, 'has=company'], ['bant', true, null], ['india', false, 'country=India'],
    ]);
    expect(x).toMatchObject({ base: 30, rulePoints: 45, total: 75, stored: 75 });
    expect(lead.score).toBe(75);
    // Free mail (the built-in list and the team's additions) takes points off.
    const gmail = (await addLead(t.as(t.admin), { name: 'G', emails: ['g@gmail.com'] })).lead;
    expect(gmail.score).toBe(0);
    expect((await explainLeadScore(t.as(t.admin), gmail.id)).rulePoints).toBe(-5);
    await setSetting(t.as(t.admin), 'scoring.free-mail-domains', 'costa-textiles.example');
    await recomputeScores(mgr(), 'all');
    expect(await score(lead.id)).toBe(30 + 10 - 5 + 20);
    // Clamped at 100.
    await editLead(t.as(t.admin), lead.id, { score: '90' });
    expect(await score(lead.id)).toBe(100);
    expect(await explainLeadScore(t.as(t.admin), lead.id)).toMatchObject({ base: 90, rulePoints: 25, total: 100 });
  });

  it('a manual score is the base: lead edit --score keeps the rule points on top', async () => {
    await addScoringRule(mgr(), { name: 'web', if: 'source=Website', points: '10' });
    const { lead } = await addLead(t.as(t.admin), { name: 'A', source: 'Website' });
    expect(lead.score).toBe(10);
    expect((await editLead(t.as(t.admin), lead.id, { score: '50' })).score).toBe(60);
    // Setting the same manual base again changes nothing; setting it to the shown total moves it.
    expect((await editLead(t.as(t.admin), lead.id, { score: '50' })).score).toBe(60);
    expect((await editLead(t.as(t.admin), lead.id, { score: '60' })).score).toBe(70);
    expect((await editLead(t.as(t.admin), lead.id, { source: 'Referral' })).score).toBe(60);
    const timeline = await t.store.activities.forLead(lead.id);
    expect(timeline.filter((a) => a.type === 'scored').map((a) => a.data).at(0)).toEqual({ from: 70, to: 60, base: 60, points: 0 });
    // Removing every rule leaves the manual score.
    await removeScoringRule(mgr(), 'web');
    await editLead(t.as(t.admin), lead.id, { source: 'Website' });
    expect(await score(lead.id)).toBe(60);
  });

  it('without rules, scores are what people typed (and rule-less leads keep them when rules arrive)', async () => {
    const { lead } = await addLead(t.as(t.admin), { name: 'Typed', score: '42', source: 'Referral' });
    expect(lead.score).toBe(42);
    expect(await t.store.scoring.state(lead.id)).toBeUndefined();
    await addScoringRule(mgr(), { name: 'ref', if: 'source=Referral', points: '8' });
    expect(await recomputeScores(mgr(), 'all')).toEqual({ leads: 1, changed: 1 });
    expect(await score(lead.id)).toBe(50);
    expect(await recomputeScores(mgr(), 'all')).toEqual({ leads: 1, changed: 0 });
  });

  it('is recomputed when activity is logged (notes, calls in the last N days) and when an inquiry arrives', async () => {
    await addScoringRule(mgr(), { name: 'talked', if: 'calls>=1', points: '15', days: '7' });
    await addScoringRule(mgr(), { name: 'noted', if: 'notes>=2', points: '10', days: '7' });
    const { lead } = await addLead(t.as(t.admin), { name: 'Busy', phones: ['+351 912 000 111'] });
    expect(lead.score).toBe(0);
    await addNote(t.as(t.admin), lead.id, 'first');
    expect(await score(lead.id)).toBe(0);
    await addNote(t.as(t.admin), lead.id, 'second');
    expect(await score(lead.id)).toBe(10);
    await logCall(t.as(t.admin), { leadId: lead.id, outcome: 'connected', duration: '3m' }, { timeZone: 'UTC' });
    expect(await score(lead.id)).toBe(25);
    // Eight days later the window has passed: the daemon's daily job (or crm scoring recompute) takes the points off.
    const job = JOBS.find((j) => j.name === 'scoring.recompute')!;
    expect(await job.run({ store: t.store, env: {}, now: days(6), log: () => undefined })).toBe('1 lead(s) rescored, 0 changed');
    expect(await job.run({ store: t.store, env: {}, now: days(8), log: () => undefined })).toBe('1 lead(s) rescored, 1 changed');
    expect(await score(lead.id)).toBe(0);
    expect(await recomputeScores(t.as(t.manager, days(8)), 'all')).toEqual({ leads: 1, changed: 0 });
    await expect(recomputeScores(t.as(t.ravi), [lead.id])).rejects.toThrow(/ravi@acme.example/);
    await addScoringRule(mgr(), { name: 'web', if: 'source=Website,has=email', points: '12' });
    const r = await receiveInquiry(t.as(t.admin), { channel: 'form', ref: 'website', lead: { name: 'Web', emails: ['web@corp.example'], source: 'Website' } });
    expect(r.lead.score).toBe(12);
  });

  it('refuses rules it cannot evaluate', async () => {
    await expect(addScoringRule(mgr(), { name: 'x', if: 'channel=form', points: '5' })).rejects.toThrow(/known only while an inquiry arrives/);
    await expect(addScoringRule(mgr(), { name: 'x', if: 'calls>=two', points: '5' })).rejects.toThrow(/whole number/);
    await expect(addScoringRule(mgr(), { name: 'x', if: 'source=Website', points: '0' })).rejects.toThrow(/invalid points '0'/);
    await expect(addScoringRule(mgr(), { name: 'x', if: 'mail=whatever', points: '5' })).rejects.toThrow(/mail takes free, company or a domain/);
    await expect(addScoringRule(t.as(t.ravi), { name: 'x', if: 'source=Website', points: '5' })).rejects.toThrow(/rep and may not change scoring rules/);
    await expect(explainLeadScore(t.as(t.admin), 999)).rejects.toThrow(/no lead with id 999/);
  });
});
