import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import twilio from 'twilio';
import { resolvePaths } from '../../src/config.js';
import { openStore } from '../../src/store/index.js';
import { teamHome, type Home } from '../helpers/cli.js';
import { daemonHttpUrl, daemonTracker, LIVE } from '../helpers/daemon.js';

const tracked = daemonTracker();

/** The token line of `crm intake form add|rotate-token`. */
const tokenOf = (out: string) => /Token:\s+(\S+)/.exec(out)![1]!;

describe('HTTP intake against the running daemon (built binary)', () => {
  let h: Home;
  let url: string;
  let token: string;
  let ipCounter = 0;
  /** A distinct client address per request group (the daemon trusts X-Forwarded-For from loopback), so rate limits do not leak between tests. */
  const ip = () => `203.0.113.${++ipCounter}`;
  const leads = async () => (await h.json(['lead', 'list'])) as { id: number; name: string; source: string | null; emails: string[]; phones: string[]; tags: string[] }[];
  const log = async (args: string[] = []) => (await h.json(['intake', 'log', ...args])) as { status: number; result: string; reason: string | null; leadId: number | null; outcome: string | null; channel: string; ref: string }[];

  beforeAll(async () => {
    h = tracked.home(await teamHome());
    const out = await h.ok(['intake', 'form', 'add', 'website', '--fields', 'your-name=name,your-email=email,tel=phone,company=company,msg=message', '--source', 'Website', '--tag', 'web', '--honeypot', 'hp_field', '--origin', 'https://acme.example']);
    token = tokenOf(out);
    expect(out).toMatch(/Endpoint: http:\/\/127\.0\.0\.1:0\/intake\/form\/website/);
    await h.ok(['intake', 'form', 'add', 'contact', '--redirect', 'https://acme.example/thanks', '--source', 'Website']);
    await h.ok(['config', 'set', 'http.max-body-kb', '4']);
    await h.ok(['config', 'set', 'twilio.auth-token', 'twilio-secret-token']);
    await h.ok(['daemon', 'start'], LIVE);
    url = await daemonHttpUrl(h);
  }, 60_000);
  afterAll(() => tracked.teardown());

  const postForm = (name: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(`${url}/intake/form/${name}`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': ip(), ...headers }, body: new URLSearchParams(fields).toString() });
  const postJson = (name: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${url}/intake/form/${name}`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/json', 'x-forwarded-for': ip(), ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

  it('shows the endpoint of the running daemon, never the token', async () => {
    const show = await h.json(['intake', 'form', 'show', 'website']);
    expect(show).toMatchObject({ name: 'website', endpoint: `${url}/intake/form/website`, source: 'Website', tags: ['web'], honeypot: 'hp_field', rate: '10/min', origin: 'https://acme.example' });
    expect(JSON.stringify(show)).not.toContain(token);
    expect(JSON.stringify(await h.json(['intake', 'form', 'list']))).not.toContain(token);
  });

  it('a JSON post with the bearer token creates a lead with the mapped fields: 201 {lead, outcome}', async () => {
    const r = await postJson('website', { 'your-name': 'Nina Costa', 'your-email': 'nina@costa.example', tel: '+351 912 345 678', company: 'Costa Lda', msg: 'Need 40 units', budget: '5k' }, { authorization: `Bearer ${token}` });
    expect(r.status).toBe(201);
    const body = await r.json();
    expect(body).toMatchObject({ ok: true, outcome: 'created' });
    const lead = (await leads()).find((l) => l.id === body.lead)!;
    expect(lead).toMatchObject({ name: 'Nina Costa', source: 'Website', emails: ['nina@costa.example'], phones: ['+351912345678'], tags: ['web'] });
    const show = await h.json(['lead', 'show', String(body.lead)]);
    const entry = show.timeline.find((a: { type: string }) => a.type === 'intake');
    expect(entry.body).toContain('Need 40 units');
    expect(entry.body).toContain('budget: 5k');
    expect(JSON.stringify(entry.data)).not.toContain(token);
    expect((await log(['--form', 'website']))[0]).toMatchObject({ status: 201, result: 'accepted', leadId: body.lead, channel: 'form' });
  });

  it('an urlencoded post with the token as a field and default field names; a second one from the same email lands on the timeline; a public token is told nothing', async () => {
    const r = await postForm('website', { token, name: 'Omar Haddad', email: 'omar@haddad.example', message: 'Call me' });
    expect(r.status).toBe(201);
    // The token sat in a public page: the answer says neither the lead nor whether the email was known.
    expect(await r.json()).toEqual({ ok: true });
    const again = await postForm(`website?token=${encodeURIComponent(token)}`, { name: 'Omar H.', email: 'omar@haddad.example', message: 'Still interested' });
    expect(again.status).toBe(201);
    expect(await again.json()).toEqual({ ok: true });
    const first = { lead: (await leads()).find((l) => l.emails.includes('omar@haddad.example'))!.id };
    expect((await log(['--form', 'website'])).slice(0, 2).map((e) => e.outcome)).toEqual(['existing', 'created']);
    const show = await h.json(['lead', 'show', String(first.lead)]);
    expect(show.timeline.filter((a: { type: string }) => a.type === 'intake').map((a: { body: string }) => a.body)).toEqual(expect.arrayContaining(['Call me', 'Still interested']));
  });

  it('a browser form post to a form with --redirect gets 303 to it', async () => {
    const contactToken = tokenOf(await h.ok(['intake', 'form', 'rotate-token', 'contact']));
    const r = await postForm('contact', { token: contactToken, name: 'Zoe Park', email: 'zoe@park.example' });
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe('https://acme.example/thanks');
    expect((await leads()).some((l) => l.name === 'Zoe Park')).toBe(true);
  });

  it('refuses a missing token (401), a bad token (403), an unknown form (404), malformed JSON (400), multipart (415) and no contact (422), storing no lead', async () => {
    const before = (await leads()).length;
    const none = await postJson('website', { name: 'No Token', email: 'nt@x.example' });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect((await postJson('website', { name: 'Bad Token', email: 'bt@x.example' }, { authorization: 'Bearer crmf_wrong' })).status).toBe(403);
    expect((await postForm('website', { token: `${token}x`, name: 'Bad Token', email: 'bt@x.example' })).status).toBe(403);
    expect((await postJson('nosuchform', { name: 'X', email: 'x@x.example' }, { authorization: `Bearer ${token}` })).status).toBe(404);
    const malformed = await postJson('website', '{"name": "Half', { authorization: `Bearer ${token}` });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({ error: 'the body is not valid JSON' });
    const multipart = new FormData();
    multipart.set('name', 'Multi');
    const mp = await fetch(`${url}/intake/form/website`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': ip() }, body: multipart });
    expect(mp.status).toBe(415);
    expect((await mp.json()).error).toMatch(/multipart\/form-data is not accepted/);
    const nocontact = await postJson('website', { 'your-name': 'Only A Name', msg: 'hi' }, { authorization: `Bearer ${token}` });
    expect(nocontact.status).toBe(422);
    expect((await nocontact.json()).error).toMatch(/no email or phone/);
    const badcontact = await postJson('website', { 'your-name': 'Bad Email', 'your-email': 'not-an-email' }, { authorization: `Bearer ${token}` });
    expect(badcontact.status).toBe(422);
    expect((await leads()).length).toBe(before);
    const entries = await log(['--limit', '8']);
    expect(entries.map((e) => [e.status, e.result])).toEqual(expect.arrayContaining([[401, 'refused'], [403, 'refused'], [404, 'refused'], [400, 'refused'], [415, 'refused'], [422, 'refused']]));
    expect(entries.find((e) => e.status === 403)!.reason).toBe('bad token');
    const daemonLog = await h.ok(['daemon', 'logs'], LIVE);
    expect(daemonLog).toMatch(/intake form website from 203\.0\.113\.\d+: 403 refused — bad token/);
    expect(daemonLog).toMatch(/intake form nosuchform from .*: 404 refused — no intake form 'nosuchform'/);
  });

  it('concurrent submissions each get their own transaction: all stored, each logged once', async () => {
    const before = (await leads()).length;
    const posts = await Promise.all(Array.from({ length: 12 }, (_, i) =>
      postJson('website', { 'your-name': `Burst ${i}`, 'your-email': `burst${i}@x.example`, msg: `m${i}` }, { authorization: `Bearer ${token}` })));
    expect(posts.map((r) => r.status)).toEqual(Array(12).fill(201));
    const ids = new Set(await Promise.all(posts.map(async (r) => (await r.json()).lead)));
    expect(ids.size).toBe(12);
    expect((await leads()).length).toBe(before + 12);
    const logged = (await log(['--form', 'website', '--limit', '50'])).filter((e) => e.leadId !== null && ids.has(e.leadId));
    expect(logged).toHaveLength(12);
  });

  it('answers a filled honeypot as accepted but stores only a spam log entry', async () => {
    const before = (await leads()).length;
    const r = await postForm('website', { token, name: 'Spam Bot', email: 'bot@spam.example', hp_field: 'http://buy.example' });
    // Exactly what a real submission with a public token gets.
    expect(r.status).toBe(201);
    expect(await r.json()).toEqual({ ok: true });
    expect((await leads()).length).toBe(before);
    expect((await log(['--form', 'website']))[0]).toMatchObject({ result: 'spam', reason: 'honeypot field hp_field filled', leadId: null });
  });

  it('refuses a body over http.max-body-kb with 413 and logs it', async () => {
    const before = (await leads()).length;
    const r = await postJson('website', { 'your-name': 'Big', 'your-email': 'big@x.example', msg: 'x'.repeat(5000) }, { authorization: `Bearer ${token}` });
    expect(r.status).toBe(413);
    expect((await leads()).length).toBe(before);
    expect((await log(['--form', 'website']))[0]).toMatchObject({ status: 413, result: 'refused', reason: 'body larger than 4096 bytes' });
  });

  it('rate-limits per client IP: 429 with Retry-After, other clients still accepted', async () => {
    // 2 a day: the bucket gets its next token in 12 hours, so however slow the machine, no
    // request below finds it refilled (2/min refilled one every 30 s).
    await h.ok(['intake', 'form', 'add', 'tight', '--rate', '2/day']);
    const t = tokenOf(await h.ok(['intake', 'form', 'rotate-token', 'tight']));
    const client = ip();
    const send = (n: number, from = client) => postJson('tight', { name: `Rate ${n}`, email: `rate${n}@x.example` }, { authorization: `Bearer ${t}`, 'x-forwarded-for': from });
    expect((await send(1)).status).toBe(201);
    expect((await send(2)).status).toBe(201);
    const limited = await send(3);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await leads()).some((l) => l.name === 'Rate 3')).toBe(false);
    expect((await send(5)).status).toBe(429);
    expect((await send(4, ip())).status).toBe(201);
    const entries = await log(['--form', 'tight']);
    expect(entries.map((e) => e.status)).toEqual([201, 429, 201, 201]);
  });

  it('answers the CORS preflight of the configured origin only', async () => {
    const ok = await fetch(`${url}/intake/form/website`, { method: 'OPTIONS', headers: { origin: 'https://acme.example', 'access-control-request-method': 'POST' } });
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://acme.example');
    expect(ok.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    const other = await fetch(`${url}/intake/form/website`, { method: 'OPTIONS', headers: { origin: 'https://evil.example' } });
    expect(other.status).toBe(403);
    const post = await postJson('website', { 'your-name': 'Cors Lee', 'your-email': 'cors@lee.example' }, { authorization: `Bearer ${token}`, origin: 'https://acme.example' });
    expect(post.status).toBe(201);
    expect(post.headers.get('access-control-allow-origin')).toBe('https://acme.example');
  });

  it('rotate-token: the old token stops working; remove: the endpoint answers 404', async () => {
    await h.ok(['intake', 'form', 'add', 'temp']);
    const t1 = tokenOf(await h.ok(['intake', 'form', 'rotate-token', 'temp']));
    const t2 = tokenOf(await h.ok(['intake', 'form', 'rotate-token', 'temp']));
    expect((await postJson('temp', { name: 'Rot One', email: 'rot1@x.example' }, { authorization: `Bearer ${t1}` })).status).toBe(403);
    expect((await postJson('temp', { name: 'Rot Two', email: 'rot2@x.example' }, { authorization: `Bearer ${t2}` })).status).toBe(201);
    await h.ok(['intake', 'form', 'remove', '--yes', 'temp']);
    expect((await postJson('temp', { name: 'Rot Three', email: 'rot3@x.example' }, { authorization: `Bearer ${t2}` })).status).toBe(404);
  });

  describe('Twilio inbound SMS and WhatsApp', () => {
    const AUTH = 'twilio-secret-token';
    let sid = 0;
    const message = (p: Record<string, string>) => ({ MessageSid: `SM${String(++sid).padStart(32, '0')}`, AccountSid: 'AC123', To: '+15005550006', NumMedia: '0', ...p });
    const signed = (params: Record<string, string>, signature?: string) =>
      fetch(`${url}/intake/twilio`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature ?? twilio.getExpectedTwilioSignature(AUTH, `${url}/intake/twilio`, params) },
        body: new URLSearchParams(params).toString(),
      });
    /** Read from the store the CLI uses (located as the CLI locates it), through the factory. */
    const optOuts = async (leadId: number) => {
      const store = await openStore(resolvePaths({ CRM_HOME: h.dir, HOME: h.dir }).dbFile);
      try {
        return await store.optOuts.list('lead', leadId);
      } finally {
        store.close();
      }
    };

    it('a WhatsApp message from an unknown number creates a lead with source WhatsApp; empty TwiML', async () => {
      const r = await signed(message({ From: 'whatsapp:+14155550101', To: 'whatsapp:+15005550006', Body: 'Hi, price for 100 units?', ProfileName: 'Lena Fischer' }));
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toMatch(/^text\/xml/);
      expect(await r.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
      const lead = (await leads()).find((l) => l.phones.includes('+14155550101'))!;
      expect(lead).toMatchObject({ name: 'Lena Fischer', source: 'WhatsApp' });
      const show = await h.json(['lead', 'show', String(lead.id)]);
      expect(show.timeline.find((a: { type: string }) => a.type === 'intake')).toMatchObject({ body: 'Hi, price for 100 units?', data: { channel: 'whatsapp', ref: '+15005550006' } });
    });

    it('an SMS from a known number lands on its timeline; the same MessageSid again stores nothing', async () => {
      const { id } = (await h.json(['lead', 'add', '--name', 'Known Sender', '--phone', '+14155550102'])).lead;
      const params = message({ From: '+14155550102', Body: 'Can we meet Friday?' });
      expect((await signed(params)).status).toBe(200);
      const intakes = async () => (await h.json(['lead', 'show', String(id)])).timeline.filter((a: { type: string }) => a.type === 'intake');
      expect((await intakes()).map((a: { body: string }) => a.body)).toEqual(['Can we meet Friday?']);
      const count = (await leads()).length;
      const replay = await signed(params);
      expect(replay.status).toBe(200);
      expect(await intakes()).toHaveLength(1);
      expect((await leads()).length).toBe(count);
      expect((await log())[0]).toMatchObject({ result: 'duplicate', channel: 'sms' });
    });

    it('a new SMS sender gets source SMS (created if missing)', async () => {
      expect((await signed(message({ From: '+14155550109', Body: 'Quote please' }))).status).toBe(200);
      expect((await leads()).find((l) => l.phones.includes('+14155550109'))).toMatchObject({ source: 'SMS', name: '+14155550109' });
    });

    it('a forged or missing signature is refused with 403, logged, and nothing stored', async () => {
      const count = (await leads()).length;
      const params = message({ From: '+14155550103', Body: 'forged' });
      const forged = await signed(params, twilio.getExpectedTwilioSignature('not-the-token', `${url}/intake/twilio`, params));
      expect(forged.status).toBe(403);
      const tampered = await signed({ ...params, Body: 'changed' }, twilio.getExpectedTwilioSignature(AUTH, `${url}/intake/twilio`, params));
      expect(tampered.status).toBe(403);
      const missing = await fetch(`${url}/intake/twilio`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params).toString() });
      expect(missing.status).toBe(403);
      expect((await leads()).length).toBe(count);
      const entries = await log(['--limit', '3']);
      expect(entries.map((e) => [e.status, e.result])).toEqual([[403, 'refused'], [403, 'refused'], [403, 'refused']]);
      expect(entries[0]!.reason).toBe('no X-Twilio-Signature');
      expect(entries[1]!.reason).toMatch(/bad X-Twilio-Signature/);
      expect(await h.ok(['daemon', 'logs'], LIVE)).toMatch(/intake sms \+15005550006 from .*: 403 refused — bad X-Twilio-Signature/);
    });

    it('STOP opts the sender out of that channel with a timeline entry; START opts back in', async () => {
      const { id } = (await h.json(['lead', 'add', '--name', 'Stopper', '--phone', '+14155550104'])).lead;
      expect((await signed(message({ From: 'whatsapp:+14155550104', Body: 'stop' }))).status).toBe(200);
      await expect(optOuts(id)).resolves.toEqual(['whatsapp']);
      expect((await signed(message({ From: '+14155550104', Body: ' UNSUBSCRIBE ' }))).status).toBe(200);
      await expect(optOuts(id)).resolves.toEqual(['sms', 'whatsapp']);
      const timeline = (await h.json(['lead', 'show', String(id)])).timeline;
      expect(timeline.filter((a: { type: string }) => a.type === 'opt-out')).toHaveLength(2);
      expect(timeline.some((a: { type: string }) => a.type === 'intake')).toBe(false);
      expect((await signed(message({ From: 'whatsapp:+14155550104', Body: 'START' }))).status).toBe(200);
      await expect(optOuts(id)).resolves.toEqual(['sms']);
      expect((await h.json(['lead', 'show', String(id)])).timeline.some((a: { type: string }) => a.type === 'opt-in')).toBe(true);
      expect((await log(['--channel', 'whatsapp']))[0]).toMatchObject({ result: 'opt-in', leadId: id, channel: 'whatsapp' });
      expect((await log(['--channel', 'sms']))[0]).toMatchObject({ result: 'opt-out', leadId: id, channel: 'sms' });
    });

    it('a STOP from an unknown number creates no lead', async () => {
      const count = (await leads()).length;
      expect((await signed(message({ From: '+14155550105', Body: 'STOP' }))).status).toBe(200);
      expect((await leads()).length).toBe(count);
    });
  });
});
