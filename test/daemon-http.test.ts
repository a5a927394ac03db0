import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HttpServer, parseListen } from '../src/daemon/http/server.js';
import type { Route } from '../src/daemon/http/types.js';
import { NotFoundError, PermissionError, UsageError } from '../src/errors.js';
import { testTeam, type TestTeam } from './helpers/store.js';

const echo: Route = {
  name: 'echo', method: 'POST', pattern: /^\/echo\/(\w+)$/,
  async handle(req, m, deps) {
    if (m[1] === 'usage') throw new UsageError('bad field', 'fix it');
    if (m[1] === 'perm') throw new PermissionError('bad token');
    if (m[1] === 'missing') throw new NotFoundError('no such form');
    if (m[1] === 'boom') throw new Error('secret internals');
    return { status: 200, body: { name: m[1], body: req.body.toString(), url: req.publicUrl, base: deps.publicUrl } };
  },
};

describe('the daemon HTTP endpoint', () => {
  let t: TestTeam;
  let server: HttpServer;
  const logs: string[] = [];
  beforeEach(async () => {
    t = await testTeam();
    logs.length = 0;
  });
  afterEach(async () => {
    await server?.stop();
    await t.close();
  });
  const start = async (env: Record<string, string> = {}) => {
    server = new HttpServer({ deps: { store: t.store, env: { CRM_HTTP_LISTEN: '127.0.0.1:0', ...env }, log: (l, m) => logs.push(`${l} ${m}`), now: () => new Date() }, routes: [echo], addressFile: join(t.dir, 'http.json') });
    return (await server.start())!;
  };

  it('parses listen addresses and refuses bad ones', () => {
    expect(parseListen('127.0.0.1:8765')).toEqual({ host: '127.0.0.1', port: 8765 });
    expect(parseListen(':9000')).toEqual({ host: '127.0.0.1', port: 9000 });
    expect(parseListen('[::1]:80')).toEqual({ host: '::1', port: 80 });
    expect(parseListen('off')).toBeNull();
    expect(() => parseListen('localhost')).toThrow(/invalid http.listen 'localhost'/);
    expect(() => parseListen('1.2.3.4:99999')).toThrow(/invalid http.listen/);
  });

  it('routes, maps typed errors to statuses and never leaks internals', async () => {
    const url = await start();
    const post = (path: string, body = 'x') => fetch(`${url}${path}`, { method: 'POST', body });
    const ok = await post('/echo/hello?a=1', 'payload');
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ name: 'hello', body: 'payload', url: `${url}/echo/hello?a=1`, base: url });
    expect((await post('/echo/usage')).status).toBe(400);
    expect(await (await post('/echo/usage')).json()).toEqual({ error: 'bad field (fix it)' });
    expect((await post('/echo/perm')).status).toBe(403);
    expect((await post('/echo/missing')).status).toBe(404);
    const boom = await post('/echo/boom');
    expect(boom.status).toBe(500);
    expect(await boom.text()).not.toMatch(/secret internals/);
    expect(logs.some((l) => l.startsWith('error') && l.includes('secret internals'))).toBe(true);
    expect((await fetch(`${url}/echo/hello`)).status).toBe(405);
    expect((await fetch(`${url}/nowhere`)).status).toBe(404);
    expect(logs.some((l) => l.startsWith('warn') && l.includes('/nowhere') && l.includes('404'))).toBe(true);
  });

  it('refuses a body over the limit with 413 before the route sees it', async () => {
    await t.store.transaction(() => t.store.settings.set('http.max-body-kb', '1'));
    const url = await start();
    const r = await fetch(`${url}/echo/big`, { method: 'POST', body: 'x'.repeat(2048) });
    expect(r.status).toBe(413);
    expect((await fetch(`${url}/echo/small`, { method: 'POST', body: 'x'.repeat(1000) })).status).toBe(200);
  });

  it('writes its address for crm daemon status, uses http.public-url for outside links, removes the file on stop', async () => {
    const url = await start({});
    await server.stop();
    await t.store.transaction(() => t.store.settings.set('http.public-url', 'https://crm.acme.example/hooks/'));
    const url2 = await start();
    expect(url2).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const file = join(t.dir, 'http.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ url: url2, publicUrl: 'https://crm.acme.example/hooks' });
    const r = await fetch(`${url2}/echo/p?x=1`, { method: 'POST', body: '' });
    expect((await r.json()).url).toBe('https://crm.acme.example/hooks/echo/p?x=1');
    await server.stop();
    expect(existsSync(file)).toBe(false);
  });

  it('is off when http.listen is off', async () => {
    server = new HttpServer({ deps: { store: t.store, env: { CRM_HTTP_LISTEN: 'off' }, log: () => {}, now: () => new Date() }, routes: [echo] });
    expect(await server.start()).toBeNull();
  });
});
