import { afterEach, describe, expect, it } from 'vitest';
import { teamHome, type Home } from '../helpers/cli.js';
import { startSmtp } from '../helpers/notify-servers.js';
import { daemonTracker, LIVE } from '../helpers/daemon.js';

const tracked = daemonTracker();
afterEach(() => tracked.teardown());

describe('crm report schedule', () => {
  it('add, list, run-now without a daemon (the emails wait in the outbox), remove; bad input has its exit code', async () => {
    const h = await teamHome();
    tracked.home(h);
    const manager = ['--as', 'meera@acme.example'];
    const added = await h.json(['report', 'schedule', 'add', 'leads-daily', '--report', 'leads', '--by', 'source', '--cron', '0 19 * * *', '--tz', 'Asia/Kolkata', '--to', 'managers,boss@partner.example', '--format', 'csv', ...manager]);
    expect(added).toEqual({
      name: 'leads-daily', report: 'leads', options: { by: 'source' }, cron: '0 19 * * *', timeZone: 'Asia/Kolkata', to: ['managers', 'boss@partner.example'], format: 'csv',
      createdBy: 'meera@acme.example', createdAt: '2026-11-23T09:00:00.000Z', lastSlotAt: null, lastRunAt: null, lastError: null,
    });
    await h.fail(['report', 'schedule', 'add', 'x', '--report', 'leads', '--by', 'source', '--cron', 'every day', '--to', 'managers'], 2, /invalid cron expression 'every day'/);
    await h.fail(['report', 'schedule', 'add', 'x', '--report', 'leads', '--cron', '0 19 * * *', '--to', 'managers'], 2, /--by is required/);
    await h.fail(['report', 'schedule', 'add', 'x', '--report', 'leads', '--by', 'source', '--cron', '0 19 * * *'], 2, /needs --to/);
    await h.fail(['report', 'schedule', 'add', 'leads-daily', '--report', 'leads', '--by', 'user', '--cron', '0 7 * * *', '--to', 'admins'], 4, /exists already/);
    await h.fail(['report', 'schedule', 'list', '--as', 'ravi@acme.example'], 5, /may not see scheduled reports/);
    const list = await h.json<any[]>(['report', 'schedule', 'list']);
    // 19:00 in Kolkata is 13:30 UTC; the clock is fixed at 09:00 UTC.
    expect(list).toEqual([{ ...added, nextRunAt: '2026-11-23T13:30:00.000Z' }]);
    expect(await h.ok(['report', 'schedule', 'list'])).toBe('leads-daily\tleads --by source\t0 19 * * * Asia/Kolkata\tmanagers,boss@partner.example\tcsv\t2026-11-23T13:30:00.000Z\t\t');
    const out = await h.ok(['report', 'schedule', 'run-now', 'leads-daily']);
    expect(out).toMatch(/Queued 2 email\(s\) of leads-daily to meera@acme\.example, boss@partner\.example/);
    expect(out).toMatch(/Email is not configured/);
    expect(out).toMatch(/The daemon is not running: they wait in the outbox until it starts \(crm daemon start\)/);
    const queued = await h.json<any[]>(['outbox', 'list', '--pending']);
    expect(queued.map((m) => [m.rule, m.channel, m.address]).sort()).toEqual([['scheduled-report', 'email', 'boss@partner.example'], ['scheduled-report', 'email', 'meera@acme.example']]);
    expect(await h.ok(['outbox', 'show', String(queued[0].id)])).toMatch(/attachments\s+leads-daily-2026-11-23\.csv \(\d+ bytes\)/);
    await h.fail(['report', 'schedule', 'run-now', 'nope'], 3, /no scheduled report named 'nope'/);
    expect(await h.json(['report', 'schedule', 'remove', '--yes', 'leads-daily'])).toMatchObject({ name: 'leads-daily', removed: true });
    expect(await h.json(['report', 'schedule', 'list'])).toEqual([]);
  });

  it('run-now with the daemon running: the report arrives by email with its CSV attachment', async () => {
    const h = await teamHome();
    tracked.home(h);
    const smtp = await startSmtp();
    tracked.server(smtp);
    for (const [k, v] of [['smtp.host', '127.0.0.1'], ['smtp.port', String(smtp.port)], ['smtp.ignore-tls', 'true'], ['smtp.from', 'crm@acme.example']]) await h.ok(['config', 'set', k!, v!]);
    await h.ok(['notify', 'set', 'new-lead', '--off']);
    await h.ok(['lead', 'add', '--name', 'Anita Desai', '--email', 'anita@desai.example', '--source', 'Website'], LIVE);
    await h.ok(['report', 'schedule', 'add', 'sources', '--report', 'leads', '--by', 'source', '--cron', '0 19 * * *', '--to', 'boss@partner.example'], LIVE);
    await h.ok(['daemon', 'start'], LIVE);
    const out = await h.ok(['report', 'schedule', 'run-now', 'sources', '--json'], LIVE);
    expect(JSON.parse(out)).toMatchObject({ name: 'sources', queued: 1, to: ['boss@partner.example'], emailConfigured: true, daemonRunning: true });
    const [mail] = await smtp.waitFor(1);
    expect((mail!.to as { text: string }).text).toBe('boss@partner.example');
    expect(mail!.subject).toMatch(/^Report sources: Leads created by source \(\d{4}-\d{2}-\d{2}\)$/);
    expect(mail!.text).toMatch(/Website\s+1\s+0/);
    expect(mail!.attachments).toHaveLength(1);
    expect(mail!.attachments[0]!.filename).toMatch(/^sources-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(mail!.attachments[0]!.content.toString('utf8')).toBe('SOURCE,LEADS,NOW CUSTOMERS,CONVERSION %\r\nWebsite,1,0,0\r\n');
  });
});
