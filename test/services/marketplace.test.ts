import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ExternalServiceError } from '../../src/errors.js';
import { JOBS } from '../../src/daemon/jobs.js';
import { fetchInquiries } from '../../src/services/intake/exportersindia.js';
import { importMarketplace, marketplaceDue, marketplaceStatus, setMarketplace } from '../../src/services/intake/marketplace.js';
import { addLead } from '../../src/services/leads/service.js';
import { listSettings } from '../../src/services/settings/service.js';
import { anInquiry, fakeMarketplace, type FakeMarketplace } from '../helpers/marketplace-server.js';
import { FIXED_NOW, testTeam, type TestTeam } from '../helpers/store.js';

let mp: FakeMarketplace;
beforeAll(async () => {
  mp = await fakeMarketplace();
});
afterAll(() => mp.close());
beforeEach(() => {
  mp.queue.length = 0;
  mp.requests.length = 0;
});

const fetchOpts = () => ({ baseUrl: mp.baseUrl, siteKey: 'sekret-key', siteId: 'sales@acme.example', since: '2026-11-01', timeoutMs: 2000 });

describe('ExportersIndia client (real axios against a local server)', () => {
  it('sends the site key, site id and date and returns the inquiries', async () => {
    const inq = anInquiry({ inq_id: '123' });
    mp.queue.push({ kind: 'json', body: [{ ...inq, inq_id: 123 }] });
    const got = await fetchInquiries(fetchOpts());
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ inq_id: '123', email: inq.email, subject: inq.subject });
    const q = mp.requests[0]!;
    expect(q.pathname).toBe('/api-inquiry-detail.php');
    expect(Object.fromEntries(q.searchParams)).toEqual({ k: 'sekret-key', email: 'sales@acme.example', date_from: '2026-11-01' });
  });

  it('reads the no-record object as no inquiries', async () => {
    mp.queue.push({ kind: 'json', body: { msg: 'No record found' } });
    expect(await fetchInquiries(fetchOpts())).toEqual([]);
  });

  it.each([
    ['a 500', { kind: 'json', status: 500, body: { error: 'boom' } }, /HTTP 500/],
    ['a 503 HTML page', { kind: 'raw', status: 503, body: '<html>Service Unavailable</html>' }, /HTTP 503/],
    ['an HTML error page with 200', { kind: 'raw', body: '<!DOCTYPE html><html><body>Error</body></html>' }, /HTML page/],
    ['garbage', { kind: 'raw', body: '{"inq_id": 12, ', contentType: 'application/json' }, /malformed JSON/],
    ['an item without inq_id', { kind: 'json', body: [{ name: 'x' }] }, /no inq_id/],
    ['a refusal', { kind: 'json', body: { msg: 'Invalid Key' } }, /refused the request: Invalid Key/],
    ['some other JSON', { kind: 'json', body: 42 }, /neither a list/],
  ] as const)('refuses %s as an ExternalServiceError', async (_what, answer, message) => {
    mp.queue.push(answer as never);
    const err = await fetchInquiries(fetchOpts()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExternalServiceError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toContain('sekret-key');
  });

  it('gives up after the timeout', async () => {
    mp.queue.push({ kind: 'hang' });
    const err = await fetchInquiries({ ...fetchOpts(), timeoutMs: 300 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExternalServiceError);
    expect((err as Error).message).toMatch(/did not answer within 0.3 s/);
  });
});

