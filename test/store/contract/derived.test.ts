/**
 * The contract for derived fields (src/domain/derived.ts): whatever keeps them in a backend
 * (store code, triggers), what the store returns must be what the domain's definitions say.
 * Runs on the backend CRM_TEST_STORE names.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACTIVITY_TYPES, isContactAttempt, type ActivityType } from '../../../src/domain/activity.js';
import { compareCubeKeys, furthestStageAfterMove, leadStatsOf, type LeadStatsInput } from '../../../src/domain/derived.js';
import type { Stage } from '../../../src/domain/pipeline.js';
import type { LeadCubeRow } from '../../../src/domain/reports.js';
import { importLeads } from '../../../src/services/import/service.js';
import { addNote, convertLead, deleteLeads, editLead, loseLead, mergeLeads, moveLead, restoreLead } from '../../../src/services/leads/service.js';
import { addLeadAs, FIXED_NOW, testTeam, type TestTeam } from '../../helpers/store.js';

let t: TestTeam;
beforeEach(async () => {
  t = await testTeam();
});
afterEach(() => t.close());

const at = (minutes: number) => new Date(FIXED_NOW.getTime() + minutes * 60_000).toISOString();
const admin = (minutes = 0) => t.as(t.admin, new Date(at(minutes)));

describe('attempted: which timeline entries mark a lead attempted', () => {
  const types = Object.keys(ACTIVITY_TYPES) as ActivityType[];

  it('lists both kinds (a list of only one kind would test nothing)', () => {
    expect(types.filter((x) => ACTIVITY_TYPES[x].attempt).length).toBeGreaterThan(5);
    expect(types.filter((x) => !ACTIVITY_TYPES[x].attempt).length).toBeGreaterThan(5);
    expect(types.filter((x) => isContactAttempt(x) !== ACTIVITY_TYPES[x].attempt)).toEqual([]);
  });

  it.each(types)('%s', async (type) => {
    const lead = await addLeadAs(t, t.admin);
    expect((await t.store.leads.derived(lead.id))!.attemptedAt).toBeNull();
    await t.store.transaction(() => t.store.activities.add({ leadId: lead.id, type, at: at(5), userId: t.admin.id }));
    expect((await t.store.leads.derived(lead.id))!.attemptedAt).toBe(ACTIVITY_TYPES[type].attempt ? at(5) : null);
  });

  it('the first attempt recorded counts; later ones, and types the list does not know, leave it', async () => {
    const lead = await addLeadAs(t, t.admin);
    const other = await addLeadAs(t, t.admin);
    await t.store.transaction(async () => {
      await t.store.activities.add({ leadId: lead.id, type: 'welcome', at: at(1), userId: null });
      await t.store.activities.add({ leadId: lead.id, type: 'note', at: at(3), userId: t.admin.id });
      await t.store.activities.add({ leadId: lead.id, type: 'stage', at: at(2), userId: t.admin.id });
      await t.store.activities.add({ leadId: other.id, type: 'something-newer', at: at(4), userId: t.admin.id });
    });
    expect((await t.store.leads.derived(lead.id))!.attemptedAt).toBe(at(3));
    expect((await t.store.leads.derived(other.id))!.attemptedAt).toBe(at(4));
  });

  it('a logged call marks the lead attempted at the call start', async () => {
    const lead = await addLeadAs(t, t.admin);
    await t.store.transaction(() => t.store.calls.insert({
      leadId: lead.id, userId: t.admin.id, direction: 'out', outcome: 'rnr', number: null, startAt: at(-30), endAt: at(-29),
      durationSeconds: 60, recordingUrl: null, note: null, followUpId: null,
    }, at(0)));
    expect((await t.store.leads.derived(lead.id))!.attemptedAt).toBe(at(-30));
  });

  it('the not-attempted rule and the dashboard count follow it', async () => {
    const quiet = await addLeadAs(t, t.admin);
    const noted = await addLeadAs(t, t.admin);
    await addNote(admin(1), noted.id, 'Called back, asked for pricing');
    expect(await t.store.ruleMarks.notAttempted('r', at(-60), at(60), 10)).toEqual([quiet.id]);
    const cube = await t.store.reports.leadCube({});
    expect(cube.reduce((n, r) => n + r.notAttempted, 0)).toBe(1);
  });
});

describe('furthest stage', () => {
  let stages: Stage[];
  const id = (name: string) => stages.find((s) => s.name === name)!.id;
  beforeEach(async () => {
    stages = await t.store.stages.list();
  });

  /** Moves the lead through `names`, checking after each move the declared rule and the figure expected by hand. */
  async function walk(names: [string, string | null][], opts: { lose?: string; convert?: boolean } = {}) {
    const lead = await addLeadAs(t, t.admin);
    let furthest: number | null = null;
    let stage = (await t.store.leads.fields(lead.id))!.stageId;
    expect((await t.store.leads.derived(lead.id))!.furthestStageId).toBeNull();
    let minute = 1;
    for (const [name, expected] of names) {
      const to = id(name);
      if (stages.find((s) => s.id === to)!.outcome === 'lost') await loseLead(admin(minute++), lead.id, 'Price too high', name);
      else if (opts.convert && stages.find((s) => s.id === to)!.outcome === 'won') await convertLead(admin(minute++), lead.id);
      else await moveLead(admin(minute++), lead.id, name);
      furthest = furthestStageAfterMove(stages, furthest, stage, to);
      stage = to;
      const got = (await t.store.leads.derived(lead.id))!.furthestStageId;
      expect(got).toBe(furthest);
      expect(got).toBe(expected === null ? null : id(expected));
    }
    return lead;
  }

  it('forward, back and forward again: the furthest open stage reached', async () => {
    await walk([['Qualified', 'Qualified'], ['Contacted', 'Qualified'], ['Demo', 'Demo'], ['New', 'Demo']]);
  });

  it('lost and won never count: the open stage reached before closing stays', async () => {
    await walk([['Contacted', 'Contacted'], ['Proposal Sent', 'Proposal Sent'], ['Lost', 'Proposal Sent']]);
    await walk([['Lost', 'New']]);
    await walk([['Qualified', 'Qualified'], ['Won', 'Qualified']], { convert: true });
  });

  it('is what the win-rate report groups by', async () => {
    const lead = await walk([['Demo', 'Demo'], ['Lost', 'Demo']]);
    const f = (await t.store.leads.fields(lead.id))!;
    const rows = (await t.store.reports.leadCube({})).filter((r) => r.stageId === f.stageId);
    expect(rows).toEqual([expect.objectContaining({ count: 1, furthestStageId: id('Demo') })]);
  });
});

