import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import twilio from 'twilio';
import { afterEach, describe, expect, it } from 'vitest';
import { NOW, teamHome, type Home } from '../helpers/cli.js';
import { daemonHttpUrl, daemonTracker } from '../helpers/daemon.js';
import { startTwilio, type FakeTwilio } from '../helpers/notify-servers.js';
import { waitFor } from '../helpers/wait.js';

const tracked = daemonTracker();
let fakes: FakeTwilio[] = [];
afterEach(async () => {
  await tracked.teardown();
  for (const f of fakes.splice(0)) await f.close();
});

const SID = 'AC0123456789abcdef0123456789abcdef';
const TOKEN = 'twilio-secret-token';

/** A team home whose SMS and WhatsApp go, through the real twilio client, to a local server speaking Twilio's API. */
async function withTwilio(): Promise<{ h: Home; tw: FakeTwilio }> {
  const h = tracked.home(await teamHome());
  const tw = await startTwilio(SID, TOKEN);
  fakes.push(tw);
  for (const [k, v] of [['twilio.account-sid', SID], ['twilio.auth-token', TOKEN], ['twilio.sms-from', '+15005550006'], ['twilio.whatsapp-from', '+14155238886'], ['twilio.api-url', tw.url]]) {
    await h.ok(['config', 'set', k!, v!]);
  }
  // Leads are stamped with the fixed CRM_NOW; the daemon below runs on that clock too (frozen), so no time rule fires.
  await h.ok(['notify', 'set', 'not-attempted', '--off']);
  await h.ok(['notify', 'set', 'new-lead', '--off']);
  return { h, tw };
}

/** The daemon on the harness's fixed clock, or on `at`: its scheduler and deliveries see that time. */
const at = (iso: string = NOW) => ({ env: { CRM_NOW: iso } });

