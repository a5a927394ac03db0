import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { teamHome, type Home } from '../helpers/cli.js';

/** Issue 17: personal settings in the store, and where a deactivated user's leads go. */
describe('crm config --mine (personal settings)', () => {
  let h: Home;
  let lead: number;
  beforeAll(async () => {
    h = await teamHome();
    lead = (await h.json(['lead', 'add', '--name', 'Ana Sousa', '--assign', 'ravi@acme.example'])).lead.id;
    await h.ok(['lead', 'add', '--name', 'Hot One', '--tag', 'hot', '--assign', 'ravi@acme.example']);
    await h.ok(['lead', 'add', '--name', 'Someone Else', '--tag', 'hot', '--assign', 'priya@acme.example']);
  });
  afterAll(() => h.cleanup());

  it('set, get, list and unset a personal setting; any user may set their own', async () => {
    const ravi = { env: { CRM_USER: 'ravi@acme.example' } };
    expect(await h.ok(['config', 'set', '--mine', 'timezone', 'Europe/Lisbon'], ravi)).toContain('timezone = Europe/Lisbon');
    expect((await h.ok(['config', 'get', '--mine', 'timezone'], ravi)).trim()).toBe('Europe/Lisbon');
    expect(await h.json(['config', 'get', '--mine', 'timezone'], ravi)).toEqual({ key: 'timezone', value: 'Europe/Lisbon' });
    expect((await h.ok(['config', 'get', '--mine', 'timezone'])).trim()).toBe(''); // the admin's own is unset
    expect(await h.json(['config', 'list', '--mine'], ravi)).toEqual({ timezone: 'Europe/Lisbon', 'date-order': '', 'board.filter': '', 'call.identity': '' });
    await h.ok(['config', 'unset', '--mine', 'timezone'], ravi);
    expect((await h.ok(['config', 'get', '--mine', 'timezone'], ravi)).trim()).toBe('');
  });

  it('refuses a bad zone, date order, filter term or key naming it (exit 2 / 3)', async () => {
    await h.fail(['config', 'set', '--mine', 'timezone', 'Mars/Olympus'], 2, /unknown time zone 'Mars\/Olympus'/);
    await h.fail(['config', 'set', '--mine', 'date-order', 'ydm'], 2, /invalid date-order 'ydm'/);
    await h.fail(['config', 'set', '--mine', 'board.filter', 'mine colour=red'], 2, /invalid board.filter term 'colour=red'/);
    const r = await h.run(['config', 'set', '--mine', 'currency', 'EUR']);
    expect(r.exitCode).not.toBe(0);
    expect(String(r.stderr)).toMatch(/unknown personal setting 'currency'/);
  });

  it('the personal zone reads times: --tz > CRM_TZ > personal > config file', async () => {
    const admin = {};
    await h.ok(['config', 'set', '--mine', 'timezone', 'Asia/Kolkata'], admin);
    const f = await h.json(['followup', 'add', '--lead', String(lead), '--title', 'Mine', '--start', '2026-11-25 10:00']);
    expect(f.start).toBe('2026-11-25T04:30:00.000Z');
    const g = await h.json(['followup', 'add', '--lead', String(lead), '--title', 'Env', '--start', '2026-11-25 10:00'], { env: { CRM_TZ: 'Europe/Lisbon' } });
    expect(g.start).toBe('2026-11-25T10:00:00.000Z');
    const k = await h.json(['followup', 'add', '--lead', String(lead), '--title', 'Flag', '--start', '2026-11-25 10:00', '--tz', 'UTC'], { env: { CRM_TZ: 'Europe/Lisbon' } });
    expect(k.start).toBe('2026-11-25T10:00:00.000Z');
    await h.ok(['config', 'unset', '--mine', 'timezone']);
  });

  it('the personal date order wins over the team date-order', async () => {
    await h.ok(['config', 'set', 'date-order', 'mdy']);
    const team = await h.json(['followup', 'add', '--lead', String(lead), '--title', 'Team order', '--start', '05/12/2026 10:00', '--tz', 'UTC']);
    expect(team.start).toMatch(/^\d{4}-05-12T10:00/);
    await h.ok(['config', 'set', '--mine', 'date-order', 'dmy']);
    const mine = await h.json(['followup', 'add', '--lead', String(lead), '--title', 'My order', '--start', '05/12/2026 10:00', '--tz', 'UTC']);
    expect(mine.start).toMatch(/^\d{4}-12-05T10:00/);
    await h.ok(['config', 'unset', '--mine', 'date-order']);
    await h.ok(['config', 'unset', 'date-order']);
    expect((await h.ok(['config', 'get', 'date-order'])).trim()).toBe('');
  });

  it('the board takes the personal filter when none is given', async () => {
    const ravi = { env: { CRM_USER: 'ravi@acme.example' } };
    await h.ok(['config', 'set', '--mine', 'board.filter', 'tag=hot  mine'], ravi);
    expect((await h.ok(['config', 'get', '--mine', 'board.filter'], ravi)).trim()).toBe('mine tag=hot');
    const saved = await h.json(['board'], ravi);
    expect(saved.count).toBe(1);
    expect(saved.filter).toMatchObject({ mine: true, tag: 'hot' });
    const given = await h.json(['board', '--tag', 'hot']);
    expect(given.count).toBe(2);
  });
});

