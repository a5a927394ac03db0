import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import twilio from 'twilio';
import { afterEach, describe, expect, it } from 'vitest';
import { teamHome, type Home } from '../helpers/cli.js';
import { daemonTracker, LIVE } from '../helpers/daemon.js';
import { waitFor } from '../helpers/wait.js';
import { startTwilio, type FakeTwilio } from '../helpers/notify-servers.js';

const tracked = daemonTracker();
let fakes: FakeTwilio[] = [];
afterEach(async () => {
  await tracked.teardown();
  for (const f of fakes.splice(0)) await f.close();
});

const SID = 'AC0123456789abcdef0123456789abcdef';
const TOKEN = 'twilio-secret-token';
const VOICE_FROM = '+15005550006';
const RAVI = { env: { CRM_USER: 'ravi@acme.example', CRM_NOW: '' } };

/**
 * A team whose calls go, through the real twilio client, to a local server speaking Twilio's Calls
 * API, with the daemon running (its endpoint is where Twilio would call back). Ravi, a rep, has a
 * phone and a lead assigned to him. Everything runs on the real clock (the daemon's too).
 */
async function withVoice(): Promise<{ h: Home; tw: FakeTwilio; url: string; lead: number }> {
  const h = tracked.home(await teamHome());
  const tw = await startTwilio(SID, TOKEN);
  fakes.push(tw);
  for (const [k, v] of [['twilio.account-sid', SID], ['twilio.auth-token', TOKEN], ['twilio.voice-from', VOICE_FROM], ['twilio.api-url', tw.url]]) {
    await h.ok(['config', 'set', k!, v!], LIVE);
  }
  await h.ok(['notify', 'set', 'not-attempted', '--off'], LIVE);
  await h.ok(['notify', 'set', 'new-lead', '--off'], LIVE);
  await h.ok(['notify', 'phone', 'ravi@acme.example', '+14155550199'], LIVE);
  const lead = (await h.json(['lead', 'add', '--name', 'Ana Sousa', '--phone', '+351 912 345 678', '--assign', 'ravi@acme.example'], LIVE)).lead.id as number;
  await h.ok(['daemon', 'start'], LIVE);
  // Where the daemon listens, as `daemon status` reports it (its address file sits beside a SQLite store only).
  const url = await waitFor(async () => (await h.json(['daemon', 'status'], LIVE)).http?.url as string | undefined, { what: 'the HTTP endpoint of the daemon', timeoutMs: 20_000 });
  return { h, tw, url, lead };
}

/** Posts a callback to the daemon as Twilio does: form-encoded, signed with the auth token over the URL and the parameters. */
function post(url: string, path: string, params: Record<string, string>, token = TOKEN): Promise<Response> {
  return fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilio.getExpectedTwilioSignature(token, `${url}${path}`, params) },
    body: new URLSearchParams(params).toString(),
  });
}

const STATUS = '/intake/twilio/voice/status';

