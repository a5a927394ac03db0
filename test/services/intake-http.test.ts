import { join } from 'node:path';
import twilio from 'twilio';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clientIp, INTAKE_ROUTES, TokenBuckets } from '../../src/daemon/http/intake.js';
import { HttpServer } from '../../src/daemon/http/server.js';
import { addForm, hashToken, intakeLog, mapSubmission, parseFieldMap, parseRate, Refusal, removeForm, submitForm, tokenMatches } from '../../src/services/intake/forms.js';
import { receiveTwilioMessage } from '../../src/services/intake/twilio-inbound.js';
import { addLeadAs, FIXED_NOW, testTeam, type TestTeam } from '../helpers/store.js';

describe('intake forms: mapping, rates, tokens', () => {
  it('maps configured fields first, then common names; keeps unknown fields under the message', () => {
    const form = { fields: parseFieldMap('your-name=name, tel=phone, ref=custom:referral, utm=ignore'), honeypot: 'hp' };
    const m = mapSubmission(form, { 'your-name': 'Ana Lima', 'Your-Email': 'ana@lima.example', tel: ['+351 1', '+351 2'], Company_Name: 'Lima SA', comments: 'Hello', ref: 'fair', utm: 'x', hp: '', token: 'secret', size: 'L' });
    expect(m.lead).toMatchObject({ name: 'Ana Lima', emails: ['ana@lima.example'], phones: ['+351 1', '+351 2'], businessName: 'Lima SA', custom: { referral: 'fair' } });
    expect(m.message.text).toBe('Hello\n\nsize: L');
    expect(m.extra).toEqual({ size: 'L' });
    expect(mapSubmission({ fields: {}, honeypot: null }, { first_name: 'Rui', 'last-name': 'Sá', email: 'rui@sa.example' }).lead.name).toBe('Rui Sá');
  });

  it('refuses bad --fields and --rate values with the accepted forms in the hint', () => {
    expect(() => parseFieldMap('a=b')).toThrow(/invalid fields entry 'a=b'/);
    expect(() => parseFieldMap('=name')).toThrow(/invalid fields/);
    expect(parseRate('10/min')).toEqual({ count: 10, seconds: 60 });
    expect(parseRate('2/s')).toEqual({ count: 2, seconds: 1 });
    expect(parseRate('100/hour')).toEqual({ count: 100, seconds: 3600 });
    expect(() => parseRate('0/min')).toThrow(/invalid rate/);
    expect(() => parseRate('ten')).toThrow(/invalid rate/);
  });

  it('compares tokens by hash', () => {
    const h = hashToken('crmf_abc');
    expect(tokenMatches('crmf_abc', h)).toBe(true);
    expect(tokenMatches('crmf_abd', h)).toBe(false);
    expect(tokenMatches('crmf_abc', 'short')).toBe(false);
  });

  it('token buckets: capacity, then a wait that refills one at the rate', () => {
    const b = new TokenBuckets();
    const t0 = 1_000_000;
    expect(b.take('k', 2, 60, t0).ok).toBe(true);
    expect(b.take('k', 2, 60, t0).ok).toBe(true);
    expect(b.take('k', 2, 60, t0)).toEqual({ ok: false, retryAfter: 30, first: true });
    expect(b.take('k', 2, 60, t0 + 1000)).toEqual({ ok: false, retryAfter: 29, first: false });
    expect(b.take('other', 2, 60, t0).ok).toBe(true);
    expect(b.take('k', 2, 60, t0 + 30_000).ok).toBe(true);
    expect(b.take('k', 2, 60, t0 + 30_000)).toMatchObject({ ok: false, first: true });
  });

  it('trusts X-Forwarded-For only from a proxy on loopback', () => {
    expect(clientIp({ remote: '127.0.0.1', headers: { 'x-forwarded-for': '1.2.3.4, 5.6.7.8' } })).toBe('5.6.7.8');
    expect(clientIp({ remote: '::ffff:127.0.0.1', headers: { 'x-forwarded-for': '9.9.9.9' } })).toBe('9.9.9.9');
    expect(clientIp({ remote: '198.51.100.7', headers: { 'x-forwarded-for': '1.2.3.4' } })).toBe('198.51.100.7');
    expect(clientIp({ remote: '127.0.0.1', headers: {} })).toBe('127.0.0.1');
  });
});

