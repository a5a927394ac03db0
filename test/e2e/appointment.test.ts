import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { teamHome, type Home } from '../helpers/cli.js';

describe('crm appointment (end to end)', () => {
  let h: Home;
  let lead: number;
  beforeAll(async () => {
    h = await teamHome();
    lead = (await h.json(['lead', 'add', '--name', 'Ana Sousa', '--email', 'ana@sousa.example', '--assign', 'ravi@acme.example', '--stage', 'Qualified'])).lead.id;
  });
  afterAll(() => h.cleanup());

  it('books a demo, confirms it (lead → the configured stage) and completes it (lead → the next stage)', async () => {
    await h.ok(['config', 'set', 'demo.confirmed-stage', 'Demo']);
    const demo = await h.json(['appointment', 'add', '--lead', String(lead), '--kind', 'demo', '--at', '2026-11-25 15:00', '--duration', '45m', '--location', 'Zoom',
      '--with', 'ravi@acme.example,priya@acme.example', '--as', 'ravi@acme.example']);
    expect(demo).toMatchObject({ kind: 'demo', status: 'scheduled', start: '2026-11-25T15:00:00.000Z', end: '2026-11-25T15:45:00.000Z', durationMinutes: 45, location: 'Zoom', with: ['priya@acme.example', 'ravi@acme.example'] });
    const confirmed = await h.json(['appointment', 'confirm', String(demo.id)]);
    expect(confirmed).toMatchObject({ status: 'confirmed', movedTo: 'Demo' });
    expect((await h.json(['lead', 'show', String(lead)])).stage).toBe('Demo');
    await h.fail(['appointment', 'confirm', String(demo.id)], 4, /is confirmed; only a scheduled one/);
    await h.fail(['appointment', 'complete', String(demo.id)], 2, /in the future/);
    const done = await h.json(['appointment', 'complete', String(demo.id), '--outcome', 'Wants a proposal'], { env: { CRM_NOW: '2026-11-25T16:00:00Z' } });
    expect(done).toMatchObject({ status: 'completed', outcome: 'Wants a proposal', movedTo: 'Proposal Sent' });
    const timeline = (await h.json(['lead', 'show', String(lead)])).timeline.map((a: { type: string }) => a.type);
    expect(timeline.slice(0, 5)).toEqual(['stage', 'appointment-completed', 'stage', 'appointment-confirmed', 'appointment']);
  });

  it('refuses a time in the past unless --past, and a bad duration; nothing stored', async () => {
    const before = await h.json(['appointment', 'list', '--lead', String(lead)]);
    await h.fail(['appointment', 'add', '--lead', String(lead), '--at', 'yesterday 10:00'], 2, /in the past[\s\S]*--past/);
    await h.fail(['appointment', 'add', '--lead', String(lead), '--at', 'tomorrow 10:00', '--duration', 'ages'], 2, /invalid duration 'ages'/);
    await h.fail(['appointment', 'add', '--lead', String(lead), '--at', 'whenever'], 2, /cannot read at 'whenever'/);
    await h.fail(['appointment', 'add', '--lead', String(lead), '--at', 'tomorrow 10:00', '--kind', 'party'], 2, /invalid kind 'party'/);
    expect(await h.json(['appointment', 'list', '--lead', String(lead)])).toEqual(before);
    const past = await h.json(['appointment', 'add', '--lead', String(lead), '--at', 'yesterday 10:00', '--past']);
    expect(past.start).toBe('2026-11-22T10:00:00.000Z');
    expect((await h.json(['appointment', 'no-show', String(past.id)])).status).toBe('no-show');
  });

  it('lists today, tomorrow, this month and by status', async () => {
    const today = await h.json(['appointment', 'add', '--lead', String(lead), '--at', 'today 15:00']);
    const tomorrow = await h.json(['appointment', 'add', '--lead', String(lead), '--at', 'tomorrow 11:00']);
    const december = await h.json(['appointment', 'add', '--lead', String(lead), '--at', '2026-12-03 11:00']);
    const ids = async (...args: string[]) => (await h.json(['appointment', 'list', ...args])).map((a: { id: number }) => a.id);
    expect(await ids('--today')).toEqual([today.id]);
    expect(await ids('--tomorrow')).toEqual([tomorrow.id]);
    expect(await ids('--this-month')).not.toContain(december.id);
    expect(await ids('--status', 'completed', '--this-month')).toHaveLength(1);
    expect((await h.json(['appointment', 'cancel', String(december.id), '--reason', 'Holiday'])).status).toBe('cancelled');
    expect(await ids('--status', 'cancelled')).toEqual([december.id]);
    // Priya is a rep and not on the lead: she sees only the demo she takes part in.
    const demo = (await h.json(['appointment', 'list', '--lead', String(lead)])).find((a: { kind: string }) => a.kind === 'demo');
    expect(await ids('--as', 'priya@acme.example')).toEqual([demo.id]);
    expect(await ids('--as', 'ravi@acme.example')).toEqual(await ids());
    const piped = await h.ok(['appointment', 'list', '--today']);
    expect(piped.split('\t').slice(0, 5)).toEqual([String(today.id), '2026-11-23 15:00', '30', 'meeting', 'scheduled']);
  });
});
