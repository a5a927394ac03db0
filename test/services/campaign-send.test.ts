import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, UsageError } from '../../src/errors.js';
import { createCampaign, editCampaign } from '../../src/services/campaigns/service.js';
import { campaignRecipients, campaignReport, cancelCampaign, parseRate, sendCampaign, testCampaign } from '../../src/services/campaigns/send.js';
import { readUnsubscribeToken, unsubscribe, unsubscribeToken } from '../../src/services/campaigns/unsubscribe.js';
import { addLead } from '../../src/services/leads/service.js';
import { setUserPhone } from '../../src/services/notify/service.js';
import { Deliverer } from '../../src/services/outbox/deliver.js';
import { setSetting } from '../../src/services/settings/service.js';
import { addSegment } from '../../src/services/segments/service.js';
import { aLead, FIXED_NOW, testTeam, type TestTeam, TEST_BACKEND } from '../helpers/store.js';
import { startSmtp, startTwilio, type Smtp } from '../helpers/notify-servers.js';

let team: TestTeam;
beforeEach(async () => {
  team = await testTeam();
});
afterEach(() => team.close());

const LINKS = 'https://crm.example.com';
const at = (minutes: number) => new Date(FIXED_NOW.getTime() + minutes * 60_000);
const env = () => ({ CRM_HOME: team.dir });
const admin = () => team.as(team.admin);
/** Outbox messages of a campaign per lead, counted through the store contract the way an auditor would. */
async function messagesPerLead(campaignId: number): Promise<Map<number, number>> {
  const per = new Map<number, number>();
  for (const m of await team.store.outbox.list({ limit: 1_000_000 })) {
    if (m.rule !== `campaign:${campaignId}` || m.leadId === null) continue;
    per.set(m.leadId, (per.get(m.leadId) ?? 0) + 1);
  }
  return per;
}

/** 'campaign' timeline entries over these leads. */
async function campaignActivities(leadIds: Iterable<number>): Promise<number> {
  let n = 0;
  for (const id of leadIds) n += (await team.store.activities.forLead(id)).filter((a) => a.type === 'campaign').length;
  return n;
}

async function withSmtp(smtp: Smtp) {
  for (const [k, v] of [['smtp.host', '127.0.0.1'], ['smtp.port', String(smtp.port)], ['smtp.ignore-tls', 'true'], ['smtp.from', 'news@acme.example']]) await setSetting(admin(), k!, v!);
}

async function emailCampaign(body = 'Hi {contact_name} of {business_name},\n\n{campaign_name}: 10% off & more.\nSee you.') {
  return createCampaign(admin(), { name: 'Diwali <offer>', type: 'email', to: 'leads', subject: 'Offer for {business_name}', body });
}

/** Delivers everything due up to `until` (the deliverer's clock), in rounds. */
async function deliverAll(d: Deliverer, until: Date) {
  for (let i = 0; i < 200; i++) if ((await d.drain(until)).attempted === 0) return;
}

