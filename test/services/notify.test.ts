import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError } from '../../src/errors.js';
import { addLead, addNote, loseLead } from '../../src/services/leads/service.js';
import { setOptOut, setRule, listInbox, readInbox, setUserPhone } from '../../src/services/notify/service.js';
import { runNotAttempted } from '../../src/services/notify/time-rules.js';
import { webhookSignature, messageId } from '../../src/services/notify/channels.js';
import { Deliverer } from '../../src/services/outbox/deliver.js';
import { retryOutbox } from '../../src/services/outbox/service.js';
import { listSettings, setSetting } from '../../src/services/settings/service.js';
import { JOBS, runDueJobs } from '../../src/daemon/jobs.js';
import { aLead, FIXED_NOW, testTeam, type TestTeam } from '../helpers/store.js';
import { startSmtp, startTwilio, type Smtp } from '../helpers/notify-servers.js';

let team: TestTeam;
beforeEach(async () => {
  team = await testTeam();
});
afterEach(() => team.close());

const at = (minutes: number) => new Date(FIXED_NOW.getTime() + minutes * 60_000);
const env = () => ({ CRM_HOME: team.dir });

async function withSmtp(t: TestTeam, smtp: Smtp) {
  const admin = t.as(t.admin);
  await setSetting(admin, 'smtp.host', '127.0.0.1');
  await setSetting(admin, 'smtp.port', String(smtp.port));
  await setSetting(admin, 'smtp.ignore-tls', 'true');
  await setSetting(admin, 'smtp.from', 'crm@acme.example');
}

