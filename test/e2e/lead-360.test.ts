import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { teamHome, type Home } from '../helpers/cli.js';

describe('crm lead show: the 360° view (end to end)', () => {
  let h: Home;
  let lead: number;
  beforeAll(async () => {
    h = await teamHome();
    lead = (await h.json(['lead', 'add', '--name', 'Ana Sousa', '--email', 'ana@sousa.example', '--assign', 'ravi@acme.example'])).lead.id;
    await h.ok(['lead', 'move', String(lead), '--stage', 'Qualified']);
    await h.ok(['lead', 'note', String(lead), 'Prefers mornings']);
    await h.ok(['followup', 'add', '--lead', String(lead), '--title', 'Missed check-in', '--start', 'yesterday 10:00']);
    await h.ok(['followup', 'add', '--lead', String(lead), '--title', 'Send quote', '--start', 'tomorrow 10:00', '--priority', 'high']);
    await h.ok(['appointment', 'add', '--lead', String(lead), '--kind', 'demo', '--at', '2026-11-26 15:00', '--location', 'Zoom']);
    await h.ok(['appointment', 'add', '--lead', String(lead), '--kind', 'meeting', '--at', '2026-12-10 15:00']);
    await h.ok(['call', 'log', '--lead', String(lead), '--outcome', 'connected', '--duration', '4m30s', '--note', 'Interested']);
  });
  afterAll(() => h.cleanup());

  it('--json is one document: the lead’s fields plus stage history, follow-ups, next appointment, calls, notes, timeline', async () => {
    const v = await h.json(['lead', 'show', String(lead)]);
    expect(v).toMatchObject({ id: lead, name: 'Ana Sousa', stage: 'Qualified', assignedTo: ['ravi@acme.example'] });
    expect(v.stageHistory.map((a: { data: { from: string; to: string } }) => [a.data.from, a.data.to])).toEqual([['New', 'Qualified']]);
    expect(v.overdueFollowUps.map((f: { title: string; overdue: boolean }) => [f.title, f.overdue])).toEqual([['Missed check-in', true]]);
    expect(v.openFollowUps.map((f: { title: string }) => f.title)).toEqual(['Send quote']);
    expect(v.nextAppointment).toMatchObject({ kind: 'demo', start: '2026-11-26T15:00:00.000Z', location: 'Zoom' });
    expect(v.recentCalls.map((c: { outcome: string; durationSeconds: number }) => [c.outcome, c.durationSeconds])).toEqual([['connected', 270]]);
    expect(v.notes.map((n: { body: string }) => n.body)).toEqual(['Prefers mornings']);
    const types = v.timeline.map((a: { type: string }) => a.type);
    expect(types).toEqual(expect.arrayContaining(['created', 'stage', 'note', 'follow-up', 'appointment', 'call']));
    // customer show gives the same shape once converted.
    await h.ok(['lead', 'convert', String(lead)]);
    const c = await h.json(['customer', 'show', String(lead)]);
    expect(c.type).toBe('customer');
    expect(c.stageHistory.map((a: { data: { to: string } }) => a.data.to)).toEqual(['Qualified', 'Won']);
    expect(c.recentCalls).toHaveLength(1);
  });

  it('prints every section on one screen', async () => {
    const out = await h.ok(['lead', 'show', String(lead)]);
    for (const section of ['Stage history', 'Follow-ups', 'Next appointment', 'Recent calls', 'Notes', 'Timeline']) expect(out).toContain(`\n${section}\n`);
    expect(out).toMatch(/overdue 2026-11-22 10:00 {2}#\d+ Missed check-in/);
    expect(out).toMatch(/2026-11-26 15:00 {2}#\d+ demo, 30 min, scheduled at Zoom/);
    expect(out).toMatch(/out connected, 4m30s: Interested/);
    expect(out).toMatch(/follow-up \d+ scheduled \(call, 2026-11-24 10:00\): Send quote/);
  });

  it('a merge brings the other record’s follow-ups, appointments and calls along', async () => {
    const dup = (await h.json(['lead', 'add', '--name', 'Ana S.', '--email', 'ana.s@sousa.example'])).lead.id;
    await h.ok(['followup', 'add', '--lead', String(dup), '--title', 'From the duplicate', '--start', 'tomorrow 15:00']);
    await h.ok(['appointment', 'add', '--lead', String(dup), '--at', '2026-11-24 09:00']);
    await h.ok(['call', 'log', '--lead', String(dup), '--outcome', 'busy']);
    await h.ok(['lead', 'merge', '--yes', String(dup), '--into', String(lead)]);
    const v = await h.json(['lead', 'show', String(lead)]);
    expect(v.openFollowUps.map((f: { title: string }) => f.title)).toContain('From the duplicate');
    expect(v.nextAppointment.start).toBe('2026-11-24T09:00:00.000Z');
    expect(v.recentCalls.map((c: { outcome: string }) => c.outcome)).toEqual(['busy', 'connected']);
    expect((await h.json(['followup', 'list', '--lead', String(lead)])).map((f: { leadId: number }) => f.leadId)).not.toContain(dup);
  });

  it('follows visibility: another rep cannot open it', async () => {
    await h.fail(['lead', 'show', String(lead), '--as', 'priya@acme.example'], 5, /not assigned to you/);
  });
});
