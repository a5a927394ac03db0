import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { teamHome, type Home } from '../helpers/cli.js';
import { onTerminal } from '../helpers/pty.js';

describe('crm report and crm dashboard through the binary', () => {
  let h: Home;
  beforeAll(async () => {
    h = await teamHome();
    await h.ok(['lead', 'add', '--name', '=HYPERLINK("http://evil")', '--source', 'Website', '--value', '100', '--assign', 'ravi@acme.example']);
    await h.ok(['lead', 'add', '--name', 'Plain Lead', '--source', 'Referral', '--value', '250', '--assign', 'priya@acme.example']);
    await h.ok(['call', 'log', '--lead', '1', '--direction', 'out', '--outcome', 'connected', '--duration', '3m', '--at', '2026-11-23 08:15', '--tz', 'UTC'], { env: { CRM_USER: 'ravi@acme.example' } });
  });
  afterAll(() => h.cleanup());

  it('report leads: table (TSV when piped), json, csv with formula cells neutralised, chart, -o file', async () => {
    expect(await h.ok(['report', 'leads', '--by', 'source'])).toBe('Referral\t1\t0\t0\nWebsite\t1\t0\t0');
    const json = await h.json(['report', 'leads', '--by', 'user']);
    expect(json).toMatchObject({ report: 'leads', period: { label: '2026-11-23' }, rows: [{ key: 'priya@acme.example', leads: 1 }, { key: 'ravi@acme.example', leads: 1 }] });
    const csv = await h.ok(['report', 'conversions', '--details', '--format', 'csv']);
    expect(csv.split('\r\n')[0]).toBe('ID,CONTACT,BUSINESS,CONVERTED BY,CONVERTED,FROM,ORDER');
    await h.ok(['lead', 'convert', '1']);
    const withRow = await h.ok(['report', 'conversions', '--details', '--format', 'csv']);
    expect(withRow).toContain(`1,"'=HYPERLINK(""http://evil"")",,admin@acme.example,`);
    expect(await h.ok(['report', 'leads', '--by', 'source', '--format', 'chart'])).toMatch(/^Referral {2}█{40} 1\nWebsite {3}█{40} 1$/);
    const file = join(h.dir, 'pipeline.csv');
    await h.ok(['report', 'pipeline', '--format', 'csv', '-o', file]);
    // Money in CSV and TSV: the amount as a number, its currency in a column of its own.
    expect(readFileSync(file, 'utf8')).toMatch(/^STAGE,PROB %,LEADS,VALUE,VALUE CURRENCY,WEIGHTED,WEIGHTED CURRENCY,WIN RATE %\r\nNew,10,1,250,EUR,25,EUR,100\r\n/);
    const tsv = (await h.ok(['report', 'pipeline', '--format', 'tsv'])).split('\n');
    expect(tsv[0]).toBe('STAGE\tPROB %\tLEADS\tVALUE\tVALUE CURRENCY\tWEIGHTED\tWEIGHTED CURRENCY\tWIN RATE %');
    expect(tsv[1]).toBe('New\t10\t1\t250\tEUR\t25\tEUR\t100');
    // JSON: money as numbers (and minor units), never a display string
    const pipeline = await h.json(['report', 'pipeline']);
    expect(pipeline.rows[0]).toMatchObject({ stage: 'New', value: [{ currency: 'EUR', amount: 250, amountMinor: 25000 }], weighted: [{ currency: 'EUR', amount: 25, amountMinor: 2500 }] });
    expect(pipeline.rows.find((r: { stage: string }) => r.stage === 'Lost').value).toEqual([]);
    // Lists: --format tsv and csv print a header line; the default piped TSV has none.
    expect((await h.ok(['call', 'summary', '--format', 'tsv'])).split('\n')[0]).toMatch(/^USER\t/);
    expect((await h.ok(['lead', 'list', '--format', 'csv'])).split('\n')[0]).toMatch(/^ID,NAME,/);
  });

  it('performance, followups, demos run; bad input gets the documented exit codes', async () => {
    expect((await h.json(['report', 'performance', '--hourly', '--day', 'today', '--tz', 'UTC'])).rows).toEqual([
      { hour: '08:00', calls: 1, emails: 0, meetings: 0, won: 0, revenue: [] },
      { hour: '09:00', calls: 0, emails: 0, meetings: 0, won: 1, revenue: [{ currency: 'EUR', amount: 100, amountMinor: 10000 }] },
    ]);
    expect((await h.json(['report', 'followups', '--by', 'user'])).rows).toEqual([]);
    await h.fail(['report', 'leads', '--by', 'colour'], 2, /cannot group by 'colour'\nhint: use --by user\|source\|stage/);
    await h.fail(['report', 'leads', '--by', 'user', '--from', '2026-11-20', '--to', '2026-11-01'], 2, /ends \(2026-11-01\) before it starts \(2026-11-20\)/);
    await h.fail(['report', 'leads', '--by', 'user', '--day', '2026-02-30'], 2, /invalid --day '2026-02-30'/);
    await h.fail(['report', 'pipeline', '--format', 'pdf'], 2, /unknown format 'pdf'/);
    await h.fail(['report', 'demos'], 2, /--completed DAY or --confirmed DAY/);
    await h.fail(['report', 'nonsense'], 2, /unknown command 'nonsense'/);
    await h.fail(['--as', 'ravi@acme.example', 'report', 'conversions', '--user', 'priya@acme.example'], 5, /only their own figures/);
    await h.fail(['report', 'conversions', '--user', 'ghost@acme.example'], 3, /unknown user/);
  });

  it('dashboard: JSON for scripts, static text without a TTY, scoped per role', async () => {
    const admin = await h.json(['dashboard']);
    expect(admin).toMatchObject({ scope: 'all', leads: { leads: 1, customers: 1, conversionRatePct: 50 }, admin: { totals: { leads: 1, customers: 1 } } });
    const ravi = await h.json(['dashboard'], { env: { CRM_USER: 'ravi@acme.example' } });
    expect(ravi).toMatchObject({ scope: 'own', admin: null, calls: { today: 1, yesterday: 0, thisMonth: 1 }, leads: { leads: 0, customers: 1 } });
    const text = await h.ok(['dashboard', '--tz', 'UTC']);
    expect(text).toMatch(/^Dashboard — admin@acme.example \(all records\)/);
    expect(text).toMatch(/conversion rate\s+50%/);
    expect(text).toMatch(/Pipeline — open value EUR 250.00, weighted forecast EUR 25.00/);
    await h.fail(['dashboard', '--tz', 'Mars/Olympus'], 2, /unknown time zone 'Mars\/Olympus'/);
  });

  it('dashboard on a terminal: the ink screen, q quits', async () => {
    const { text: screen } = await onTerminal(h, ['dashboard', '--tz', 'UTC'], [['q quit', 'q']]);
    expect(screen).toMatch(/Dashboard — admin@acme.example \(all records\)/);
    expect(screen).toContain('q quit · r refresh · refreshes every 5s');
    expect(screen).toMatch(/EXIT 0\s*$/);
  });

  it('dashboard on a terminal where CI is set: drawn all the same (ink would hold every frame back until exit)', async () => {
    const { text: screen } = await onTerminal(h, ['dashboard', '--tz', 'UTC'], [['q quit', 'q']], { CI: 'true' });
    expect(screen).toContain('q quit · r refresh');
    expect(screen).toMatch(/EXIT 0\s*$/);
  });
});