describe('lead counters (reports.leadCube) agree with a recount of the leads', () => {
  /** Every lead the store holds (or those assigned to userId), with what leadStatsOf needs. */
  async function recount(userId?: number): Promise<LeadCubeRow[]> {
    const leads = await t.store.leads.list({ deleted: 'include', sort: { key: 'id', desc: false } });
    const inputs: LeadStatsInput[] = [];
    for (const l of leads) {
      if (userId !== undefined && !l.assignees.some((a) => a.id === userId)) continue;
      const f = (await t.store.leads.fields(l.id))!;
      inputs.push({ ...f, createdAt: l.createdAt, ...(await t.store.leads.derived(l.id))! });
    }
    return leadStatsOf(inputs);
  }

  /** The team's counters and a rep's figures are what leadStatsOf makes of the leads. */
  async function expectAgrees(): Promise<LeadCubeRow[]> {
    const round = (rows: LeadCubeRow[]) => rows.map((r) => ({ ...r, cycleDays: Math.round(r.cycleDays * 1e6) / 1e6 }));
    const kept = (await t.store.reports.leadCube({})).sort(compareCubeKeys);
    expect(round(kept)).toEqual(round(await recount()));
    const ravis = (await t.store.reports.leadCube({ userId: t.ravi.id })).sort(compareCubeKeys);
    expect(round(ravis)).toEqual(round(await recount(t.ravi.id)));
    return kept;
  }

  it('after add, edit, move, lose, note, delete, restore, convert and merge', async () => {
    const ana = await addLeadAs(t, t.ravi, { value: '1200', source: 'Website' });
    const bo = await addLeadAs(t, t.admin, { value: '300.50' });
    const cy = await addLeadAs(t, t.priya, { source: 'Referral' });
    const di = await addLeadAs(t, t.admin, { value: '50', currency: 'USD' });
    await expectAgrees();
    await editLead(admin(1), bo.id, { value: '400', source: 'Referral' });
    await moveLead(admin(2), ana.id, 'Qualified');
    await loseLead(admin(3), cy.id, 'No budget');
    await addNote(admin(4), di.id, 'Sent the brochure');
    await expectAgrees();
    await deleteLeads(admin(5), [bo.id]);
    await expectAgrees();
    await restoreLead(admin(6), bo.id);
    await expectAgrees();
    await convertLead(admin(60 * 24 * 3), ana.id);
    const kept = await expectAgrees();
    expect(kept.find((r) => r.converted === 1)!.cycleDays).toBeCloseTo(3, 3);
    await mergeLeads(admin(60 * 24 * 4), di.id, bo.id);
    const after = await expectAgrees();
    expect(after.reduce((n, r) => n + r.count, 0)).toBe(3);
  });

  it('after a bulk import batch beside leads added one by one', async () => {
    await addLeadAs(t, t.admin, { value: '10' });
    const dir = mkdtempSync(join(tmpdir(), 'crm-derived-'));
    try {
      const file = join(dir, 'leads.csv');
      const lines = ['Name,Email,Lead Source,Deal Value'];
      for (let i = 0; i < 120; i++) lines.push(`Person ${i},p${i}@bulk.example,${i % 3 ? 'Website' : ''},${i % 4 ? `${100 + i}.25` : ''}`);
      writeFileSync(file, `${lines.join('\n')}\n`);
      const s = await importLeads(admin(1), { file, stdin: Readable.from([]), dataDir: dir, tmpDir: dir });
      expect(s.counts).toMatchObject({ imported: 120, rejected: 0 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const kept = await expectAgrees();
    expect(kept.reduce((n, r) => n + r.count, 0)).toBe(121);
    // An imported lead's 'created' entry is no attempt.
    expect(kept.reduce((n, r) => n + r.notAttempted, 0)).toBe(121);
  });
});

describe('message failures: what a bounce is', () => {
  async function failed(key: string, error: string, retryAt: string | null, kind?: Parameters<TestTeam['store']['outbox']['markFailed']>[4]) {
    await t.store.transaction(async () => {
      await t.store.outbox.enqueue([{ key, rule: 'campaign:1', channel: 'email', recipientKind: 'webhook', recipientId: null, address: `${key}@Mail.example`, leadId: null, vars: {}, content: { subject: 's', text: 't' } }], at(0));
      const m = (await t.store.outbox.byKey(key))!;
      await t.store.outbox.markFailed(m.id, error, at(1), retryAt, kind);
    });
  }

  it('a permanent SMTP refusal recorded as a bounce counts; a temporary one, another dead error or a cancellation does not', async () => {
    await failed('gone', 'SMTP error: 550 5.1.1 user unknown (EENVELOPE)', null, 'bounce');
    await failed('later', 'SMTP error: 451 4.7.1 try again later (EENVELOPE)', at(10), 'error');
    await failed('login', 'SMTP refused the login: 535 5.7.8 bad credentials (EAUTH)', null, 'error');
    await failed('stop', 'the recipient opted out of email', null, 'opted-out');
    await t.store.transaction(async () => {
      await t.store.outbox.enqueue([{ key: 'campaign7/lead1', rule: 'campaign:7', channel: 'email', recipientKind: 'webhook', recipientId: null, address: 'c@mail.example', leadId: null, vars: {}, content: { subject: 's', text: 't' } }], at(0));
      expect(await t.store.campaigns.cancelPending(7, at(2))).toBe(1);
    });
    expect(await t.store.campaigns.bouncedEmails()).toEqual(new Set(['gone@mail.example']));
  });

  it('the kind, not the text, decides', async () => {
    await failed('worded', 'the relay said: mailbox does not exist', null, 'bounce');
    await failed('looks', 'SMTP error: 550 but recorded as a plain error', null, 'error');
    expect(await t.store.campaigns.bouncedEmails()).toEqual(new Set(['worded@mail.example']));
  });

  it('a failure recorded without a kind is read from its text (failureKindOfText)', async () => {
    await failed('old', 'SMTP error: 550 5.1.1 user unknown (EENVELOPE)', null);
    await failed('temp', 'SMTP error: 421 too busy', at(5));
    expect(await t.store.campaigns.bouncedEmails()).toEqual(new Set(['old@mail.example']));
  });

  it("campaign recipients: a cancelled or opted-out message shows as such, a bounce as dead", async () => {
    const leads = [await addLeadAs(t, t.admin), await addLeadAs(t, t.admin), await addLeadAs(t, t.admin), await addLeadAs(t, t.admin)];
    const c = await t.store.transaction(async () => {
      const id = await t.store.campaigns.insert({ name: 'Spring', type: 'email', audience: 'leads', tag: null, subject: 's', body: 'b', createdBy: t.admin.id }, at(0));
      const key = (leadId: number) => `campaign${id}/lead${leadId}`;
      await t.store.campaigns.addRecipients(id, leads.map((l, seq) => ({ leadId: l.id, seq, status: 'queued' as const, address: l.emails[0]!, outboxKey: key(l.id) })), at(0));
      await t.store.outbox.enqueue(leads.map((l) => ({ key: key(l.id), rule: `campaign:${id}`, channel: 'email' as const, recipientKind: 'lead' as const, recipientId: l.id, address: l.emails[0]!, leadId: l.id, vars: {}, content: { subject: 's', text: 't' } })), at(0));
      const msg = async (i: number) => (await t.store.outbox.byKey(key(leads[i]!.id)))!.id;
      await t.store.outbox.markFailed(await msg(0), 'SMTP error: 550 no such user', at(1), null, 'bounce');
      await t.store.outbox.markFailed(await msg(1), 'the recipient opted out of email', at(1), null, 'opted-out');
      await t.store.outbox.markFailed(await msg(2), 'SMTP error: 421 busy', at(1), at(9), 'error');
      await t.store.campaigns.cancelPending(id, at(2));
      return id;
    });
    const states = (await t.store.campaigns.recipients(c)).map((r) => [r.leadId, r.status, r.error]);
    expect(states).toEqual([
      [leads[0]!.id, 'dead', 'SMTP error: 550 no such user'],
      [leads[1]!.id, 'opted-out', 'the recipient opted out of email'],
      [leads[2]!.id, 'cancelled', `cancelled: campaign ${c} was cancelled`],
      [leads[3]!.id, 'cancelled', `cancelled: campaign ${c} was cancelled`],
    ]);
    expect((await t.store.campaigns.tally(c)).counts).toEqual({ dead: 1, 'opted-out': 1, cancelled: 2 });
  });

  it('sending again clears the bounce', async () => {
    await failed('back', 'SMTP error: 550 mailbox full for good', null, 'bounce');
    const m = (await t.store.outbox.byKey('back'))!;
    await t.store.transaction(async () => {
      await t.store.outbox.retry(m.id, at(3));
      await t.store.outbox.markSentMany([{ id: m.id, at: at(4) }]);
    });
    expect(await t.store.campaigns.bouncedEmails()).toEqual(new Set());
  });
});