describe('intake services with a real store', () => {
  let t: TestTeam;
  beforeEach(async () => {
    t = await testTeam();
  });
  afterEach(() => t.close());

  it('only managers and admins manage forms; the token is returned once and only its hash stored', async () => {
    await expect(addForm(t.as(t.ravi), { env: {} }, 'website', {})).rejects.toThrow(/may not add intake forms/);
    const f = await addForm(t.as(t.manager), { env: {} }, 'website', { source: 'Website', tag: ['web'], rate: '5/min' });
    expect(f.token).toMatch(/^crmf_/);
    expect(f).toMatchObject({ endpoint: 'http://127.0.0.1:8765/intake/form/website', source: 'Website', tags: ['web'], rate: '5/min', actsAs: 'meera@acme.example' });
    const stored = (await t.store.intakeForms.byName('WEBSITE'))!;
    expect(stored.tokenHash).toBe(hashToken(f.token));
    expect(JSON.stringify(stored)).not.toContain(f.token);
    await expect(addForm(t.as(t.admin), { env: {} }, 'website', {})).rejects.toThrow(/exists/);
    await t.store.transaction(() => t.store.settings.set('http.public-url', 'https://crm.acme.example/'));
    expect((await addForm(t.as(t.admin), { env: {} }, 'chat', {})).endpoint).toBe('https://crm.acme.example/intake/form/chat');
    await removeForm(t.as(t.admin), 'chat');
    await expect(removeForm(t.as(t.admin), 'chat')).rejects.toThrow(/no intake form 'chat'/);
    await expect(intakeLog(t.as(t.admin), { channel: 'fax' })).rejects.toThrow(/invalid channel 'fax'/);
    await expect(intakeLog(t.as(t.ravi), {})).rejects.toThrow(/may not see the intake log/);
    await t.store.transaction(() => t.store.settings.set('http.listen', 'off'));
    expect((await addForm(t.as(t.admin), { env: {} }, 'off', {})).endpoint).toBeNull();
  });

  it('a submission with an invalid email and no phone is refused (422) and leaves nothing behind', async () => {
    await addForm(t.as(t.admin), { env: {} }, 'website', {});
    const form = (await t.store.intakeForms.byName('website'))!;
    const before = await t.store.leads.list({});
    const err = await submitForm(t.store, FIXED_NOW, form, { name: 'Bad Mail', email: 'nope' }, { remote: '1.2.3.4' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Refusal);
    expect((err as Refusal).status).toBe(422);
    expect(await t.store.leads.list({})).toEqual(before);
    const ok = await submitForm(t.store, FIXED_NOW, form, { name: 'Good Mail', email: 'bad', phone: '+351912345678' }, { remote: '1.2.3.4' });
    expect(ok).toMatchObject({ outcome: 'created', dropped: ['bad'] });
  });

  it('Twilio messages: one lead per MessageSid, STOP on a known number opts out every live lead with it', async () => {
    const lead = await addLeadAs(t, t.admin, { name: 'Known', phones: ['+14155550111'], emails: [] });
    const r1 = await receiveTwilioMessage(t.store, FIXED_NOW, { MessageSid: 'SM1', From: '+14155550111', To: '+15005550006', Body: 'hello' });
    expect(r1).toMatchObject({ result: 'accepted', leadId: lead.id, outcome: 'existing' });
    expect(await receiveTwilioMessage(t.store, FIXED_NOW, { MessageSid: 'SM1', From: '+14155550111', Body: 'hello' })).toMatchObject({ result: 'duplicate', leadId: null });
    expect((await t.store.activities.forLead(lead.id)).filter((a) => a.type === 'intake')).toHaveLength(1);
    expect(await receiveTwilioMessage(t.store, FIXED_NOW, { MessageSid: 'SM2', From: '+14155550111', Body: 'Stop' })).toMatchObject({ result: 'opt-out', leadId: lead.id });
    expect(await t.store.optOuts.list('lead', lead.id)).toEqual(['sms']);
    await expect(receiveTwilioMessage(t.store, FIXED_NOW, { MessageSid: 'SM3', From: 'not a number', Body: 'x' })).rejects.toThrow(/not a valid phone number/);
    await expect(receiveTwilioMessage(t.store, FIXED_NOW, { From: '+14155550111', Body: 'x' })).rejects.toThrow(/no MessageSid/);
  });

  it('checks the Twilio signature against http.public-url (what Twilio signed), not the listen address', async () => {
    await t.store.transaction(async () => {
      await t.store.settings.set('http.public-url', 'https://crm.acme.example/hooks');
      await t.store.settings.set('twilio.auth-token', 'stored-token');
    });
    const logs: string[] = [];
    const server = new HttpServer({ deps: { store: t.store, env: { CRM_HTTP_LISTEN: '127.0.0.1:0', CRM_TWILIO_AUTH_TOKEN: 'env-token' }, log: (l, m) => logs.push(`${l} ${m}`), now: () => FIXED_NOW }, routes: INTAKE_ROUTES, addressFile: join(t.dir, 'http.json') });
    const url = (await server.start())!;
    try {
      const params = { MessageSid: 'SM9', From: '+14155550112', To: '+15005550006', Body: 'hi' };
      const post = (signedUrl: string, token: string) =>
        fetch(`${url}/intake/twilio`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilio.getExpectedTwilioSignature(token, signedUrl, params) }, body: new URLSearchParams(params).toString() });
      expect((await post(`${url}/intake/twilio`, 'env-token')).status).toBe(403);
      expect((await post('https://crm.acme.example/hooks/intake/twilio', 'stored-token')).status).toBe(403);
      expect((await post('https://crm.acme.example/hooks/intake/twilio', 'env-token')).status).toBe(200);
      expect(logs.some((l) => l.startsWith('warn') && l.includes('bad X-Twilio-Signature for https://crm.acme.example/hooks/intake/twilio'))).toBe(true);
    } finally {
      await server.stop();
    }
  });
});
