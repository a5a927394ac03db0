import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { teamHome, type Home } from '../helpers/cli.js';

describe('crm call (end to end)', () => {
  let h: Home;
  let lead: number;
  beforeAll(async () => {
    h = await teamHome();
    lead = (await h.json(['lead', 'add', '--name', 'Ana Sousa', '--email', 'ana@sousa.example', '--phone', '+351 912 345 678', '--assign', 'ravi@acme.example'])).lead.id;
  });
  afterAll(() => h.cleanup());

  it('logs calls with outcomes and durations; a call-back schedules its follow-up in the same command', async () => {
    const call = await h.json(['call', 'log', '--lead', String(lead), '--direction', 'out', '--outcome', 'call-back', '--duration', '4m30s', '--note', 'In a meeting', '--callback', 'in 2h', '--as', 'ravi@acme.example']);
    expect(call).toMatchObject({ outcome: 'call-back', durationSeconds: 270, number: '+351912345678', user: 'ravi@acme.example', start: '2026-11-23T08:55:30.000Z' });
    const fu = await h.json(['followup', 'show', String(call.followUpId)]);
    expect(fu).toMatchObject({ title: 'Call back Ana Sousa', start: '2026-11-23T11:00:00.000Z', assignedTo: ['ravi@acme.example'] });
    await h.ok(['call', 'log', '--lead', String(lead), '--outcome', 'rnr', '--at', 'yesterday 17:00', '--as', 'ravi@acme.example']);
    await h.ok(['call', 'log', '--lead', String(lead), '--outcome', 'wrong-number', '--at', '2026-10-30 10:00', '--number', '+351 912 000 111', '--recording', 'https://rec.example/1.mp3']);
    const out = await h.ok(['call', 'log', '--lead', String(lead), '--direction', 'in', '--outcome', 'connected', '--duration', '2m']);
    expect(out).toMatch(/^Logged call \d+ on lead \d+ \(Ana Sousa\): connected, 2m/);
  });

  it('refuses a bad duration, outcome or call-back, exit 2, nothing stored', async () => {
    const before = await h.json(['call', 'list']);
    await h.fail(['call', 'log', '--lead', String(lead), '--outcome', 'connected', '--duration', 'a while'], 2, /invalid duration 'a while'[\s\S]*4m30s/);
    await h.fail(['call', 'log', '--lead', String(lead), '--outcome', 'hung-up'], 2, /invalid outcome 'hung-up'[\s\S]*connected, rnr, call-back/);
    await h.fail(['call', 'log', '--lead', String(lead), '--outcome', 'call-back', '--callback', 'later-ish'], 2, /cannot read callback 'later-ish'/);
    await h.fail(['call', 'log', '--lead', String(lead), '--outcome', 'connected', '--recording', 'not a url'], 2, /invalid recording link/);
    await h.fail(['call', 'log', '--lead', String(lead)], 2, /--outcome is required/);
    await h.fail(['call', 'log', '--lead', String(lead), '--outcome', 'rnr', '--as', 'priya@acme.example'], 5, /not assigned to you/);
    expect(await h.json(['call', 'list'])).toEqual(before);
  });

  it('lists with filters; reps see their own', async () => {
    const all = await h.json(['call', 'list']);
    expect(all.map((c: { outcome: string }) => c.outcome)).toEqual(['connected', 'call-back', 'rnr', 'wrong-number']);
    expect((await h.json(['call', 'list', '--outcome', 'rnr'])).length).toBe(1);
    expect((await h.json(['call', 'list', '--user', 'ravi@acme.example'])).length).toBe(2);
    expect((await h.json(['call', 'list', '--from', '2026-11-01', '--to', '2026-11-22'])).map((c: { outcome: string }) => c.outcome)).toEqual(['rnr']);
    expect((await h.json(['call', 'list', '--as', 'priya@acme.example']))).toEqual([]);
    const piped = await h.ok(['call', 'list', '--lead', String(lead), '--outcome', 'wrong-number']);
    expect(piped.split('\t').slice(3, 7)).toEqual(['admin@acme.example', 'out', 'wrong-number', '0s']);
  });

  it('summarises per user: today, yesterday, this month, all', async () => {
    const rows = await h.json(['call', 'summary']);
    expect(rows).toEqual([
      { user: 'admin@acme.example', name: 'Asha Rao', today: 1, yesterday: 0, thisMonth: 1, all: 2, talkSeconds: 120 },
      { user: 'ravi@acme.example', name: 'Ravi Kumar', today: 1, yesterday: 1, thisMonth: 2, all: 2, talkSeconds: 270 },
    ]);
    expect((await h.json(['call', 'summary', '--as', 'ravi@acme.example'])).map((r: { user: string }) => r.user)).toEqual(['ravi@acme.example']);
  });

  it('mass delete refuses without a terminal and without --yes (exit 2), then deletes by ids or --where', async () => {
    const ids = (await h.json(['call', 'list'])).map((c: { id: number }) => c.id);
    await h.fail(['call', 'delete', String(ids[0])], 2, /confirmation needed[\s\S]*--yes/);
    await h.fail(['call', 'delete', '--where', 'outcome=rnr'], 2, /confirmation needed/);
    expect((await h.json(['call', 'list'])).length).toBe(4);
    await h.fail(['call', 'delete', '--where', 'mood=bad', '--yes'], 2, /unknown field 'mood'/);
    await h.fail(['call', 'delete', '999', '--yes'], 3, /no call with id 999/);
    await h.fail(['call', 'delete', String(ids[0]), '--yes', '--as', 'ravi@acme.example'], 5, /reps delete only their own/);
    const byWhere = await h.json(['call', 'delete', '--where', 'outcome=wrong-number and before=2026-11-01', '--yes']);
    expect(byWhere.deleted).toHaveLength(1);
    const byIds = await h.json(['call', 'delete', String(ids[0]), '--yes']);
    expect(byIds.deleted).toEqual([ids[0]]);
    expect((await h.json(['call', 'list'])).map((c: { outcome: string }) => c.outcome)).toEqual(['call-back', 'rnr']);
    expect(await h.ok(['call', 'delete', '--where', 'outcome=busy', '--yes'])).toMatch(/No calls match/);
  });
});
