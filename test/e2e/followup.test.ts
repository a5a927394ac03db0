import ICAL from 'ical.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { teamHome, type Home } from '../helpers/cli.js';

describe('crm followup (end to end)', () => {
  let h: Home;
  let lead: number;
  let ravisLead: number;
  // Each test starts from the same two leads in a home of its own: it runs alone (vitest -t) as well as after the others.
  beforeEach(async () => {
    h = await teamHome();
    lead = (await h.json(['lead', 'add', '--name', 'Ana Sousa', '--email', 'ana@sousa.example'])).lead.id;
    ravisLead = (await h.json(['lead', 'add', '--name', 'Rui Costa', '--email', 'rui@costa.example', '--assign', 'ravi@acme.example', '--stage', 'Qualified'])).lead.id;
  });
  afterEach(() => h.cleanup());
  /** The follow-up the first test adds: tomorrow 10:00–10:30 for Ravi, reminded 1 day and 15 minutes before. */
  const revisedQuote = async () => h.json(['followup', 'add', '--lead', String(lead), '--title', 'Send revised quote', '--type', 'call', '--start', 'tomorrow 10:00', '--end', 'tomorrow 10:30',
    '--priority', 'high', '--category', 'Sales', '--assign', 'ravi@acme.example', '--notify', '15m,1d', '--channel', 'email,inbox', '--description', 'With the discount']);

  it('adds a follow-up with natural times, reminders and channels, and shows it', async () => {
    const f = await revisedQuote();
    expect(f).toMatchObject({ lead: 'Ana Sousa', start: '2026-11-24T10:00:00.000Z', end: '2026-11-24T10:30:00.000Z', priority: 'high', category: 'Sales', assignedTo: ['ravi@acme.example'], notifyBefore: [1440, 15], channels: ['email', 'inbox'], overdue: false });
    const shown = await h.json(['followup', 'show', String(f.id)]);
    expect(shown.reminders).toHaveLength(4);
    expect(shown.reminders[0]).toEqual({ minutesBefore: 1440, channel: 'email', dueAt: '2026-11-23T10:00:00.000Z', sentAt: null });
    const text = await h.ok(['followup', 'show', String(f.id), '--tz', 'Asia/Kolkata']);
    expect(text).toMatch(/start\s+2026-11-24 15:30/);
  });

  it('reads times in --tz and CRM_TZ, and stores them in UTC', async () => {
    const f = await h.json(['followup', 'add', '--lead', String(lead), '--title', 'Lisbon call', '--start', '2026-11-25 10:00', '--tz', 'Europe/Lisbon']);
    expect(f.start).toBe('2026-11-25T10:00:00.000Z');
    const g = await h.json(['followup', 'add', '--lead', String(lead), '--title', 'Delhi call', '--start', '2026-11-25 10:00'], { env: { CRM_TZ: 'Asia/Kolkata' } });
    expect(g.start).toBe('2026-11-25T04:30:00.000Z');
    await h.fail(['followup', 'list', '--tz', 'Mars/Olympus'], 2, /unknown time zone 'Mars\/Olympus'/);
  });

  it('refuses bad input with exit 2 and stores nothing', async () => {
    const before = await h.json(['followup', 'list', '--status', 'all']);
    const base = ['followup', 'add', '--lead', String(lead), '--title', 'Bad'];
    await h.fail([...base, '--start', 'tomorrow 10:00', '--end', 'tomorrow 09:00'], 2, /ends .* before it starts/);
    await h.fail([...base, '--start', 'the day after never'], 2, /cannot read start 'the day after never'[\s\S]*hint: write ISO such as 2026-11-25 15:00/);
    await h.fail([...base, '--start', 'in 2h', '--notify', '1d'], 2, /notify-before 1d is longer than the lead time/);
    await h.fail([...base, '--every', '0d'], 2, /recurrence of 0 days/);
    await h.fail([...base, '--priority', 'asap'], 2, /invalid priority 'asap'/);
    await h.fail(['followup', 'add', '--title', 'No lead'], 2, /--lead is required/);
    await h.fail(['followup', 'add', '--lead', '999', '--title', 'x'], 3, /no lead with id 999/);
    expect(await h.json(['followup', 'list', '--status', 'all'])).toEqual(before);
  });

  it('lists today, overdue and upcoming; done, cancel and log change them; all on the timeline', async () => {
    const quote = await revisedQuote();
    await h.json(['followup', 'add', '--lead', String(lead), '--title', 'Delhi call', '--start', '2026-11-25 10:00'], { env: { CRM_TZ: 'Asia/Kolkata' } });
    const overdue = await h.json(['followup', 'add', '--lead', String(lead), '--title', 'Missed call', '--start', 'yesterday 15:00']);
    const today = await h.json(['followup', 'add', '--lead', String(lead), '--title', 'Today call', '--start', 'today 16:00']);
    expect((await h.json(['followup', 'list', '--overdue'])).map((f: { id: number }) => f.id)).toEqual([overdue.id]);
    expect((await h.json(['followup', 'list', '--today'])).map((f: { title: string }) => f.title)).toEqual(['Today call']);
    const upcoming = (await h.json(['followup', 'list', '--upcoming', '2d'])).map((f: { title: string }) => f.title);
    expect(upcoming).toEqual(['Today call', 'Send revised quote', 'Delhi call']);
    const piped = await h.ok(['followup', 'list', '--overdue']);
    expect(piped.trim().split('\t').slice(0, 2)).toEqual([String(overdue.id), '2026-11-22 15:00']);
    expect(piped).toMatch(/scheduled \(overdue\)/);

    await h.ok(['followup', 'log', String(overdue.id), '--type', 'call', '--subject', 'No answer', '--at', 'now', '--description', 'Rang twice']);
    const done = await h.json(['followup', 'done', String(overdue.id), '--note', 'Reached her on the second try']);
    expect(done).toMatchObject({ status: 'completed', completedAt: '2026-11-23T09:00:00.000Z', overdue: false });
    await h.fail(['followup', 'done', String(overdue.id)], 4, /already completed/);
    expect(await h.json(['followup', 'list', '--overdue'])).toEqual([]);
    expect((await h.json(['followup', 'cancel', String(today.id)])).status).toBe('cancelled');
    const shown = await h.json(['followup', 'show', String(overdue.id)]);
    expect(shown.logs.map((l: { type: string; subject: string }) => [l.type, l.subject])).toEqual([['call', 'No answer'], ['note', 'Completed']]);

    const edited = await h.json(['followup', 'edit', String(quote.id), '--start', 'tomorrow 11:00', '--priority', 'urgent']);
    expect(edited).toMatchObject({ start: '2026-11-24T11:00:00.000Z', end: '2026-11-24T11:30:00.000Z', priority: 'urgent', notifyBefore: [1440, 15] });
    expect((await h.json(['followup', 'show', String(quote.id)])).reminders.map((r: { dueAt: string }) => r.dueAt)).toContain('2026-11-24T10:45:00.000Z');
    const quiet = await h.json(['followup', 'add', '--lead', String(lead), '--title', 'Quiet', '--start', 'tomorrow 12:00', '--notify', '1h']);
    expect((await h.json(['followup', 'edit', String(quiet.id), '--no-notify'])).notifyBefore).toEqual([]);
    expect((await h.json(['followup', 'show', String(quiet.id)])).reminders).toEqual([]);
    await h.ok(['followup', 'cancel', String(quiet.id)]);

    const timeline = (await h.json(['lead', 'show', String(lead)])).timeline.map((a: { type: string }) => a.type);
    expect(timeline).toEqual(expect.arrayContaining(['follow-up', 'follow-up-log', 'follow-up-done', 'follow-up-cancelled', 'follow-up-edited']));
  });

  it('reps see only their own follow-ups (--mine, --user, visibility)', async () => {
    await revisedQuote();
    await h.json(['followup', 'add', '--lead', String(lead), '--title', 'Lisbon call', '--start', '2026-11-25 10:00', '--tz', 'Europe/Lisbon']);
    const f = await h.json(['followup', 'add', '--lead', String(ravisLead), '--title', 'Ravi’s own', '--start', 'tomorrow 9:00', '--as', 'ravi@acme.example']);
    expect(f.assignedTo).toEqual(['ravi@acme.example']);
    const asRavi = (await h.json(['followup', 'list', '--as', 'ravi@acme.example'])).map((x: { title: string }) => x.title);
    expect(asRavi).toEqual(expect.arrayContaining(['Ravi’s own', 'Send revised quote']));
    expect(asRavi).not.toContain('Lisbon call');
    expect(await h.json(['followup', 'list', '--as', 'priya@acme.example'])).toEqual([]);
    await h.fail(['followup', 'show', String(f.id), '--as', 'priya@acme.example'], 5, /not yours/);
    const ravis = (await h.json(['followup', 'list', '--user', 'ravi@acme.example'])).map((x: { title: string }) => x.title);
    expect(ravis.sort()).toEqual(['Ravi’s own', 'Send revised quote']);
    const mine = (await h.json(['followup', 'list', '--mine', '--as', 'ravi@acme.example'])).map((x: { title: string }) => x.title);
    expect(mine.sort()).toEqual(['Ravi’s own', 'Send revised quote']);
    expect((await h.json(['followup', 'list', '--mine'])).map((x: { assignedTo: string[] }) => x.assignedTo)).not.toContainEqual(['ravi@acme.example']);
  });

  it('exports RFC 5545 iCalendar that a parser reads back', async () => {
    const first = await revisedQuote();
    await h.ok(['followup', 'edit', String(first.id), '--start', 'tomorrow 11:00']);
    const missed = await h.json(['followup', 'add', '--lead', String(lead), '--title', 'Missed call', '--start', 'yesterday 15:00']);
    await h.ok(['followup', 'done', String(missed.id)]);
    const r = await h.run(['followup', 'export', '--ics']);
    expect(r.exitCode).toBe(0);
    const ics = String(r.stdout);
    expect(ics.startsWith('BEGIN:VCALENDAR')).toBe(true);
    const cal = new ICAL.Component(ICAL.parse(ics));
    const events = cal.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    const quote = events.find((e) => e.summary.startsWith('Send revised quote'))!;
    expect(quote).toBeDefined();
    expect(quote.uid).toBe('follow-up-1@crm.local');
    expect(quote.startDate.toJSDate().toISOString()).toBe('2026-11-24T11:00:00.000Z');
    expect(quote.endDate.toJSDate().toISOString()).toBe('2026-11-24T11:30:00.000Z');
    expect(quote.summary).toBe('Send revised quote — Ana Sousa');
    const alarms = quote.component.getAllSubcomponents('valarm').map((a) => a.getFirstPropertyValue('trigger')!.toString()).sort();
    expect(alarms).toEqual(['-P1D', '-PT15M']);
    // Only scheduled and open ones by default: the completed and cancelled are not exported.
    expect(events.some((e) => e.summary.startsWith('Missed call'))).toBe(false);
    await h.fail(['followup', 'export'], 2, /say the format/);
  });

  it('generates recurring follow-ups idempotently (crm followup recur)', async () => {
    const f = await h.json(['followup', 'add', '--lead', String(lead), '--title', 'Weekly check-in', '--start', 'tomorrow 9:00', '--every', '7d', '--until', '2026-12-31']);
    expect(f.generated.length).toBe(4);
    const first = await h.json(['followup', 'recur']);
    expect(first.created).toEqual([]);
    const later = await h.json(['followup', 'recur'], { env: { CRM_NOW: '2026-12-20T09:00:00Z' } });
    // 1, 8, 15 and 22 Dec were made ahead when it was added; 29 Dec comes into the 30-day window now.
    expect(later.created.map((c: { startAt: string }) => c.startAt)).toEqual(['2026-12-29T09:00:00.000Z']);
    expect((await h.json(['followup', 'recur'], { env: { CRM_NOW: '2026-12-20T09:00:00Z' } })).created).toEqual([]);
    await h.fail(['followup', 'add', '--lead', String(lead), '--title', 'x', '--until', '2027-01-01'], 2, /--until needs --every/);
    // Across the end of summer time in Lisbon (25 Oct 2026) the local time stays 10:00.
    const october = { env: { CRM_NOW: '2026-10-19T12:00:00Z', CRM_TZ: 'Europe/Lisbon' } };
    const weekly = await h.json(['followup', 'add', '--lead', String(lead), '--title', 'Lisbon weekly', '--start', '2026-10-20 10:00', '--every', '1w', '--until', '2026-11-01'], october);
    expect(weekly.start).toBe('2026-10-20T09:00:00.000Z');
    const series = (await h.json(['followup', 'list', '--lead', String(lead), '--status', 'all'])).filter((f: { seriesId: number }) => f.seriesId === weekly.seriesId);
    expect(series.map((f: { start: string }) => f.start)).toEqual(['2026-10-20T09:00:00.000Z', '2026-10-27T10:00:00.000Z']);
    const shown = await h.ok(['followup', 'show', String(series[1].id)], october);
    expect(shown).toMatch(/start\s+2026-10-27 10:00/);
  });

  it('adds, lists and runs advance rules; a second run creates nothing; --dry-run writes nothing', async () => {
    await h.fail(['followup', 'rule', 'add', '--name', 'x', '--where', 'stage=Qualified', '--title', 'x', '--as', 'ravi@acme.example'], 5, /may not add follow-up rules/);
    await h.fail(['followup', 'rule', 'add', '--name', 'x', '--where', 'stage=Nope', '--title', 'x'], 3, /unknown stage 'Nope'/);
    await h.fail(['followup', 'rule', 'add', '--name', 'x', '--where', 'stage=Qualified or tag=a', '--title', 'x'], 2, /'or' is not supported/);
    const rule = await h.json(['followup', 'rule', 'add', '--name', 'Qualified, quiet', '--where', 'stage=Qualified and no-activity>14d', '--title', 'Re-engage', '--type', 'call', '--assign', 'owner']);
    expect(rule.conditions).toEqual([{ field: 'stage', op: '=', value: 'Qualified' }, { field: 'no-activity', op: '>', days: 14 }]);
    expect((await h.json(['followup', 'rule', 'list'])).map((r: { name: string }) => r.name)).toEqual(['Qualified, quiet']);

    // Nothing has been quiet for 14 days yet.
    expect((await h.json(['followup', 'rule', 'run'])).rules[0].created).toEqual([]);
    const later = { env: { CRM_NOW: '2026-12-20T09:00:00Z' } };
    const dry = await h.json(['followup', 'rule', 'run', '--dry-run'], later);
    expect(dry).toMatchObject({ dryRun: true, rules: [{ rule: 'Qualified, quiet', created: [{ followUpId: null, leadId: ravisLead }] }] });
    expect((await h.json(['followup', 'list', '--lead', String(ravisLead), '--status', 'all'])).map((f: { title: string }) => f.title)).not.toContain('Re-engage');
    const run = await h.json(['followup', 'rule', 'run'], later);
    expect(run.rules[0].created.map((c: { leadId: number }) => c.leadId)).toEqual([ravisLead]);
    const again = await h.json(['followup', 'rule', 'run'], later);
    // The new follow-up is activity on the lead, so it no longer matches; either way nothing is created twice.
    expect(again.rules[0].created).toEqual([]);
    const made = (await h.json(['followup', 'list', '--lead', String(ravisLead)])).filter((f: { title: string }) => f.title === 'Re-engage');
    expect(made).toHaveLength(1);
    expect(made[0].assignedTo).toEqual(['ravi@acme.example']);
  });
});
