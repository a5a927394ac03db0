import { afterEach, describe, expect, it } from 'vitest';
import { teamHome } from '../helpers/cli.js';
import { daemonHttpUrl, daemonTracker, LIVE } from '../helpers/daemon.js';

const tracked = daemonTracker();
afterEach(() => tracked.teardown());

describe('the daemon HTTP endpoint', () => {
  it('listens on http.listen, answers /health, shows its address in crm daemon status, and goes away on stop', async () => {
    const h = tracked.home(await teamHome());
    await h.ok(['daemon', 'start'], LIVE);
    const url = await daemonHttpUrl(h);
    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true });
    const status = await h.json(['daemon', 'status', '--json'], LIVE);
    expect(status.http).toEqual({ url, publicUrl: url });
    expect(await h.ok(['daemon', 'status'], LIVE)).toContain(`HTTP:    ${url}`);
    await h.ok(['daemon', 'stop'], LIVE);
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  });

  it('start fails (exit 4) when its address is taken, says why, and leaves no daemon running; so does run', async () => {
    const a = tracked.home(await teamHome());
    await a.ok(['daemon', 'start'], LIVE);
    const url = await daemonHttpUrl(a);
    const b = tracked.home(await teamHome());
    const taken = { env: { CRM_NOW: '', CRM_HTTP_LISTEN: url.replace('http://', '') } };
    await b.fail(['daemon', 'start'], 4, /^error: the daemon did not start: the HTTP endpoint cannot listen on 127\.0\.0\.1:\d+: the address is in use\nhint: set another address with crm config set http\.listen 127\.0\.0\.1:PORT \(or off\)$/, taken);
    expect((await b.json(['daemon', 'status'], LIVE)).running).toBe(false);
    expect(await b.ok(['daemon', 'logs'])).toMatch(/HTTP endpoint not started: the HTTP endpoint cannot listen on 127\.0\.0\.1:\d+: the address is in use/);
    await b.fail(['daemon', 'run'], 4, /error: the HTTP endpoint cannot listen on 127\.0\.0\.1:\d+: the address is in use/, taken);
    expect(await b.ok(['daemon', 'start'], LIVE)).toMatch(/Started the daemon/);
  });

  it('a non-loopback http.listen needs http.allow-public true: without it the daemon does not start (exit 2)', async () => {
    const h = tracked.home(await teamHome());
    const open = { env: { CRM_NOW: '', CRM_HTTP_LISTEN: '0.0.0.0:0' } };
    await h.fail(['daemon', 'start'], 2, /error: the daemon did not start: http\.listen 0\.0\.0\.0:0 is not a loopback address: the HTTP endpoint would be open to other machines\nhint: listen on 127\.0\.0\.1 behind a reverse proxy \(crm config set http\.listen 127\.0\.0\.1:8765\), or confirm with crm config set http\.allow-public true/, open);
    expect((await h.json(['daemon', 'status'], LIVE)).running).toBe(false);
    await h.fail(['config', 'set', 'http.allow-public', 'true', '--as', 'ravi@acme.example'], 5);
    await h.ok(['config', 'set', 'http.allow-public', 'true']);
    await h.ok(['daemon', 'start'], open);
    expect((await h.json(['daemon', 'status'], LIVE)).http.url).toMatch(/^http:\/\/0\.0\.0\.0:\d+$/);
  });
});