describe('outbox rows are written with the event (N2, N4)', () => {
  it('a new lead notifies its rep and the admins in the inbox (email skipped while SMTP is not configured)', async () => {
    const { lead } = await addLead(team.as(team.admin), aLead({ name: 'Anita Desai', assign: ['ravi@acme.example'] }));
    const rows = await team.store.outbox.list({});
    expect(rows.map((r) => [r.rule, r.channel, r.recipientId]).sort()).toEqual([
      ['new-lead', 'inbox', team.admin.id], ['new-lead', 'inbox', team.ravi.id],
    ].sort());
    expect(rows[0]!.vars.contact_name).toBe('Anita Desai');
    expect(rows.every((r) => r.leadId === lead.id && r.status === 'pending')).toBe(true);
  });

  it('a failed lead insert leaves no notification (same transaction)', async () => {
    await expect(addLead(team.as(team.admin), aLead({ name: 'X', stage: 'No such stage' }))).rejects.toThrow(/stage/);
    expect(await team.store.outbox.list({})).toEqual([]);
  });

  it('a refused duplicate is announced to the rep and admins though the lead is not stored', async () => {
    await addLead(team.as(team.admin), aLead({ name: 'Anita', emails: ['anita@x.example'], assign: ['ravi@acme.example'] }));
    const err = await addLead(team.as(team.manager), aLead({ name: 'Anita again', emails: ['anita@x.example'] })).catch((e) => e);
    expect(err).toBeInstanceOf(ConflictError);
    const dup = (await team.store.outbox.list({})).filter((r) => r.rule === 'duplicate-lead');
    expect(dup.map((r) => r.recipientId).sort()).toEqual([team.admin.id, team.ravi.id].sort());
    expect(dup[0]!.vars.attempted_name).toBe('Anita again');
    expect(dup[0]!.vars.matched).toBe('email anita@x.example');
  });

  it("a rep's attempt at another rep's contact goes to that lead's owner only, with the rep's input (U2)", async () => {
    const { lead } = await addLead(team.as(team.admin), aLead({ name: 'Anita', emails: ['anita@x.example'], assign: ['ravi@acme.example'] }));
    const err = await addLead(team.as(team.priya), aLead({ name: 'Anita again', emails: ['anita@x.example'], phones: ['+351912000111'] })).catch((e) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect(err.fix).toEqual({ id: 'lead.ask-owner', names: [team.ravi.name], role: 'owner' });
    const rows = (await team.store.outbox.list({})).filter((r) => r.rule === 'contact-attempt' || r.rule === 'duplicate-lead');
    expect(rows.map((r) => [r.rule, r.channel, r.recipientId, r.leadId])).toEqual([['contact-attempt', 'inbox', team.ravi.id, lead.id]]);
    expect(rows[0]!.vars).toMatchObject({
      attempted_name: 'Anita again', attempted_by: `${team.priya.name} (${team.priya.email})`, attempted_details: 'email anita@x.example, phone +351912000111', matched: 'email anita@x.example',
    });
  });

  it('re-engaged goes to the rep; a lost lead from IVR goes to the managers, one from a referral does not', async () => {
    const a = (await addLead(team.as(team.admin), aLead({ emails: ['ivr@x.example'], source: 'IVR', assign: ['ravi@acme.example'] }))).lead;
    const b = (await addLead(team.as(team.admin), aLead({ source: 'Referral', assign: ['ravi@acme.example'] }))).lead;
    await loseLead(team.as(team.admin, at(1)), a.id, 'Price');
    await loseLead(team.as(team.admin, at(1)), b.id, 'Price');
    const lost = (await team.store.outbox.list({})).filter((r) => r.rule === 'lost-lead');
    expect(lost.map((r) => [r.leadId, r.recipientId])).toEqual([[a.id, team.manager.id]]);
    expect(lost[0]!.vars.reason).toBe('Price');
    const r = await addLead(team.as(team.admin, at(2)), aLead({ emails: ['ivr@x.example'] }));
    expect(r.outcome).toBe('re-engaged');
    const re = (await team.store.outbox.list({})).filter((m) => m.rule === 're-engaged');
    expect(re.map((m) => m.recipientId)).toEqual([team.ravi.id]);
  });

  it('rules are switchable and their recipients configurable; opt-outs are honoured', async () => {
    await setRule(team.as(team.admin), 'new-lead', { to: ['rep'] });
    await setOptOut(team.as(team.ravi), {}, ['inbox'], true);
    await addLead(team.as(team.admin), aLead({ assign: ['ravi@acme.example', 'priya@acme.example'] }));
    expect((await team.store.outbox.list({})).map((r) => r.recipientId)).toEqual([team.priya.id]);
    await setRule(team.as(team.admin), 'new-lead', { on: false });
    await addLead(team.as(team.admin), aLead({ assign: ['priya@acme.example'] }));
    expect(await team.store.outbox.list({})).toHaveLength(1);
    await expect(setRule(team.as(team.ravi), 'new-lead', { on: true })).rejects.toThrow(/may not change notification rules/);
  });

  it('enqueueing the same message twice stores one row (idempotency key)', async () => {
    const msg = { key: 'k/1', rule: 'new-lead', channel: 'inbox' as const, recipientKind: 'user' as const, recipientId: team.ravi.id, address: null, leadId: null, vars: {} };
    expect(await team.store.outbox.enqueue([msg], FIXED_NOW.toISOString())).toBe(1);
    expect(await team.store.outbox.enqueue([msg], FIXED_NOW.toISOString())).toBe(0);
    expect(await team.store.outbox.list({})).toHaveLength(1);
  });
});

describe('not attempted (injected clock walking through a day)', () => {
  it('fires once, N minutes after creation, only for leads with no activity', async () => {
    await setSetting(team.as(team.admin), 'notify.not-attempted-minutes', '30');
    const quiet = (await addLead(team.as(team.admin), aLead({ assign: ['ravi@acme.example'] }))).lead;
    const touched = (await addLead(team.as(team.admin), aLead({ assign: ['priya@acme.example'] }))).lead;
    await addNote(team.as(team.priya, at(10)), touched.id, 'called, no answer');
    const late = (await addLead(team.as(team.admin, at(600)), aLead({ assign: ['ravi@acme.example'] }))).lead;
    const fired: [number, number][] = [];
    for (let m = 0; m <= 24 * 60; m++) {
      const n = await runNotAttempted(team.store, at(m));
      if (n) fired.push([m, n]);
    }
    expect(fired).toEqual([[30, 1], [630, 1]]);
    const rows = (await team.store.outbox.list({})).filter((r) => r.rule === 'not-attempted');
    expect(rows.map((r) => r.leadId).sort()).toEqual([quiet.id, late.id].sort());
    expect(rows.every((r) => r.recipientId === team.ravi.id && r.vars.minutes === '30')).toBe(true);
  });

  it('a daily job slept through runs once when the daemon catches up, not again', async () => {
    const log = () => undefined;
    const ctx = { store: team.store, env: {}, log };
    await setSetting(team.as(team.admin), 'notify.timezone', 'Asia/Kolkata');
    await setSetting(team.as(team.admin), 'daemon.time.outbox-prune', '19:00');
    // First start (09:00 UTC = 14:30 IST): a baseline for the daily jobs, only the minute jobs run.
    expect(await runDueJobs({ ...ctx, now: at(0) })).toEqual(JOBS.filter((j) => j.every === 'minute').map((j) => j.name));
    // 19:00 IST = 13:30 UTC. Asleep until 20:00 UTC; on waking the missed slot runs once.
    expect(await runDueJobs({ ...ctx, now: at(4 * 60) })).not.toContain('outbox.prune');
    expect(await runDueJobs({ ...ctx, now: at(11 * 60) })).toContain('outbox.prune');
    expect(await runDueJobs({ ...ctx, now: at(11 * 60 + 1) })).not.toContain('outbox.prune');
    expect((await team.store.jobs.get('outbox.prune'))!.lastRunAt).toBe(at(11 * 60).toISOString());
  });
});

describe('delivery', () => {
  let smtp: Smtp;
  beforeEach(async () => {
    smtp = await startSmtp({ user: 'crm', pass: 's3cret' });
  });
  afterEach(async () => {
    await smtp.stop();
  });

  it('emails reach a real SMTP server with the rendered template and the idempotency key as Message-ID', async () => {
    await withSmtp(team, smtp);
    await setSetting(team.as(team.admin), 'smtp.user', 'crm');
    const d = new Deliverer({ store: team.store, env: { ...env(), CRM_SMTP_PASS: 's3cret' } });
    try {
      const { lead } = await addLead(team.as(team.admin), aLead({ name: 'Anita Desai', businessName: 'Desai Exports', source: 'Website', assign: ['ravi@acme.example'] }));
      const r = await d.drain(at(0));
      expect(r).toEqual({ attempted: 4, sent: 4, failed: 0 });
      const mails = await smtp.waitFor(2);
      const toRavi = mails.find((m) => m.headers.get('to') && JSON.stringify(m.to).includes('ravi@acme.example'))!;
      expect(toRavi.subject).toBe(`New lead ${lead.id}: Anita Desai`);
      expect(toRavi.text).toContain('Business:  Desai Exports');
      expect(toRavi.text).toContain('Hello Ravi Kumar');
      const row = (await team.store.outbox.list({ statuses: ['sent'] })).find((m) => m.channel === 'email' && m.recipientId === team.ravi.id)!;
      expect(toRavi.messageId).toBe(messageId(row.key));
      expect(toRavi.headers.get('x-crm-idempotency-key')).toBe(row.key);
      const inbox = await listInbox(team.as(team.ravi), {});
      expect(inbox.map((i) => i.subject)).toEqual([`New lead ${lead.id}: Anita Desai (Website), assigned to Ravi Kumar. crm lead show ${lead.id}`]);
      expect(await readInbox(team.as(team.ravi), 'all')).toBe(1);
      expect(await listInbox(team.as(team.ravi), {})).toEqual([]);
    } finally {
      d.close();
    }
  });

  it('SMTP down: the row records the error and retries with backoff; SMTP up: delivered', async () => {
    await withSmtp(team, smtp);
    await setSetting(team.as(team.admin), 'smtp.user', 'crm');
    await setRule(team.as(team.admin), 'new-lead', { channels: ['email'], to: ['rep'] });
    smtp.down();
    const d = new Deliverer({ store: team.store, env: { ...env(), CRM_SMTP_PASS: 's3cret' } });
    try {
      await addLead(team.as(team.admin), aLead({ assign: ['ravi@acme.example'] }));
      expect((await d.drain(at(0))).failed).toBe(1);
      let [row] = await team.store.outbox.list({});
      expect(row!.status).toBe('failed');
      expect(row!.lastError).toMatch(/SMTP server unreachable|ECONNREFUSED|ECONNECTION/);
      expect(row!.nextAttemptAt).toBe(new Date(at(0).getTime() + 30_000).toISOString());
      expect((await d.drain(at(0.25))).attempted).toBe(0);
      smtp.up();
      expect((await d.drain(at(1))).sent).toBe(1);
      [row] = await team.store.outbox.list({});
      expect(row!.status).toBe('sent');
      expect(row!.attempts).toBe(2);
      expect(await smtp.waitFor(1)).toHaveLength(1);
    } finally {
      d.close();
    }
  });

  it('a wrong SMTP password is recorded; after N attempts the row is dead and can be retried', async () => {
    await withSmtp(team, smtp);
    await setSetting(team.as(team.admin), 'smtp.user', 'crm');
    await setSetting(team.as(team.admin), 'outbox.max-attempts', '2');
    await setRule(team.as(team.admin), 'new-lead', { channels: ['email'], to: ['rep'] });
    const d = new Deliverer({ store: team.store, env: { ...env(), CRM_SMTP_PASS: 'wrong' } });
    try {
      await addLead(team.as(team.admin), aLead({ assign: ['ravi@acme.example'] }));
      await d.drain(at(0));
      await d.drain(at(10));
      const [row] = await team.store.outbox.list({});
      expect(row!.status).toBe('dead');
      expect(row!.lastError).toMatch(/SMTP refused the login.*EAUTH/);
      const again = await retryOutbox(team.as(team.admin, at(11)), row!.id);
      expect(again.status).toBe('pending');
    } finally {
      d.close();
    }
  });

  it('a recipient who opts out after the message was queued does not get it', async () => {
    const d = new Deliverer({ store: team.store, env: env() });
    await addLead(team.as(team.admin), aLead({ assign: ['ravi@acme.example'] }));
    await setOptOut(team.as(team.ravi), {}, ['inbox'], true);
    await d.drain(at(0));
    const rows = await team.store.outbox.list({});
    expect(rows.find((r) => r.recipientId === team.ravi.id)).toMatchObject({ status: 'dead', lastError: 'the recipient opted out of inbox' });
    expect(rows.find((r) => r.recipientId === team.admin.id)!.status).toBe('sent');
    expect(await listInbox(team.as(team.ravi), {})).toEqual([]);
    d.close();
  });

  it('a malformed template or a recipient without a phone is dead at once with the reason', async () => {
    const dir = join(team.dir, 'templates', 'notify');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'new-lead.txt'), 'Hello {contact_nam}\n');
    const d = new Deliverer({ store: team.store, env: env() });
    await addLead(team.as(team.admin), aLead({ assign: ['ravi@acme.example'] }));
    await d.drain(at(0));
    const rows = await team.store.outbox.list({});
    expect(rows.every((r) => r.status === 'dead' && /unknown placeholder \{contact_nam\}/.test(r.lastError!))).toBe(true);
    writeFileSync(join(dir, 'new-lead.txt'), 'Custom: {contact_name} for {rep}\n');
    for (const r of rows) await retryOutbox(team.as(team.admin), r.id);
    await d.drain(at(1));
    expect((await listInbox(team.as(team.ravi), {}))[0]!.body).toMatch(/^Custom: Lead \d+ for Ravi Kumar$/);
    d.close();
  });

  it('SMS and WhatsApp go through the real twilio client to a local Twilio API; a 400 is dead at once', async () => {
    const sid = `AC${'1'.repeat(32)}`;
    const tw = await startTwilio(sid, 'tok');
    try {
      const admin = team.as(team.admin);
      for (const [k, v] of [['twilio.account-sid', sid], ['twilio.sms-from', '+15005550006'], ['twilio.whatsapp-from', '+14155238886'], ['twilio.api-url', tw.url]]) await setSetting(admin, k!, v!);
      await setUserPhone(admin, 'ravi@acme.example', '+351912345678');
      await setRule(admin, 'new-lead', { channels: ['sms', 'whatsapp'], to: ['rep'] });
      const d = new Deliverer({ store: team.store, env: { ...env(), CRM_TWILIO_AUTH_TOKEN: 'tok' } });
      const { lead } = await addLead(admin, aLead({ name: 'Anita', assign: ['ravi@acme.example', 'priya@acme.example'] }));
      await d.drain(at(0));
      expect(tw.requests.map((r) => [r.form.To, r.form.From]).sort()).toEqual([['+351912345678', '+15005550006'], ['whatsapp:+351912345678', 'whatsapp:+14155238886']]);
      expect(tw.requests[0]!.form.Body).toContain(`New lead ${lead.id}: Anita`);
      const rows = await team.store.outbox.list({});
      expect(rows.filter((r) => r.recipientId === team.priya.id).every((r) => r.status === 'dead' && /no phone number/.test(r.lastError!))).toBe(true);
      tw.status = 400;
      await addLead(admin, aLead({ assign: ['ravi@acme.example'] }));
      await d.drain(at(1));
      const bad = (await team.store.outbox.list({ statuses: ['dead'] })).filter((r) => r.recipientId === team.ravi.id);
      expect(bad).toHaveLength(2);
      expect(bad[0]!.lastError).toMatch(/Twilio answered HTTP 400 \(error 21211\)/);
      tw.status = 503;
      await addLead(admin, aLead({ assign: ['ravi@acme.example'] }));
      await d.drain(at(2));
      const retrying = await team.store.outbox.list({ statuses: ['failed'] });
      expect(retrying).toHaveLength(2);
      expect(retrying[0]!.lastError).toMatch(/HTTP 503/);
      tw.status = 201;
      await d.drain(at(3));
      expect(await team.store.outbox.list({ statuses: ['failed'] })).toHaveLength(0);
      d.close();
      const { runDoctor } = await import('../../src/services/notify/doctor.js');
      const ok = await runDoctor(team.store, { CRM_TWILIO_AUTH_TOKEN: 'tok' });
      expect(ok.find((c) => c.check === 'twilio')).toMatchObject({ ok: true, detail: expect.stringContaining(`account ${sid}`) });
      const bad401 = await runDoctor(team.store, { CRM_TWILIO_AUTH_TOKEN: 'wrong' });
      expect(bad401.find((c) => c.check === 'twilio')).toMatchObject({ ok: false, detail: expect.stringMatching(/HTTP 401.*check twilio\.account-sid/) });
    } finally {
      await tw.close();
    }
  });

  it('the webhook gets a signed JSON POST; a timeout is retried', async () => {
    const got: { sig: string; body: string }[] = [];
    let hang = false;
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        if (hang) return;
        got.push({ sig: String(req.headers['x-crm-signature']), body });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const admin = team.as(team.admin);
      await setSetting(admin, 'webhook.url', `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`);
      // Generous for the delivery that must succeed (a loaded machine answers slowly); short for the hang.
      await setSetting(admin, 'webhook.timeout-ms', '10000');
      await setRule(admin, 'new-lead', { channels: ['webhook'] });
      const d = new Deliverer({ store: team.store, env: { ...env(), CRM_WEBHOOK_SECRET: 'hush' } });
      await addLead(admin, aLead({ name: 'Hooked' }));
      await d.drain(at(0));
      expect(got).toHaveLength(1);
      expect(got[0]!.sig).toBe(webhookSignature('hush', got[0]!.body));
      expect(JSON.parse(got[0]!.body)).toMatchObject({ rule: 'new-lead', vars: { contact_name: 'Hooked' } });
      hang = true;
      await setSetting(admin, 'webhook.timeout-ms', '300');
      await addLead(admin, aLead());
      await d.drain(at(1));
      const [row] = await team.store.outbox.list({ statuses: ['failed'] });
      expect(row!.lastError).toMatch(/timed out after 300 ms/);
      d.close();
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

it('config list never prints a secret', async () => {
  await setSetting(team.as(team.admin), 'smtp.pass', 'hunter2');
  const rows = await listSettings(team.as(team.admin));
  expect(rows.find((r) => r.key === 'smtp.pass')!.value).toBe('********');
  expect(JSON.stringify(rows)).not.toContain('hunter2');
});

describe('pre-rendered messages (campaigns, proposals)', () => {
  let smtp: Smtp;
  beforeEach(async () => {
    smtp = await startSmtp({ user: 'crm', pass: 's3cret' });
  });
  afterEach(async () => {
    await smtp.stop();
  });

  it('are sent as written: HTML and text parts, extra headers, cc/bcc, a binary attachment; not before their time', async () => {
    await withSmtp(team, smtp);
    await setSetting(team.as(team.admin), 'smtp.user', 'crm');
    const pdf = Buffer.from('%PDF-1.4\n\u00ff\u00fe binary');
    await team.store.transaction(() => team.store.outbox.enqueue([{
      key: 'test/prerendered/1', rule: 'campaign', channel: 'email', recipientKind: 'lead', recipientId: null, address: 'nina@costa.example', leadId: null, vars: {},
      content: { subject: 'Diwali offer', text: 'Plain part', html: '<p>HTML &amp; part</p>', headers: { 'List-Unsubscribe': '<https://crm.example/u/abc>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' }, cc: ['boss@acme.example'], bcc: ['audit@acme.example'] },
      attachments: [{ filename: 'p.pdf', contentType: 'application/pdf', content: pdf.toString('base64'), encoding: 'base64' }],
      notBefore: at(10).toISOString(),
    }], at(0).toISOString()));
    const d = new Deliverer({ store: team.store, env: { ...env(), CRM_SMTP_PASS: 's3cret' } });
    try {
      expect((await d.drain(at(5))).attempted).toBe(0);
      expect(await d.drain(at(10))).toEqual({ attempted: 1, sent: 1, failed: 0 });
      const [m] = await smtp.waitFor(1);
      expect(m!.subject).toBe('Diwali offer');
      expect(m!.text?.trim()).toBe('Plain part');
      expect(m!.html).toContain('<p>HTML &amp; part</p>');
      expect(m!.headerLines.find((h) => h.key === 'list-unsubscribe')?.line).toBe('List-Unsubscribe: <https://crm.example/u/abc>');
      expect(m!.headerLines.find((h) => h.key === 'list-unsubscribe-post')?.line).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
      expect(JSON.stringify(m!.cc)).toContain('boss@acme.example');
      expect(m!.attachments[0]!.content.equals(pdf)).toBe(true);
    } finally {
      d.close();
    }
  });
});