describe('crm user edit --deactivate: where the leads go', () => {
  let h: Home;
  let a: number;
  let b: number;
  beforeAll(async () => {
    h = await teamHome();
    a = (await h.json(['lead', 'add', '--name', 'Lead A', '--assign', 'ravi@acme.example'])).lead.id;
    b = (await h.json(['lead', 'add', '--name', 'Lead B', '--assign', 'ravi@acme.example,meera@acme.example'])).lead.id;
    await h.ok(['followup', 'add', '--lead', String(a), '--title', 'Call back', '--start', 'tomorrow 10:00', '--assign', 'ravi@acme.example']);
  });
  afterAll(() => h.cleanup());

  it('without a terminal and without a choice: refused, exit 2, naming --reassign-to; nothing changes', async () => {
    await h.fail(['user', 'edit', 'ravi@acme.example', '--deactivate'], 2, /2 leads assigned[\s\S]*--reassign-to/);
    const users = await h.json(['user', 'list']);
    expect(users.find((u: { email: string }) => u.email === 'ravi@acme.example').active).toBe(true);
    await h.fail(['user', 'edit', 'ravi@acme.example', '--reassign-to', 'priya@acme.example'], 2, /goes with --deactivate/);
    await h.fail(['user', 'edit', 'ravi@acme.example', '--deactivate', '--reassign-to', 'ravi@acme.example'], 2, /another user/);
  });

  it('--reassign-to moves the leads (an assignment on each timeline) and the open follow-ups', async () => {
    const out = await h.ok(['user', 'edit', 'ravi@acme.example', '--deactivate', '--reassign-to', 'priya@acme.example']);
    expect(out).toContain('Reassigned 2 leads and 1 open follow-up to priya@acme.example');
    const la = await h.json(['lead', 'show', String(a)]);
    expect(la.assignedTo).toEqual(['priya@acme.example']);
    const assigned = la.timeline.filter((t: { type: string }) => t.type === 'assigned').at(0);
    expect(assigned.data).toMatchObject({ from: ['ravi@acme.example'], to: ['priya@acme.example'] });
    const lb = await h.json(['lead', 'show', String(b)]);
    expect([...lb.assignedTo].sort()).toEqual(['meera@acme.example', 'priya@acme.example']);
    const fus = await h.json(['followup', 'list', '--lead', String(a), '--status', 'all']);
    expect(JSON.stringify(fus)).toContain('priya@acme.example');
    expect(JSON.stringify(fus)).not.toContain('ravi@acme.example');
  });

  it('--leave-unassigned takes the user off their leads', async () => {
    const c = (await h.json(['lead', 'add', '--name', 'Lead C', '--assign', 'priya@acme.example'])).lead.id;
    const r = await h.json(['user', 'edit', 'priya@acme.example', '--deactivate', '--leave-unassigned']);
    expect(r.handedOver).toMatchObject({ to: null });
    expect((await h.json(['lead', 'show', String(c)])).assignedTo).toEqual([]);
  });

  it('a user without leads is deactivated without asking', async () => {
    await h.ok(['user', 'add', '--name', 'New Rep', '--email', 'new@acme.example']);
    expect(await h.ok(['user', 'edit', 'new@acme.example', '--deactivate'])).toContain('deactivated');
  });
});