describe('crm call dial: the real twilio client against a server speaking the Calls API; callbacks signed and posted to the daemon', () => {
  it('rings the rep, bridges to the lead with the caller id; the leg status callback logs the call once; a forged one changes nothing; wrap-up adds the outcome and a call-back', async () => {
    const { h, tw, url, lead } = await withVoice();
    const dialled = await h.json(['call', 'dial', String(lead)], RAVI);
    expect(dialled).toMatchObject({ leadId: lead, number: '+351912345678', rings: '+14155550199', status: 'queued', recording: false });
    expect(tw.requests).toHaveLength(1);
    const form = tw.requests[0]!.form;
    expect(tw.requests[0]!.path).toBe(`/2010-04-01/Accounts/${SID}/Calls.json`);
    expect(form).toMatchObject({ To: '+14155550199', From: VOICE_FROM, StatusCallback: `${url}${STATUS}`, StatusCallbackMethod: 'POST', StatusCallbackEvent: 'completed' });
    expect(form.Twiml).toBe(
      `<?xml version="1.0" encoding="UTF-8"?><Response><Dial callerId="${VOICE_FROM}" timeout="30"><Number statusCallback="${url}${STATUS}" statusCallbackEvent="completed">+351912345678</Number></Dial></Response>`,
    );
    // Nothing is logged before Twilio reports the end of the lead's leg.
    expect(await h.json(['call', 'list'], RAVI)).toEqual([]);

    const legEnd = { AccountSid: SID, CallSid: 'CAleg0000000000000000000000000001', ParentCallSid: dialled.sid, CallStatus: 'completed', CallDuration: '95', Direction: 'outbound-dial' };
    const forged = await post(url, STATUS, legEnd, 'not-the-token');
    expect(forged.status).toBe(403);
    expect(await h.json(['call', 'list'], RAVI)).toEqual([]);

    const ok = await post(url, STATUS, legEnd);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    // The same callback again (Twilio retries), then the rep's own leg ending: one entry still.
    expect((await post(url, STATUS, legEnd)).status).toBe(200);
    expect((await post(url, STATUS, { AccountSid: SID, CallSid: dialled.sid, CallStatus: 'completed', CallDuration: '110', Direction: 'outbound-api' })).status).toBe(200);
    const calls = await h.json(['call', 'list'], RAVI);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ leadId: lead, user: 'ravi@acme.example', direction: 'out', outcome: 'connected', number: '+351912345678', durationSeconds: 95, recordingUrl: null });
    const log = await h.json(['intake', 'log'], LIVE);
    expect(log.filter((e: { channel: string }) => e.channel === 'voice').map((e: { status: number; result: string }) => [e.status, e.result])).toEqual([[200, 'accepted'], [200, 'duplicate'], [200, 'accepted'], [403, 'refused']]);

    // A recording that finished after the call was logged: its link lands on the same entry.
    const rec = { AccountSid: SID, CallSid: dialled.sid, RecordingSid: 'RE0000000000000000000000000000001', RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/${SID}/Recordings/RE0000000000000000000000000000001`, RecordingStatus: 'completed', RecordingDuration: '94' };
    expect((await post(url, STATUS, rec)).status).toBe(200);
    expect((await h.json(['call', 'list'], RAVI))[0].recordingUrl).toBe(rec.RecordingUrl);

    // Counted where typed-in calls are: the summary, the dashboard, the hourly report.
    expect((await h.json(['call', 'summary'], RAVI))[0]).toMatchObject({ user: 'ravi@acme.example', today: 1, all: 1, talkSeconds: 95 });
    expect((await h.json(['dashboard'], RAVI)).calls).toMatchObject({ today: 1, thisMonth: 1 });
    const hourly = await h.json(['report', 'performance', '--hourly', '--day', 'today'], RAVI);
    expect(hourly.rows.reduce((n: number, r: { calls: number }) => n + r.calls, 0)).toBe(1);

    // Wrap-up without a terminal takes flags and never prompts; a call-back schedules its follow-up.
    const wrapped = await h.json(['call', 'wrap-up', '--outcome', 'call-back', '--note', 'wants the price list', '--callback', 'in 2h'], { ...RAVI, openStdin: true });
    expect(wrapped).toMatchObject({ id: calls[0].id, outcome: 'call-back', note: 'wants the price list', durationSeconds: 95 });
    expect(wrapped.followUpId).toEqual(expect.any(Number));
    const show = await h.json(['lead', 'show', String(lead)], RAVI);
    expect(show.timeline.find((a: { type: string }) => a.type === 'call')).toMatchObject({ body: 'wants the price list', data: { outcome: 'call-back', callSid: dialled.sid } });
    expect(show.timeline.some((a: { type: string; body: string }) => a.type === 'follow-up' && a.body === 'Call back Ana Sousa')).toBe(true);
    await h.fail(['call', 'wrap-up', '--outcome', 'connected'], 4, /wrapped up already[\s\S]*crm call wrap-up \d+/, RAVI);
  }, 90_000);

  it('a lead leg that fails logs the outcome failed; a rep who does not answer logs nothing; with recording on, the lead hears the consent first', async () => {
    const { h, tw, url, lead } = await withVoice();
    await h.ok(['config', 'set', 'twilio.voice-record', 'true'], LIVE);
    await h.ok(['config', 'set', 'twilio.voice-consent', 'This call is recorded.'], LIVE);
    const first = await h.json(['call', 'dial', String(lead)], RAVI);
    expect(first.recording).toBe(true);
    const twiml = tw.requests[0]!.form.Twiml!;
    expect(twiml).toContain(`<Dial callerId="${VOICE_FROM}" timeout="30" record="record-from-answer-dual" recordingStatusCallback="${url}${STATUS}" recordingStatusCallbackEvent="completed">`);
    expect(twiml).toContain(`url="${url}/intake/twilio/voice/consent"`);
    const consent = await post(url, '/intake/twilio/voice/consent', { AccountSid: SID, CallSid: 'CAleg0000000000000000000000000002' });
    expect(await consent.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response><Say>This call is recorded.</Say></Response>');
    expect((await post(url, STATUS, { AccountSid: SID, CallSid: 'CAleg0000000000000000000000000002', ParentCallSid: first.sid, CallStatus: 'failed', CallDuration: '0' })).status).toBe(200);

    const second = await h.json(['call', 'dial', String(lead)], RAVI);
    expect((await post(url, STATUS, { AccountSid: SID, CallSid: second.sid, CallStatus: 'no-answer', CallDuration: '0' })).status).toBe(200);
    const calls = await h.json(['call', 'list'], RAVI);
    expect(calls.map((c: { outcome: string; durationSeconds: number }) => [c.outcome, c.durationSeconds])).toEqual([['failed', 0]]);
    await h.fail(['call', 'wrap-up'], 3, /never reached the lead \(Twilio: no-answer\)/, RAVI);
    // A status callback for a call nobody placed is refused.
    expect((await post(url, STATUS, { AccountSid: SID, CallSid: 'CAunknown', CallStatus: 'completed' })).status).toBe(404);
  }, 90_000);

  it('refuses, before Twilio is asked: a lead marked do not call, a number the import kept unverified, a rep with no phone, Twilio not set up', async () => {
    const { h, tw, lead } = await withVoice();
    await h.ok(['notify', 'opt-out', '--channel', 'call', '--lead', String(lead)], LIVE);
    await h.fail(['call', 'dial', String(lead)], 5, /marked do not call[\s\S]*crm notify opt-in --channel call --lead/, RAVI);
    await h.ok(['notify', 'opt-in', '--channel', 'call', '--lead', String(lead)], LIVE);

    const csv = join(h.dir, 'old.csv');
    writeFileSync(csv, 'name,phone,owner\nOld Contact,087 123 4567,ravi@acme.example\n');
    await h.ok(['lead', 'import', csv], LIVE);
    const old = (await h.json(['lead', 'list', '--search', 'Old Contact'], LIVE))[0].id;
    await h.fail(['call', 'dial', String(old)], 2, /only unverified numbers \(087 123 4567\)[\s\S]*crm lead edit \d+ --remove-phone '087 123 4567' --add-phone/, RAVI);

    await h.ok(['lead', 'assign', String(lead), '--to', 'priya@acme.example'], LIVE);
    await h.fail(['call', 'dial', String(lead)], 2, /priya@acme\.example has no phone[\s\S]*crm notify phone priya@acme\.example/, { env: { CRM_USER: 'priya@acme.example', CRM_NOW: '' } });

    await h.ok(['config', 'set', 'twilio.voice-from', ''], LIVE);
    await h.fail(['call', 'dial', String(lead)], 2, /not set up \(twilio\.voice-from empty\)[\s\S]*crm config set twilio\.voice-from/, LIVE);
    expect(tw.requests).toEqual([]);
  }, 90_000);

  it('inbound: a known lead lands on its timeline and the owner inbox, the owner phone rings, the missed call is logged; an unknown number becomes a lead with source Phone', async () => {
    const { h, url, lead } = await withVoice();
    const inbound = { AccountSid: SID, CallSid: 'CAin00000000000000000000000000001', From: '+351912345678', To: VOICE_FROM, CallStatus: 'ringing', Direction: 'inbound' };
    const r = await post(url, '/intake/twilio/voice', inbound);
    expect(r.status).toBe(200);
    expect(await r.text()).toBe(
      `<?xml version="1.0" encoding="UTF-8"?><Response><Dial timeout="30" callerId="+351912345678"><Number statusCallback="${url}${STATUS}" statusCallbackEvent="completed">+14155550199</Number></Dial></Response>`,
    );
    const show = await h.json(['lead', 'show', String(lead)], RAVI);
    expect(show.timeline.find((a: { type: string }) => a.type === 'intake')).toMatchObject({ body: 'Inbound call from +351912345678', data: { channel: 'voice' } });
    expect((await h.json(['inbox'], RAVI)).map((i: { subject: string }) => i.subject)).toContain('Inbound call from Ana Sousa');
    expect((await post(url, STATUS, { AccountSid: SID, CallSid: 'CAleg0000000000000000000000000009', ParentCallSid: inbound.CallSid, CallStatus: 'no-answer', CallDuration: '0' })).status).toBe(200);
    expect((await h.json(['call', 'list'], RAVI)).map((c: { direction: string; outcome: string; leadId: number }) => [c.direction, c.outcome, c.leadId])).toEqual([['in', 'rnr', lead]]);

    const unknown = { ...inbound, CallSid: 'CAin00000000000000000000000000002', From: '+14155550142' };
    const u = await post(url, '/intake/twilio/voice', unknown);
    expect(await u.text()).toContain('<Say>');
    const made = (await h.json(['lead', 'list'], LIVE)).find((l: { phones: string[] }) => l.phones.includes('+14155550142'));
    expect(made).toMatchObject({ source: 'Phone' });

    await h.ok(['config', 'set', 'twilio.voice-unknown', 'none'], LIVE);
    expect((await post(url, '/intake/twilio/voice', { ...inbound, CallSid: 'CAin00000000000000000000000000003', From: '+14155550143' })).status).toBe(200);
    expect((await h.json(['lead', 'list'], LIVE)).some((l: { phones: string[] }) => l.phones.includes('+14155550143'))).toBe(false);
  }, 90_000);
});
