import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { teamHome } from '../helpers/cli.js';
import { daemonHttpUrl, daemonTracker, LIVE } from '../helpers/daemon.js';
import { waitFor } from '../helpers/wait.js';

const tracked = daemonTracker();
afterEach(() => tracked.teardown());

describe('intake: posts to unknown forms', () => {
  it('a flood is rate-limited before anything is stored: a bounded number of log rows, 429 with Retry-After', async () => {
    const h = tracked.home(await teamHome());
    await h.ok(['daemon', 'start'], LIVE);
    const url = await daemonHttpUrl(h);
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 60; i++) {
      const r = await fetch(`${url}/intake/form/nope${i % 3}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"x"}' });
      await r.arrayBuffer();
      statuses.push(r.status);
      if (r.status === 429) retryAfter ??= r.headers.get('retry-after');
    }
    expect(statuses.slice(0, 5)).toEqual([404, 404, 404, 404, 404]);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(50);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    const rows = await h.json<any[]>(['intake', 'log', '--limit', '1000']);
    // The first posts of the run and its first refusal: not one row per request.
    expect(rows.length).toBeLessThanOrEqual(8);
    expect(rows.some((r) => r.status === 429 && /too many posts to unknown forms/.test(r.reason))).toBe(true);
  }, 60_000);

  it('a wrong Bearer token is refused before the body is read (403, not a complaint about the JSON)', async () => {
    const h = tracked.home(await teamHome());
    await h.ok(['intake', 'form', 'add', 'web']);
    await h.ok(['daemon', 'start'], LIVE);
    const url = await daemonHttpUrl(h);
    const r = await fetch(`${url}/intake/form/web`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer wrong' }, body: '{not json' });
    expect(r.status).toBe(403);
    expect(await r.json()).toEqual({ error: 'bad token' });
  }, 60_000);
});

describe('credentials inside URLs are printed masked', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  it('config list/get/set, doctor, daemon logs and status, outbox errors', async () => {
    const auth: (string | undefined)[] = [];
    server = createServer((req, res) => {
      auth.push(req.headers.authorization);
      req.resume();
      req.on('end', () => res.writeHead(500).end('no'));
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const h = tracked.home(await teamHome());
    const hook = `http://hookuser:s3cret-pw@127.0.0.1:${port}/in`;
    expect(await h.ok(['config', 'set', 'webhook.url', hook])).not.toContain('s3cret');
    expect(await h.ok(['config', 'get', 'webhook.url'])).toBe(`http://hookuser:***@127.0.0.1:${port}/in`);
    await h.ok(['config', 'set', 'twilio.api-url', 'https://AC123:tok3n@twilio.test.example']);
    expect(await h.ok(['config', 'get', 'twilio.api-url'])).toBe('https://AC123:***@twilio.test.example');
    const list = await h.ok(['config', 'list']);
    expect(list).toContain(`http://hookuser:***@127.0.0.1:${port}/in`);
    expect(list).not.toMatch(/s3cret|tok3n/);
    const doctor = await h.run(['doctor']);
    expect(String(doctor.stdout)).toContain(`http://hookuser:***@127.0.0.1:${port}/in answered HTTP 500`);
    expect(`${doctor.stdout}${doctor.stderr}`).not.toContain('s3cret');

    await h.ok(['notify', 'set', 'not-attempted', '--off']);
    await h.ok(['notify', 'set', 'new-lead', '--channels', 'webhook']);
    await h.ok(['daemon', 'start'], LIVE);
    await h.ok(['lead', 'add', '--name', 'Hook Test', '--email', 'hook@test.example'], LIVE);
    const failed = await waitFor(async () => {
      const f = (await h.json<any[]>(['outbox', 'list', '--failed'], LIVE)).filter((m) => m.channel === 'webhook');
      return f.length > 0 && f;
    }, { what: 'a failed webhook message', timeoutMs: 20_000, intervalMs: 100 });
    // The credentials reach the receiver as HTTP Basic auth (fetch refuses a URL holding them).
    expect(auth.at(-1)).toBe(`Basic ${Buffer.from('hookuser:s3cret-pw').toString('base64')}`);
    expect(failed[0].lastError).toBe(`webhook http://hookuser:***@127.0.0.1:${port}/in answered HTTP 500`);
    const status = await h.run(['daemon', 'status'], LIVE);
    expect(String(status.stdout)).toContain('hookuser:***@');
    const logs = await h.ok(['daemon', 'logs'], LIVE);
    expect(logs).toContain(`webhook http://hookuser:***@127.0.0.1:${port}/in answered HTTP 500`);
    for (const out of [String(status.stdout), logs, await h.ok(['outbox', 'show', String(failed[0].id)], LIVE)]) expect(out).not.toContain('s3cret');
  }, 60_000);
});
