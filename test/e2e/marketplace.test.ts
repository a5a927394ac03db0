import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { teamHome, type Home } from '../helpers/cli.js';
import { anInquiry, fakeMarketplace, type FakeMarketplace } from '../helpers/marketplace-server.js';

describe('crm marketplace (built binary against a local marketplace)', () => {
  let h: Home;
  let mp: FakeMarketplace;
  beforeAll(async () => {
    [h, mp] = await Promise.all([teamHome(), fakeMarketplace()]);
  });
  afterAll(async () => {
    h.cleanup();
    await mp.close();
  });

  it('configures, imports, skips what it has seen, and reports a failed run with exit 6', async () => {
    await h.fail(['marketplace', 'import'], 3, /not configured/);
    await h.fail(['marketplace', 'set', '--site-id', 'x', '--assign', 'ravi@acme.example', '--as', 'ravi@acme.example'], 5, /may not configure/);
    const set = await h.json(['marketplace', 'set', '--site-key', 'sekret-key', '--site-id', 'sales@acme.example', '--assign', 'ravi@acme.example,priya@acme.example', '--source', 'ExportersIndia', '--every', '30m', '--base-url', mp.baseUrl]);
    expect(set).toMatchObject({ site: 'ExportersIndia', siteKey: '********', every: '30m', assign: ['ravi@acme.example', 'priya@acme.example'], source: 'ExportersIndia' });
    expect(await h.ok(['config', 'get', 'marketplace.site-key'])).not.toContain('sekret-key');

    const inqs = [anInquiry(), anInquiry()];
    mp.queue.push({ kind: 'json', body: inqs });
    const dry = await h.json(['marketplace', 'import', '--since', '2026-11-01', '--dry-run']);
    expect(dry).toMatchObject({ dryRun: true, created: 2, since: '2026-11-01' });
    expect(await h.json(['lead', 'list'])).toHaveLength(0);

    mp.queue.push({ kind: 'json', body: inqs });
    const out = await h.ok(['marketplace', 'import', '--since', '2026-11-01']);
    expect(out).toContain('2 inquiry(ies) since 2026-11-01: 2 new lead(s)');
    const leads = await h.json<{ name: string; source: string; assignees: { email: string }[] }[]>(['lead', 'list']);
    expect(leads.map((l) => [l.name, l.source]).sort()).toEqual(inqs.map((q) => [q.name, 'ExportersIndia']).sort());

    mp.queue.push({ kind: 'json', body: inqs });
    expect(await h.json(['marketplace', 'import'])).toMatchObject({ created: 0, seen: 2 });

    mp.queue.push({ kind: 'raw', status: 500, body: 'Internal Server Error', contentType: 'text/plain' });
    await h.fail(['marketplace', 'import'], 6, /ExportersIndia answered HTTP 500/);
    const status = await h.json(['marketplace', 'status']);
    expect(status.lastRun).toMatchObject({ ok: false, error: 'ExportersIndia answered HTTP 500' });
    expect(status.lastSuccess).toMatchObject({ ok: true, created: 0, seen: 2 });
    expect(await h.ok(['marketplace', 'status'])).toMatch(/last error\s+ExportersIndia answered HTTP 500/);

    await h.fail(['marketplace', 'import', '--since', 'yesterday'], 2, /invalid --since/);
  });
});