describe('SMS and WhatsApp campaigns delivered by the running daemon to a Twilio-speaking server', () => {
  it('an SMS campaign and a WhatsApp campaign leave pending: each message is a Messages.json request with To, From and Body; the campaigns settle as sent', async () => {
    const { h, tw } = await withTwilio();
    await h.ok(['lead', 'add', '--name', 'Ana Sousa', '--phone', '+14155550100']);
    await h.ok(['lead', 'add', '--name', 'Bo Li', '--phone', '+14155550101']);
    await h.ok(['lead', 'add', '--name', 'Cy Mail', '--email', 'cy@mail.example']);
    writeFileSync(join(h.dir, 'b.txt'), 'Hi {contact_name}, Diwali offer inside');
    await h.ok(['campaign', 'create', '--name', 'Txt', '--type', 'sms', '--to', 'leads', '--body-file', join(h.dir, 'b.txt')]);
    await h.ok(['campaign', 'create', '--name', 'Wa', '--type', 'whatsapp', '--to', 'leads', '--body-file', join(h.dir, 'b.txt')]);
    expect(await h.json(['campaign', 'send', '1', '--yes'])).toMatchObject({ queued: 2, skipped: { noAddress: 1 } });
    expect(await h.json(['campaign', 'send', '2', '--yes'])).toMatchObject({ queued: 2, skipped: { noAddress: 1 } });
    expect((await h.json(['campaign', 'recipients', '1'])).map((r: any) => r.status)).toEqual(['pending', 'pending', 'no-address']);

    await h.ok(['daemon', 'start'], at());
    await waitFor(() => tw.requests.length >= 4, { what: () => `4 Twilio requests (got ${tw.requests.length})` });
    const sent = tw.requests.map((r) => [r.form.To, r.form.From, r.form.Body]).sort();
    expect(sent).toEqual([
      // Campaign SMS carry the opt-out line the carriers ask for.
      ['+14155550100', '+15005550006', 'Hi Ana Sousa, Diwali offer inside\nReply STOP to opt out'],
      ['+14155550101', '+15005550006', 'Hi Bo Li, Diwali offer inside\nReply STOP to opt out'],
      ['whatsapp:+14155550100', 'whatsapp:+14155238886', expect.stringContaining('Hi Ana Sousa, Diwali offer inside')],
      ['whatsapp:+14155550101', 'whatsapp:+14155238886', expect.stringContaining('Hi Bo Li, Diwali offer inside')],
    ]);
    expect(tw.requests.every((r) => r.auth === `${SID}:${TOKEN}`)).toBe(true);
    for (const id of ['1', '2']) {
      const shown = await waitFor(async () => {
        const c = await h.json(['campaign', 'show', id], at());
        return c.status === 'sent' && c;
      }, { what: `campaign ${id} to settle as sent` });
      expect(shown.progress).toMatchObject({ queued: 2, sent: 2, noAddress: 1 });
      expect((await h.json(['campaign', 'recipients', id])).map((r: any) => [r.name, r.status])).toEqual([['Ana Sousa', 'sent'], ['Bo Li', 'sent'], ['Cy Mail', 'no-address']]);
    }
  }, 60_000);

  it('a signed STOP to /intake/twilio in the middle of a throttled SMS campaign stops the rest for that lead only', async () => {
    const { h, tw } = await withTwilio();
    for (const [name, phone] of [['First', '+14155550110'], ['Stopper', '+14155550111'], ['Third', '+14155550112']]) await h.ok(['lead', 'add', '--name', name!, '--phone', phone!]);
    writeFileSync(join(h.dir, 'b.txt'), 'Hi {contact_name}');
    await h.ok(['campaign', 'create', '--name', 'Slow', '--type', 'sms', '--to', 'leads', '--body-file', join(h.dir, 'b.txt')]);
    // One an hour: due at 09:00, 10:00 and 11:00 of the campaign's clock.
    expect(await h.ok(['campaign', 'send', '1', '--yes', '--rate', '1/hour'])).toContain('Queued 3 messages for campaign 1 (sending)');

    // The daemon at 09:00 delivers the first message only.
    await h.ok(['daemon', 'start'], at());
    await waitFor(() => tw.requests.length >= 1, { what: 'the first SMS' });
    expect(tw.requests.map((r) => r.form.To)).toEqual(['+14155550110']);
    expect((await h.json(['campaign', 'recipients', '1'])).map((r: any) => r.status)).toEqual(['sent', 'pending', 'pending']);

    // The second lead answers STOP, signed as Twilio signs it (the URL it posted to, the auth token).
    const url = await daemonHttpUrl(h);
    const stop = { MessageSid: 'SM00000000000000000000000000000001', AccountSid: SID, From: '+14155550111', To: '+15005550006', Body: 'STOP', NumMedia: '0' };
    const res = await fetch(`${url}/intake/twilio`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilio.getExpectedTwilioSignature(TOKEN, `${url}/intake/twilio`, stop) },
      body: new URLSearchParams(stop).toString(),
    });
    expect(res.status).toBe(200);
    await h.ok(['daemon', 'stop'], at());

    // Three hours later the rest is due: the lead who said STOP gets nothing, the third lead gets hers.
    await h.ok(['daemon', 'start'], at('2026-11-23T12:00:00.000Z'));
    const settled = await waitFor(async () => {
      const c = await h.json(['campaign', 'show', '1'], at('2026-11-23T12:00:00.000Z'));
      return c.status === 'sent' && c;
    }, { what: 'campaign 1 to settle' });
    expect(tw.requests.map((r) => r.form.To)).toEqual(['+14155550110', '+14155550112']);
    const recipients = (await h.json(['campaign', 'recipients', '1'])).map((r: any) => [r.name, r.status]);
    expect(recipients).toEqual([['First', 'sent'], ['Stopper', 'opted-out'], ['Third', 'sent']]);
    expect(settled.progress).toMatchObject({ sent: 2 });
  }, 60_000);
});
