/**
 * The portal's routes on the daemon's HTTP server, in process (the browser test drives the pages):
 * the portal off answers 404 everywhere; the session cookie is Secure when http.public-url is
 * https; the login form is rate-limited per remote address; forms need their CSRF token.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HttpServer } from '../src/daemon/http/server.js';
import { addPerson } from '../src/services/leads/persons.js';
import { invite, setPortal } from '../src/services/portal/service.js';
import { setSetting } from '../src/services/settings/service.js';
import { cookieOf, csrfIn, startPortal } from './helpers/portal.js';
import { addLeadAs, testTeam, type TestTeam } from './helpers/store.js';

let t: TestTeam;
let server: HttpServer | undefined;
beforeEach(async () => {
  t = await testTeam();
});
afterEach(async () => {
  await server?.stop();
  server = undefined;
  await t.close();
});

async function start(limit = 10): Promise<string> {
  const started = await startPortal(t, { limit });
  server = started.server;
  return started.url;
}

describe('portal routes', () => {
  it('off: every /portal path is a 404, GET and POST, signed in or not', async () => {
    const url = await start();
    for (const path of ['/portal', '/portal/', '/portal/login', '/portal/orders/1', '/portal/style.css', '/portal/login/abcdefghijklmnopqrstuvwxyz']) {
      expect((await fetch(`${url}${path}`, { redirect: 'manual' })).status, path).toBe(404);
      expect((await fetch(`${url}${path}`, { method: 'POST', redirect: 'manual' })).status, path).toBe(404);
    }
  });

  it('sign-in behind an https public URL sets a Secure, HttpOnly, SameSite=Lax cookie on /portal; the Sign in form needs its token', async () => {
    await setPortal(t.as(t.admin), { on: true });
    await setSetting(t.as(t.admin), 'http.public-url', 'https://crm.acme.example');
    const url = await start();
    const lead = await addLeadAs(t, t.admin, { name: 'Sousa Lda', kind: 'company', emails: ['rui@sousa.example'] });
    const person = await addPerson(t.as(t.admin), lead.id, { name: 'Ana', email: 'ana@sousa.example', portal: true });
    const r = await invite(t.as(t.admin), `person:${person.id}`, 'https://crm.acme.example');
    const text = (await t.store.outbox.byKey(r.outboxKey))!.content!.text;
    const path = /https:\/\/crm\.acme\.example(\/portal\/login\/\S+)/.exec(text)![1]!;

    const page = await fetch(`${url}${path}`);
    expect(page.status).toBe(200);
    const pre = cookieOf(page, 'crm_portal_pre')!;
    expect(pre).toMatch(/; Path=\/portal; HttpOnly; SameSite=Lax; Secure; Max-Age=3600$/);
    const csrf = await csrfIn(page);
    // Without the cookie or the token: refused, and the link still works.
    expect((await fetch(`${url}${path}`, { method: 'POST', body: new URLSearchParams({ csrf }), redirect: 'manual' })).status).toBe(403);
    expect((await fetch(`${url}${path}`, { method: 'POST', headers: { cookie: pre.split(';')[0]! }, redirect: 'manual' })).status).toBe(403);
    const signed = await fetch(`${url}${path}`, { method: 'POST', headers: { cookie: pre.split(';')[0]! }, body: new URLSearchParams({ csrf }), redirect: 'manual' });
    expect(signed.status).toBe(303);
    expect(signed.headers.get('location')).toBe('/portal/');
    expect(cookieOf(signed, 'crm_portal')).toMatch(/^crm_portal=[A-Za-z0-9_-]{43}; Path=\/portal; HttpOnly; SameSite=Lax; Secure; Max-Age=43200$/);
    const session = cookieOf(signed, 'crm_portal')!.split(';')[0]!;
    const home = await fetch(`${url}/portal/`, { headers: { cookie: session } });
    expect(home.status).toBe(200);
    expect(home.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await home.text()).toContain('<h1>Welcome, Ana</h1>');
  });

  it('the login form: the same answer for any address, its CSRF token checked, at most N requests per remote address', async () => {
    await setPortal(t.as(t.admin), { on: true });
    const url = await start(2);
    const form = await fetch(`${url}/portal/login`);
    const pre = cookieOf(form, 'crm_portal_pre')!.split(';')[0]!;
    const csrf = await csrfIn(form);
    const ask = (email: string, token = csrf) => fetch(`${url}/portal/login`, { method: 'POST', headers: { cookie: pre }, body: new URLSearchParams({ email, csrf: token }), redirect: 'manual' });
    expect((await ask('x@y.example', 'wrong')).status).toBe(403);
    const a = await ask('nobody@y.example');
    expect([a.status, a.headers.get('location')]).toEqual([303, '/portal/login?sent=1']);
    const b = await ask('rui@sousa.example');
    expect([b.status, b.headers.get('location')]).toEqual([303, '/portal/login?sent=1']);
    const c = await ask('nobody@y.example');
    expect(c.status).toBe(429);
    expect(c.headers.get('retry-after')).toBe('900');
  });
});
