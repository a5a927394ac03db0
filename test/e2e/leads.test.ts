import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { teamHome, type Home } from '../helpers/cli.js';

describe('crm lead … through the binary', () => {
  let h: Home;
  let ana: number;
  beforeAll(async () => {
    h = await teamHome();
    const out = await h.ok(['lead', 'add', '--name', 'Ana Sousa', '--business', 'Sousa Lda', '--email', 'ana@sousa.example', '--phone', '+351 912 345 678',
      '--source', 'Website', '--value', '12000', '--currency', 'EUR', '--assign', 'ravi@acme.example', '--tag', 'vip']);
    ana = Number(/lead (\d+)/.exec(out)![1]);
  });
  afterAll(() => h.cleanup());

  it('add prints the new id; -q prints only the id', async () => {
    expect(ana).toBeGreaterThan(0);
    const id = (await h.ok(['lead', 'add', '--name', 'Quiet One', '-q'])).trim();
    expect(id).toMatch(/^\d+$/);
  });

  it('list: TSV with ids first when piped, filters, JSON', async () => {
    const tsv = await h.ok(['lead', 'list', '--stage', 'New', '--source', 'Website', '--sort', '-score', '--limit', '20']);
    expect(tsv.trim().split('\n')).toEqual([`${ana}\tAna Sousa\tSousa Lda\tNew\tWebsite\tEUR 12,000.00\t0\travi@acme.example\tvip`]);
    const json = await h.json(['lead', 'list', '--tag', 'vip']);
    expect(json).toHaveLength(1);
    expect(json[0]).toMatchObject({ id: ana, emails: ['ana@sousa.example'], phones: ['+351912345678'], assignedTo: ['ravi@acme.example'], stage: 'New', probability: 10 });
    expect(await h.ok(['lead', 'list', '--stage', 'Won'])).toBe('');
  });

  it('show: profile and timeline; JSON has the same', async () => {
    const text = await h.ok(['lead', 'show', String(ana)]);
    expect(text).toContain('Lead ' + ana + ': Ana Sousa — Sousa Lda');
    expect(text).toContain('EUR 12,000.00');
    expect(text).toMatch(/Timeline\n\s+2026-11-23 09:00\s+created \(new\)/);
  });

  it('edit, move, note, assign, convert: each on the timeline', async () => {
    await h.ok(['lead', 'edit', String(ana), '--score', '80', '--expected-close', '2026-12-15']);
    await h.ok(['lead', 'move', String(ana), '--stage', 'Qualified']);
    await h.ok(['lead', 'note', String(ana), 'Asked for pricing in EUR']);
    await h.ok(['lead', 'note', String(ana), '-'], { input: 'From stdin\n' });
    await h.ok(['lead', 'assign', String(ana), '--to', 'priya@acme.example']);
    const converted = await h.json(['lead', 'convert', String(ana), '--order-id', 'SO-1042']);
    expect(converted).toMatchObject({ type: 'customer', stage: 'Won', orderId: 'SO-1042', score: 80, expectedClose: '2026-12-15', assignedTo: ['priya@acme.example'] });
    const shown = await h.json(['customer', 'show', String(ana)]);
    const types = shown.timeline.map((a: { type: string }) => a.type);
    expect(types).toEqual(['converted', 'stage', 'assigned', 'note', 'note', 'stage', 'updated', 'created']);
    expect(shown.timeline.find((a: { type: string; data: { from?: string } }) => a.type === 'stage' && a.data.from === 'New').data).toEqual({ from: 'New', to: 'Qualified' });
    expect(shown.timeline[3].body).toBe('From stdin');
    const customers = await h.json(['customer', 'list']);
    expect(customers.map((c: { id: number }) => c.id)).toEqual([ana]);
    await h.fail(['lead', 'convert', String(ana)], 4, /already a customer/);
  });

  it('lose, merge, delete, restore', async () => {
    const id = async (name: string, email: string) => (await h.json(['lead', 'add', '--name', name, '--email', email])).lead.id as number;
    const b = await id('Bruno', 'bruno@example.com');
    const c = await id('Carla', 'carla@example.com');
    const d = await id('Dora', 'dora@example.com');
    await h.ok(['lead', 'lose', String(b), '--reason', 'Price too high']);
    expect(await h.json(['lead', 'show', String(b)])).toMatchObject({ stage: 'Lost', lostReason: 'Price too high' });
    await h.fail(['lead', 'lose', String(b)], 2, /--reason is required/);
    const merged = await h.json(['lead', 'merge', '--yes', String(c), '--into', String(d)]);
    expect(merged.emails).toEqual(['dora@example.com', 'carla@example.com']);
    await h.ok(['lead', 'delete', '--yes', String(d)]);
    await h.fail(['lead', 'show', String(9999)], 3, /no lead with id 9999/);
    expect((await h.json(['lead', 'list', '--deleted'])).map((l: { id: number }) => l.id)).toEqual([d, c]);
    await h.ok(['lead', 'restore', String(d)]);
    expect((await h.json(['lead', 'show', String(d)])).deletedAt).toBeNull();
  });

  it('re-engages a lost lead on add', async () => {
    const lost = await h.json(['lead', 'add', '--name', 'Eva', '--email', 'eva@example.com']);
    await h.ok(['lead', 'lose', String(lost.lead.id), '--reason', 'No budget']);
    const again = await h.json(['lead', 'add', '--name', 'Eva Again', '--email', 'EVA@example.com']);
    expect(again).toMatchObject({ outcome: 're-engaged', reopenedFrom: { status: 'active', stage: 'Lost' }, lead: { id: lost.lead.id, stage: 'New' } });
  });

  it('bad input: one clear line, the documented exit code, the store unchanged', async () => {
    const count = async () => (await h.json(['lead', 'list', '--status', 'all', '--limit', '1000'])).length;
    const before = await count();
    await h.fail(['lead', 'add', '--name', 'X', '--email', 'ANA@SOUSA.example'], 4, new RegExp(`duplicate: lead ${ana} already has email ana@sousa.example`));
    await h.fail(['lead', 'add', '--name', 'X', '--email', 'nope'], 2, /invalid email 'nope'/);
    await h.fail(['lead', 'add', '--name', 'X', '--phone', '12345'], 2, /invalid phone '12345'.*\nhint: .*country code/);
    await h.fail(['lead', 'add', '--name', 'X', '--score', '101'], 2, /invalid score '101'\nhint: a score is a whole number from 0 to 100/);
    await h.fail(['lead', 'add', '--name', 'X', '--value', '-5'], 2, /invalid value '-5'/);
    await h.fail(['lead', 'add', '--name', 'X', '--stage', 'Nowhere'], 3, /unknown stage 'Nowhere'\nhint: stages are: New, Contacted/);
    await h.fail(['lead', 'add', '--name', 'X', '--source', 'Carrier pigeon'], 3, /unknown source 'Carrier pigeon'/);
    await h.fail(['lead', 'add', '--name', 'X', '--assign', 'ghost@acme.example'], 3, /unknown user 'ghost@acme.example'/);
    await h.fail(['lead', 'add'], 2, /--name is required/);
    await h.fail(['lead', 'show', 'abc'], 2, /invalid lead id 'abc'/);
    await h.fail(['lead', 'frobnicate'], 2, /unknown command/);
    const r = await h.fail(['lead', 'add', '--name', 'X', '--email', 'nope'], 2);
    expect(String(r.stderr)).not.toMatch(/at .*\.cjs/);
    expect(await count()).toBe(before);
  });

  it('a rep sees only their leads and is refused another rep’s, with exit 5', async () => {
    // A home of its own, with another rep's lead and an unassigned one present: plain `lead list`
    // as a rep (not --mine, which filters by assignee anyway) shows the rep's lead alone.
    const r = await teamHome();
    try {
      const mine = await r.json(['--as', 'ravi@acme.example', 'lead', 'add', '--name', 'Ravi Own']);
      expect(mine.lead.assignedTo).toEqual(['ravi@acme.example']);
      const theirs = await r.json(['lead', 'add', '--name', 'Priya Own', '--assign', 'priya@acme.example']);
      await r.json(['lead', 'add', '--name', 'Nobody Yet']);
      const visible = await r.json(['lead', 'list'], { env: { CRM_USER: 'ravi@acme.example' } });
      expect(visible.map((l: { id: number }) => l.id)).toEqual([mine.lead.id]);
      expect((await r.json(['lead', 'list'])).length).toBe(3);
      await r.fail(['--as', 'ravi@acme.example', 'lead', 'show', String(theirs.lead.id)], 5, /not assigned to you/);
      await r.fail(['--as', 'ravi@acme.example', 'lead', 'move', String(theirs.lead.id), '--stage', 'Contacted'], 5);
      expect((await r.json(['lead', 'show', String(theirs.lead.id)])).stage).toBe('New');
      await r.fail(['--as', 'ghost@acme.example', 'lead', 'list'], 3, /unknown user 'ghost@acme.example' \(from --as\)/);
    } finally {
      await r.cleanup();
    }
  });
});