describe('email campaigns through the outbox to a real SMTP server', () => {
  let smtp: Smtp;
  beforeEach(async () => {
    smtp = await startSmtp();
  });
  afterEach(async () => {
    await smtp.stop();
  });

  it('HTML (escaped) and text parts, RFC 8058 headers, an unsubscribe link; opted-out and address-less leads skipped and counted; timeline', async () => {
    const ana = (await addLead(admin(), aLead({ name: 'Ana <b>Sousa</b>', businessName: 'S&S Lda', emails: ['ana@sousa.example'] }))).lead;
    const bo = (await addLead(admin(), aLead({ name: 'Bo Li', emails: ['bo@li.example'] }))).lead;
    const cy = (await addLead(admin(), aLead({ name: 'Cy', emails: [], phones: ['+351912345678'] }))).lead;
    await team.store.optOuts.set('lead', bo.id, 'email', true, FIXED_NOW.toISOString());
    await withSmtp(smtp);
    const c = await emailCampaign();
    const r = await sendCampaign(admin(), c.id, { linkBase: LINKS, env: env() });
    expect(r).toMatchObject({ queued: 1, skipped: { 'opted-out': 1, bounced: 0, 'no-address': 1 }, recipients: 3, resumed: false });
    expect(r.campaign.status).toBe('sending');

    const d = new Deliverer({ store: team.store, env: env() });
    try {
      await deliverAll(d, at(1));
    } finally {
      d.close();
    }
    const [mail] = await smtp.waitFor(1);
    expect(smtp.messages).toHaveLength(1);
    expect(mail!.to).toMatchObject({ text: 'ana@sousa.example' });
    expect(mail!.subject).toBe('Offer for S&S Lda');
    expect(mail!.text).toContain('Hi Ana <b>Sousa</b> of S&S Lda,\n\nDiwali <offer>: 10% off & more.\nSee you.');
    expect(mail!.html).toContain('<p>Hi Ana &lt;b&gt;Sousa&lt;/b&gt; of S&amp;S Lda,</p>');
    expect(mail!.html).toContain('<p>Diwali &lt;offer&gt;: 10% off &amp; more.<br>\nSee you.</p>');
    const token = unsubscribeToken(await team.store.campaigns.secret(), ana.id, 'email');
    const url = `${LINKS}/u/${token}`;
    expect(mail!.text).toContain(`To stop receiving these emails: ${url}`);
    expect(mail!.html).toContain(`<a href="${url}">Unsubscribe</a>`);
    const lines = Object.fromEntries(mail!.headerLines.map((h) => [h.key, h.line.replace(/\r\n(?=[ \t])/g, '')]));
    expect(lines['list-unsubscribe']).toBe(`List-Unsubscribe: <${url}>, <mailto:news@acme.example?subject=unsubscribe%20${token}>`);
    expect(lines['list-unsubscribe-post']).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');

    const report = await campaignReport(admin(), c.id);
    expect(report.status).toBe('sent');
    expect(report.sentAt).not.toBeNull();
    expect(report.progress).toMatchObject({ recipients: 3, queued: 1, sent: 1, optedOut: 1, noAddress: 1, bounced: 0, pending: 0 });
    const rec = await campaignRecipients(admin(), c.id);
    expect(rec.recipients.map((x) => [x.leadId, x.status])).toEqual([[ana.id, 'sent'], [bo.id, 'opted-out'], [cy.id, 'no-address']]);
    expect((await campaignRecipients(admin(), c.id, { status: 'opted out' })).recipients.map((x) => x.leadId)).toEqual([bo.id]);
    const timeline = await team.store.activities.forLead(ana.id);
    expect(timeline.find((a) => a.type === 'campaign')).toMatchObject({ body: 'Campaign "Diwali <offer>" (email) queued to ana@sousa.example', data: { campaignId: c.id, status: 'queued' } });
    expect((await team.store.activities.forLead(bo.id)).some((a) => a.type === 'campaign')).toBe(false);

    // The token unsubscribes exactly that lead, once; a forged one nothing.
    expect(readUnsubscribeToken(await team.store.campaigns.secret(), token.replace(/^\d+/, String(bo.id)))).toBeNull();
    expect(await unsubscribe(team.store, token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A'), at(2).toISOString(), 'test')).toBeNull();
    expect(await unsubscribe(team.store, token, at(2).toISOString(), 'test')).toMatchObject({ leadId: ana.id, channel: 'email', already: false });
    expect(await unsubscribe(team.store, token, at(3).toISOString(), 'test')).toMatchObject({ already: true });
    expect((await team.store.activities.forLead(ana.id)).filter((a) => a.type === 'opt-out')).toHaveLength(1);
    expect(await team.store.optOuts.list('lead', ana.id)).toEqual(['email']);

    // Sending it again is a conflict; nothing is queued.
    await expect(sendCampaign(admin(), c.id, { linkBase: LINKS })).rejects.toThrow(ConflictError);
    await expect(editCampaign(admin(), c.id, { name: 'New name' })).rejects.toThrow(/is sent.*only a draft can be edited/);
    expect((await team.store.outbox.list({})).filter((m) => m.rule.startsWith('campaign')).length).toBe(1);
  });

  it('a bounced address (earlier mail dead on a 5xx) is skipped; test sends go to the acting user only and change nothing', async () => {
    const ana = (await addLead(admin(), aLead({ name: 'Ana', emails: ['Ana@Bounce.example'] }))).lead;
    await addLead(admin(), aLead({ name: 'Bo', emails: ['bo@ok.example'] }));
    await team.store.outbox.enqueue([{ key: 'old', rule: 'campaign:99', channel: 'email', recipientKind: 'lead', recipientId: ana.id, address: 'ana@bounce.example', leadId: ana.id, vars: {}, content: { subject: 's', text: 't' } }], FIXED_NOW.toISOString());
    const old = await team.store.outbox.byKey('old');
    await team.store.outbox.markFailed(old!.id, 'SMTP error: 550 5.1.1 <ana@bounce.example>: user unknown (EENVELOPE)', FIXED_NOW.toISOString(), null);
    await withSmtp(smtp);
    const c = await emailCampaign();
    const t = await testCampaign(team.as(team.manager), c.id, { linkBase: LINKS, env: env() });
    expect(t.address).toBe('meera@acme.example');
    const d = new Deliverer({ store: team.store, env: env() });
    try {
      await deliverAll(d, at(1));
      const [mail] = await smtp.waitFor(1);
      expect(mail!.subject).toBe('[TEST] Offer for');
      expect(mail!.to).toMatchObject({ text: 'meera@acme.example' });
      expect(mail!.headers.get('x-crm-test')).toBe('true');
      expect(mail!.text).toContain(`${LINKS}/u/test`);
      expect((await campaignReport(admin(), c.id)).status).toBe('draft');

      const r = await sendCampaign(admin(), c.id, { linkBase: LINKS });
      expect(r).toMatchObject({ queued: 1, skipped: { bounced: 1 } });
      await deliverAll(d, at(2));
    } finally {
      d.close();
    }
    expect(smtp.messages.map((m) => (m.to as { text: string }).text)).toEqual(['meera@acme.example', 'bo@ok.example']);
  });
});

describe('SMS campaigns', () => {
  it('go through the real twilio client with the STOP line (counted in the segments); too long is refused at send with the count', async () => {
    const sid = `AC${'2'.repeat(32)}`;
    const tw = await startTwilio(sid, 'tok');
    try {
      const ana = (await addLead(admin(), aLead({ name: 'Ana', phones: ['+351912345678'] }))).lead;
      const bo = (await addLead(admin(), aLead({ name: 'Bo', phones: ['+351912345679'] }))).lead;
      await team.store.optOuts.set('lead', bo.id, 'sms', true, FIXED_NOW.toISOString()); // a STOP reply
      for (const [k, v] of [['twilio.account-sid', sid], ['twilio.sms-from', '+15005550006'], ['twilio.api-url', tw.url]]) await setSetting(admin(), k!, v!);
      const c = await createCampaign(admin(), { name: 'Txt', type: 'sms', to: 'leads', body: 'Hi {contact_name}, 10% off today.' });
      const r = await sendCampaign(admin(), c.id, {});
      expect(r).toMatchObject({ queued: 1, skipped: { 'opted-out': 1 } });
      const d = new Deliverer({ store: team.store, env: { ...env(), CRM_TWILIO_AUTH_TOKEN: 'tok' } });
      try {
        await deliverAll(d, at(1));
      } finally {
        d.close();
      }
      expect(tw.requests.map((x) => [x.form.To, x.form.Body])).toEqual([['+351912345678', 'Hi Ana, 10% off today.\nReply STOP to opt out']]);
      expect((await campaignRecipients(admin(), c.id)).recipients.map((x) => [x.leadId, x.status])).toEqual([[ana.id, 'sent'], [bo.id, 'opted-out']]);

      // 150 characters fit one segment, but with the STOP line they take two; a long name pushes past the limit.
      await addLead(admin(), aLead({ name: 'N'.repeat(1600), phones: ['+351912345670'] }));
      const long = await createCampaign(admin(), { name: 'Long', type: 'sms', to: 'leads', body: `{contact_name} ${'x'.repeat(100)}` });
      await expect(sendCampaign(admin(), long.id, {})).rejects.toThrow(/the SMS to N+ \(lead \d+\) is 1723 GSM-7 characters: 12 segments \(at most 10\); nothing was sent/);
      await expect(sendCampaign(admin(), long.id, {})).rejects.toThrow(UsageError);
      expect((await campaignReport(admin(), long.id)).status).toBe('draft');
      expect((await team.store.outbox.list({})).filter((m) => m.rule === `campaign:${long.id}`)).toHaveLength(0);
    } finally {
      await tw.close();
    }
  });

  it('a test SMS needs the acting user\'s phone (crm notify phone)', async () => {
    await addLead(admin(), aLead({ name: 'Ana', phones: ['+351912345678'] }));
    const c = await createCampaign(admin(), { name: 'Txt', type: 'sms', to: 'leads', body: 'Hi {contact_name}' });
    await expect(testCampaign(admin(), c.id, {})).rejects.toThrow(/no phone number.*crm notify phone|have no phone number/);
    await setUserPhone(admin(), 'admin@acme.example', '+351911111111');
    const t = await testCampaign(admin(), c.id, {});
    expect(t.address).toBe('+351911111111');
    expect((await team.store.outbox.byKey(t.key))!.content!.text).toBe('[TEST] Hi Ana\nReply STOP to opt out');
  });
});

describe('sending: resume, throttle, schedule, cancel, bad input', () => {
  it('a send interrupted between batches resumes with no duplicate: 1,000 recipients, one outbox row and one email each', async () => {
    const smtp = await startSmtp();
    try {
      await team.store.transaction(async () => {
        for (let i = 0; i < 1000; i++) await addLead(admin(), aLead({ name: `Person ${i}`, emails: [`p${i}@bulk.example`] }));
      });
      await withSmtp(smtp);
      const c = await emailCampaign('Hello {contact_name}');
      let batches = 0;
      await expect(
        sendCampaign(admin(), c.id, {
          linkBase: LINKS, batch: 100,
          onBatch: () => {
            if (++batches === 3) throw new Error('killed');
          },
        }),
      ).rejects.toThrow('killed');
      const half = await campaignReport(admin(), c.id);
      expect(half.status).toBe('sending');
      expect(half.queuedAt).toBeNull();
      expect(half.progress!.queued).toBe(300);
      await expect(editCampaign(admin(), c.id, { name: 'x' })).rejects.toThrow(ConflictError);

      const r = await sendCampaign(admin(), c.id, { linkBase: LINKS, batch: 100 });
      expect(r).toMatchObject({ resumed: true, queued: 700 });
      const perLead = await messagesPerLead(c.id);
      expect(perLead.size).toBe(1000);
      expect([...perLead.values()].every((n) => n === 1)).toBe(true);
      expect(await campaignActivities((await team.store.leads.list({})).map((l) => l.id))).toBe(1000);

      const d = new Deliverer({ store: team.store, env: env(), batch: 200, concurrency: 8 });
      try {
        await deliverAll(d, at(1));
      } finally {
        d.close();
      }
      await smtp.waitFor(1000);
      const to = smtp.messages.map((m) => (m.to as { text: string }).text);
      expect(to).toHaveLength(1000);
      expect(new Set(to).size).toBe(1000);
      expect((await campaignReport(admin(), c.id)).status).toBe('sent');
    } finally {
      await smtp.stop();
    }
  }, TEST_BACKEND === 'json' ? 240_000 : 60_000); // the JSON store rewrites its file (3.5 MB here) on each of ~2,000 deliveries

  it('--rate spreads the messages over time; --at schedules the first in the team time zone; cancel stops what is not sent', async () => {
    for (let i = 0; i < 4; i++) await addLead(admin(), aLead({ name: `P${i}`, emails: [`p${i}@x.example`] }));
    await setSetting(admin(), 'notify.timezone', 'Asia/Kolkata');
    const c = await emailCampaign('Hi');
    // 2026-11-23 is a Monday; Friday 09:00 in Kolkata is 03:30 UTC.
    const r = await sendCampaign(admin(), c.id, { linkBase: LINKS, at: 'friday 09:00', rate: '2/s' });
    expect(r.sendAt).toBe('2026-11-27T03:30:00.000Z');
    expect(r.campaign.status).toBe('scheduled');
    const due = (await team.store.outbox.list({})).filter((m) => m.rule === `campaign:${c.id}`).map((m) => m.nextAttemptAt).sort();
    expect(due).toEqual(['2026-11-27T03:30:00.000Z', '2026-11-27T03:30:00.500Z', '2026-11-27T03:30:01.000Z', '2026-11-27T03:30:01.500Z']);
    expect((await campaignReport(team.as(team.admin, new Date('2026-11-27T03:31:00Z')), c.id)).status).toBe('sending');

    const x = await cancelCampaign(admin(), c.id);
    expect(x).toMatchObject({ cancelled: 4, campaign: { status: 'cancelled' } });
    expect((await campaignRecipients(admin(), c.id)).recipients.every((y) => y.status === 'cancelled')).toBe(true);
    await expect(cancelCampaign(admin(), c.id)).rejects.toThrow(/is cancelled/);
    await expect(sendCampaign(admin(), c.id, { linkBase: LINKS })).rejects.toThrow(ConflictError);
    expect((await team.store.outbox.list({ statuses: ['pending', 'failed'] })).filter((m) => m.rule === `campaign:${c.id}`)).toEqual([]);
  });

  it('bad input: empty audience, malformed --rate, --at in the past, email without a link base; nothing queued', async () => {
    const c = await emailCampaign('Hi');
    await expect(sendCampaign(admin(), c.id, { linkBase: LINKS })).rejects.toThrow(/has no recipients/);
    await addLead(admin(), aLead({ name: 'P', emails: ['p@x.example'] }));
    await expect(sendCampaign(admin(), c.id, { linkBase: LINKS, rate: 'fast' })).rejects.toThrow(/invalid rate 'fast'/);
    await expect(sendCampaign(admin(), c.id, { linkBase: LINKS, at: 'yesterday 10:00' })).rejects.toThrow(/is in the past/);
    await expect(sendCampaign(admin(), c.id, {})).rejects.toThrow(/unsubscribe link/);
    await expect(sendCampaign(team.as(team.ravi), c.id, { linkBase: LINKS })).rejects.toThrow(/may not send campaigns/);
    await addSegment(admin(), { name: 'none', where: 'score>=99' });
    const empty = await createCampaign(admin(), { name: 'E', type: 'email', to: 'segment:none', subject: 'S', body: 'B' });
    await expect(sendCampaign(admin(), empty.id, { linkBase: LINKS })).rejects.toThrow(/audience \(segment:none\) is empty/);
    expect((await team.store.outbox.list({})).filter((m) => m.rule.startsWith('campaign'))).toHaveLength(0);
    expect((await campaignReport(admin(), c.id)).status).toBe('draft');
    await expect(cancelCampaign(admin(), c.id)).rejects.toThrow(/is draft; only a scheduled or sending campaign/);
    expect(parseRate('300/min')).toBe(5);
    expect(parseRate('3600/h')).toBe(1);
    expect(parseRate('0.5/s')).toBe(0.5);
    expect(() => parseRate('0/s')).toThrow(UsageError);
    // A draft can be edited (validated like create).
    expect((await editCampaign(admin(), c.id, { subject: 'New {contact_name}' })).subject).toBe('New {contact_name}');
    await expect(editCampaign(admin(), c.id, { body: 'Hi {nope}' })).rejects.toThrow(/unknown template tag \{nope\}/);
    await expect(editCampaign(admin(), c.id, { subject: '' })).rejects.toThrow(/needs subject/);
  });
});