describe('marketplace import (real SQLite store)', () => {
  let team: TestTeam;
  beforeEach(async () => {
    team = await testTeam();
    await setMarketplace(team.as(team.manager), { siteKey: 'sekret-key', siteId: 'sales@acme.example', assign: ['ravi@acme.example', 'priya@acme.example'], source: 'ExportersIndia', every: '15m', baseUrl: mp.baseUrl });
  });
  afterEach(() => team.close());
  const at = (minutes: number) => new Date(FIXED_NOW.getTime() + minutes * 60_000);

  it('turns inquiries into leads with a follow-up, round-robin, and skips an existing email', async () => {
    await addLead(team.as(team.admin), { name: 'Known Buyer', emails: ['known@importers.example'] });
    const a = anInquiry({ mobile: '+91 98765 43210' });
    const b = anInquiry({ email: 'KNOWN@importers.example' });
    const c = anInquiry();
    const d = anInquiry();
    mp.queue.push({ kind: 'json', body: [a, b, c, d] });
    const r = await importMarketplace(team.store, FIXED_NOW, { actor: team.manager });
    expect(r).toMatchObject({ fetched: 4, created: 3, existing: 1, seen: 0, rejected: 0, dryRun: false, since: '2026-11-16' });
    expect(r.inquiries.map((q) => [q.inqId, q.outcome, q.assignee])).toEqual([
      [a.inq_id, 'created', 'ravi@acme.example'],
      [b.inq_id, 'existing', null],
      [c.inq_id, 'created', 'priya@acme.example'],
      [d.inq_id, 'created', 'ravi@acme.example'],
    ]);
    const lead = (await team.store.leads.get(r.inquiries[0]!.leadId!))!;
    expect(lead).toMatchObject({ name: a.name, businessName: a.company, emails: [a.email], phones: ['+919876543210'], source: 'ExportersIndia', address: '12 Market Road, Pune, Maharashtra, India' });
    expect(lead.assignees.map((u) => u.email)).toEqual(['ravi@acme.example']);
    const [fu] = await team.store.followUps.list({ leadId: lead.id });
    expect(fu).toMatchObject({ title: a.subject, type: 'call' });
    expect(fu!.description).toContain(`Product: ${a.product}`);
    expect(fu!.description).toContain(`Message: ${a.detail_req}`);
    expect(fu!.assignees.map((u) => u.email)).toEqual(['ravi@acme.example']);
    const timeline = await team.store.activities.forLead(lead.id);
    expect(timeline.find((t) => t.type === 'intake')?.data).toMatchObject({ channel: 'ExportersIndia', inqId: a.inq_id, payload: { subject: a.subject } });
  });

  it('imports nothing twice across overlapping windows, and stays fair across runs', async () => {
    const first = [anInquiry(), anInquiry(), anInquiry()];
    mp.queue.push({ kind: 'json', body: first });
    await importMarketplace(team.store, FIXED_NOW, { actor: team.manager });
    const next = anInquiry();
    mp.queue.push({ kind: 'json', body: [...first, next] });
    const r = await importMarketplace(team.store, at(60), { actor: team.manager });
    // The second window starts on the day of the last successful run.
    expect(mp.requests[1]!.searchParams.get('date_from')).toBe('2026-11-23');
    expect(r).toMatchObject({ fetched: 4, created: 1, seen: 3 });
    // ravi, priya, ravi in the first run: the pointer continues with priya.
    expect(r.inquiries.find((q) => q.inqId === next.inq_id)?.assignee).toBe('priya@acme.example');
    expect(await team.store.leads.count({})).toBe(4);
  });

  it('records a failed run, stores nothing, and retries the same window next time', async () => {
    mp.queue.push({ kind: 'json', body: [anInquiry()] });
    await importMarketplace(team.store, FIXED_NOW, { actor: team.manager });
    mp.queue.push({ kind: 'raw', status: 502, body: '<html>Bad Gateway</html>' });
    await expect(importMarketplace(team.store, at(24 * 60), { actor: team.manager })).rejects.toThrow(/HTTP 502/);
    const status = await marketplaceStatus({ store: team.store, now: at(24 * 60) });
    expect(status.lastRun).toMatchObject({ ok: false, error: 'ExportersIndia answered HTTP 502', since: '2026-11-23' });
    expect(status.lastSuccess?.startedAt).toBe(FIXED_NOW.toISOString());
    mp.queue.push({ kind: 'json', body: [anInquiry()] });
    await importMarketplace(team.store, at(24 * 60 + 15), { actor: team.manager });
    expect(mp.requests.at(-1)!.searchParams.get('date_from')).toBe('2026-11-23');
    expect(await team.store.leads.count({})).toBe(2);
  });

  it('imports nothing of a run whose answer has one malformed inquiry', async () => {
    mp.queue.push({ kind: 'json', body: [anInquiry(), { name: 'no id' }] });
    await expect(importMarketplace(team.store, FIXED_NOW, { actor: team.manager })).rejects.toBeInstanceOf(ExternalServiceError);
    expect(await team.store.leads.count({})).toBe(0);
  });

  it('a dry run reports what would happen and stores nothing (not even the pointer)', async () => {
    const inqs = [anInquiry(), anInquiry()];
    mp.queue.push({ kind: 'json', body: inqs });
    const dry = await importMarketplace(team.store, FIXED_NOW, { actor: team.manager, dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, created: 2 });
    expect(await team.store.leads.count({})).toBe(0);
    expect((await marketplaceStatus({ store: team.store, now: FIXED_NOW })).lastRun).toBeNull();
    mp.queue.push({ kind: 'json', body: inqs });
    const real = await importMarketplace(team.store, FIXED_NOW, { actor: team.manager });
    expect(real.inquiries.map((q) => q.assignee)).toEqual(['ravi@acme.example', 'priya@acme.example']);
  });

  it('skips a deactivated user in the round-robin', async () => {
    await team.store.users.update(team.ravi.id, { active: false });
    mp.queue.push({ kind: 'json', body: [anInquiry(), anInquiry()] });
    const r = await importMarketplace(team.store, FIXED_NOW, { actor: team.manager });
    expect(r.inquiries.map((q) => q.assignee)).toEqual(['priya@acme.example', 'priya@acme.example']);
  });

  it('keeps the site key secret', async () => {
    const settings = await listSettings(team.as(team.admin));
    expect(settings.find((s) => s.key === 'marketplace.site-key')?.value).toBe('********');
    const status = await marketplaceStatus({ store: team.store, now: FIXED_NOW });
    expect(status.config).toMatchObject({ siteKey: '********', siteId: 'sales@acme.example', every: '15m', assign: ['ravi@acme.example', 'priya@acme.example'] });
    expect(JSON.stringify(status)).not.toContain('sekret-key');
  });

  it('a rep may not configure or run the import', async () => {
    await expect(setMarketplace(team.as(team.ravi), { siteId: 'x' })).rejects.toThrow(/rep and may not configure/);
    await expect(importMarketplace(team.store, FIXED_NOW, { actor: team.ravi })).rejects.toThrow(/rep and may not import/);
  });

  it('the daemon job honours --every, failed runs included', async () => {
    const job = JOBS.find((j) => j.name === 'marketplace.import')!;
    const log = () => undefined;
    mp.queue.push({ kind: 'json', body: [anInquiry()] });
    expect(await job.run({ store: team.store, env: {}, now: FIXED_NOW, log })).toMatch(/1 inquiry\(ies\): 1 new/);
    expect(await marketplaceDue(team.store, at(14))).toBe(false);
    expect(await job.run({ store: team.store, env: {}, now: at(14), log })).toBe('not due');
    mp.queue.push({ kind: 'raw', body: 'garbage' });
    await expect(job.run({ store: team.store, env: {}, now: at(15), log })).rejects.toThrow(/malformed JSON/);
    expect(await marketplaceDue(team.store, at(29))).toBe(false);
    expect(await marketplaceDue(team.store, at(30))).toBe(true);
    // The daemon's environment variable wins over the stored key.
    await job.run({ store: team.store, env: { CRM_MARKETPLACE_SITE_KEY: 'from-env' }, now: at(30), log });
    expect(mp.requests.at(-1)!.searchParams.get('k')).toBe('from-env');
    expect(mp.requests).toHaveLength(3);
  });
});
