import { afterEach, describe, expect, it } from 'vitest';
import { teamHome } from '../helpers/cli.js';
import { daemonHttpUrl, daemonTracker, LIVE } from '../helpers/daemon.js';
import { waitFor } from '../helpers/wait.js';

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

  it('keeps delivering when its address is taken, and says why in the log', async () => {
    const a = tracked.home(await teamHome());
    await a.ok(['daemon', 'start'], LIVE);
    const url = await daemonHttpUrl(a);
    const b = tracked.home(await teamHome());
    await b.ok(['daemon', 'start'], { env: { CRM_NOW: '', CRM_HTTP_LISTEN: url.replace('http://', '') } });
    const log = await waitFor(async () => {
      const text = await b.ok(['daemon', 'logs'], LIVE);
      return text.includes('HTTP endpoint not started') && text;
    }, { what: 'the log line about the address in use' });
    expect(log).toMatch(/HTTP endpoint not started: the HTTP endpoint cannot listen on 127\.0\.0\.1:\d+: the address is in use/);
    expect((await b.json(['daemon', 'status', '--json'], LIVE)).running).toBe(true);
  });
});
