/**
 * Calls through Twilio (SPEC K2, issue 23): `crm call dial` places a call with the Calls API that
 * rings the rep's phone and bridges it to the lead; the daemon's status callbacks log it in the
 * same call log `crm call log` writes; inbound calls to the Twilio number reach the lead's owner.
 */
import { ConflictError, ExternalServiceError, NotFoundError, PermissionError, UsageError } from '../../errors.js';
import { isTerminalCallStatus, outcomeOfStatus, type Call, type CallOutcome, type TwilioCall } from '../../domain/calls.js';
import { isVerifiedPhone, type Lead } from '../../domain/leads.js';
import type { Store } from '../../store/types.js';
import type { ServiceContext } from '../context.js';
import { getLead, settingsOf } from '../leads/service.js';
import { normalizePhones, phoneNormalizer } from '../leads/normalize.js';
import { Channels } from '../notify/channels.js';
import { effectiveSetting } from '../settings/service.js';
import { personalValue } from '../settings/personal.js';
import { rescore } from '../scoring/service.js';
import { intakeActor, receiveInquiry } from '../intake/receive.js';
import { Refusal } from '../intake/forms.js';
import { seesAllLeads } from '../access.js';

type Env = Record<string, string | undefined>;

/** The daemon's paths Twilio calls back (under http.public-url). */
export const VOICE_PATHS = { status: '/intake/twilio/voice/status', consent: '/intake/twilio/voice/consent', inbound: '/intake/twilio/voice' } as const;

/** The source of a lead made by an inbound call from an unknown number (created on first use). */
export const VOICE_SOURCE = 'Phone';

/** How long Twilio rings the lead (or, inbound, the owner) before giving up, in seconds. */
const RING_SECONDS = 30;

/** Where a user's phone rings for a Twilio call: their Client/SIP identity (personal setting call.identity), else their phone. */
export async function repTarget(store: Store, userId: number): Promise<string | undefined> {
  return (await personalValue(store, { id: userId }, 'call.identity')) ?? (await store.userPhones.get(userId));
}

/** The TwiML noun that rings a target: a phone number, a Twilio Client identity or a SIP address. */
function ring(dial: any, target: string, attrs: Record<string, unknown>): void {
  if (target.startsWith('client:')) dial.client(attrs, target.slice('client:'.length));
  else if (target.startsWith('sip:')) dial.sip(attrs, target);
  else {
    const ext = / ext\. (\d+)$/.exec(target)?.[1];
    // An extension is dialled as digits once the line answers (each w waits half a second).
    dial.number(ext ? { ...attrs, sendDigits: `wwww${ext}` } : attrs, target.replace(/ ext\. \d+$/, ''));
  }
}

async function twilioModule(): Promise<any> {
  const mod = (await import('twilio')) as any;
  return mod.default ?? mod;
}

export interface DialInput {
  leadId: number;
  /** The number to call instead of the lead's first verified one. */
  number?: string;
}

export interface DialResult {
  sid: string;
  status: string;
  leadId: number;
  lead: string;
  number: string;
  /** Where Twilio rings first: the rep's phone or identity. */
  rings: string;
  recording: boolean;
}

/** The number a dial calls: the one given, else the lead's first verified one; unverified ones are refused. */
async function numberToDial(ctx: ServiceContext, lead: Lead, raw: string | undefined): Promise<string> {
  if (raw !== undefined) {
    const region = (await ctx.store.settings.get('phone.region')) || undefined;
    return (await normalizePhones([raw], region, 'number'))[0]!;
  }
  if (!lead.phones.length) throw new UsageError(`lead ${lead.id} (${lead.name}) has no phone number`, { id: 'call.add-phone', leadId: lead.id });
  const verified = lead.phones.find(isVerifiedPhone);
  if (!verified) {
    throw new UsageError(`lead ${lead.id} (${lead.name}) has only unverified numbers (${lead.phones.join(', ')}): the import could not tell their country`, { id: 'call.unverified', leadId: lead.id, phone: lead.phones[0]! });
  }
  return verified;
}

/**
 * Places a call (K2): Twilio rings the acting user's phone (or Client/SIP identity) from
 * twilio.voice-from, and when they answer, <Dial>s the lead with the same caller id; recorded
 * (with a consent announcement to the lead) when twilio.voice-record is on. The call log entry is
 * made by the status callbacks (receiveVoiceStatus), so `callbackBase` (the daemon's public URL)
 * is required. Refused: a lead marked do not call (opt-out channel call), a number the import
 * kept unverified.
 */
export async function dialLead(ctx: ServiceContext, input: DialInput, o: { env: Env; callbackBase: string | undefined }): Promise<DialResult> {
  const { store, actor, now } = ctx;
  const lead = await getLead(ctx, input.leadId);
  if ((await store.optOuts.list('lead', lead.id)).includes('call')) {
    throw new PermissionError(`lead ${lead.id} (${lead.name}) is marked do not call`, { id: 'call.opted-out', leadId: lead.id });
  }
  const number = await numberToDial(ctx, lead, input.number);
  const settings = await store.settings.all();
  const get = (k: string) => effectiveSetting(settings, o.env, k);
  const missing = ['twilio.account-sid', 'twilio.auth-token', 'twilio.voice-from'].filter((k) => !get(k));
  if (missing.length) throw new UsageError(`calls through Twilio are not set up (${missing.join(', ')} empty)`, { id: 'config.transport', settings: missing });
  const rings = await repTarget(store, actor.id);
  if (!rings) throw new UsageError(`${actor.email} has no phone for Twilio to ring first`, { id: 'call.rep-phone', email: actor.email });
  if (!o.callbackBase) throw new UsageError('Twilio needs an address to report the call to, so that it is logged', { id: 'call.public-url' });
  const base = o.callbackBase.replace(/\/+$/, '');
  const statusUrl = `${base}${VOICE_PATHS.status}`;
  const record = get('twilio.voice-record') === 'true';
  const consent = record && get('twilio.voice-consent');

  const twilio = await twilioModule();
  const response = new twilio.twiml.VoiceResponse();
  const dial = response.dial({
    callerId: get('twilio.voice-from'), timeout: RING_SECONDS,
    ...(record ? { record: 'record-from-answer-dual', recordingStatusCallback: statusUrl, recordingStatusCallbackEvent: 'completed' } : {}),
  });
  ring(dial, number, { statusCallback: statusUrl, statusCallbackEvent: 'completed', ...(consent ? { url: `${base}${VOICE_PATHS.consent}` } : {}) });

  const client = await new Channels(store, o.env).twilioClient(settings);
  let created: { sid: string; status?: string };
  try {
    created = await client.calls.create({ to: rings, from: get('twilio.voice-from'), twiml: response.toString(), statusCallback: statusUrl, statusCallbackEvent: ['completed'], statusCallbackMethod: 'POST' });
  } catch (err) {
    const e = err as Error & { status?: number; code?: number | string };
    if (typeof e.status === 'number') throw new ExternalServiceError(`Twilio refused the call (HTTP ${e.status}${e.code ? `, error ${e.code}` : ''}): ${e.message}`);
    throw new ExternalServiceError(`Twilio unreachable: ${e.code ?? e.message}`);
  }
  await store.transaction(() => store.calls.addTwilio({ sid: created.sid, direction: 'out', leadId: lead.id, userId: actor.id, number, legTo: number, status: created.status ?? 'queued' }, now.toISOString()));
  return { sid: created.sid, status: created.status ?? 'queued', leadId: lead.id, lead: lead.name, number, rings, recording: record };
}

/** TwiML the lead hears when they answer a recorded call, before the rep is connected. */
export async function consentTwiml(store: Store, env: Env): Promise<string> {
  const twilio = await twilioModule();
  const r = new twilio.twiml.VoiceResponse();
  const text = effectiveSetting(await store.settings.all(), env, 'twilio.voice-consent');
  if (text) r.say(text);
  return r.toString();
}

export interface VoiceStatusResult {
  result: 'accepted' | 'duplicate';
  leadId: number | null;
  /** The call log entry made or changed. */
  callId: number | null;
  reason: string | null;
}

/** Logs a Twilio call that ended into the call log (once: loggedAt), with its timeline entry. */
async function logTwilioCall(store: Store, now: Date, t: TwilioCall, outcome: CallOutcome, seconds: number): Promise<number | null> {
  if (t.loggedAt || t.leadId === null) return null;
  const lead = await store.leads.get(t.leadId);
  if (!lead || lead.deletedAt) return null;
  const at = now.toISOString();
  const userId = t.userId ?? (await intakeActor(store)).id;
  const end = now.getTime();
  const startAt = new Date(end - seconds * 1000).toISOString();
  const id = await store.calls.insert({
    leadId: t.leadId, userId, direction: t.direction, outcome, number: t.number, startAt, endAt: new Date(end).toISOString(),
    durationSeconds: seconds, recordingUrl: t.recordingUrl, note: null, followUpId: null,
  }, at);
  await store.activities.add({ leadId: t.leadId, type: 'call', at: startAt, userId, body: null, data: { callId: id, direction: t.direction, outcome, durationSeconds: seconds, callSid: t.sid } });
  await store.calls.updateTwilio(t.sid, { callId: id, loggedAt: at }, at);
  await rescore({ store, now, actor: { id: userId } }, t.leadId);
  return id;
}

const seconds = (raw: string | undefined): number => Math.max(0, Math.min(86_400, Math.floor(Number(raw ?? 0)) || 0));

/**
 * One status callback (signature already checked), idempotent on CallSid: a recording's (sets the
 * recording link), a leg's (the lead's, or inbound the owner's: ParentCallSid names our call; its
 * end logs the call: completed → connected, busy / no-answer / canceled → rnr, failed → failed,
 * its CallDuration the talk time), or the call's own (its status; an inbound call that rang no
 * one is logged when it ends, as rnr). A callback already applied changes nothing.
 */
export async function receiveVoiceStatus(store: Store, now: Date, params: Record<string, string>): Promise<VoiceStatusResult> {
  const sid = params.CallSid ?? '';
  if (!sid) throw new Refusal(400, 'no CallSid: not a voice status callback');
  const at = now.toISOString();
  return store.transaction(async () => {
    const parentSid = params.ParentCallSid ?? '';
    let t = await store.calls.twilio(sid);
    const leg = !t && Boolean(parentSid);
    if (!t && parentSid) t = await store.calls.twilio(parentSid);
    if (!t) throw new Refusal(404, `unknown call ${sid}: not dialled from the CRM nor received on the voice webhook`);
    const done = (result: VoiceStatusResult['result'], callId: number | null, reason: string | null = null): VoiceStatusResult => ({ result, leadId: t!.leadId, callId, reason });

    if (params.RecordingSid || params.RecordingUrl) {
      if (params.RecordingStatus && params.RecordingStatus !== 'completed') return done('accepted', t.callId, `recording ${params.RecordingStatus}`);
      const url = params.RecordingUrl ?? '';
      if (!/^https?:\/\//i.test(url)) throw new Refusal(400, 'no RecordingUrl');
      if (t.recordingUrl === url) return done('duplicate', t.callId, `recording of ${t.sid} received before`);
      await store.calls.updateTwilio(t.sid, { recordingUrl: url }, at);
      if (t.callId !== null) await store.calls.setRecording(t.callId, url);
      return done('accepted', t.callId);
    }

    const status = (params.CallStatus ?? '').trim().toLowerCase();
    if (!status) throw new Refusal(400, 'no CallStatus');
    if (leg) {
      if (t.legStatus && isTerminalCallStatus(t.legStatus)) return done('duplicate', t.callId, `leg ${sid} ended before`);
      const talk = seconds(params.CallDuration);
      await store.calls.updateTwilio(t.sid, { legSid: sid, legStatus: status, legSeconds: talk }, at);
      if (!isTerminalCallStatus(status)) return done('accepted', null);
      const callId = await logTwilioCall(store, now, t, outcomeOfStatus(status), status === 'completed' ? talk : 0);
      return done('accepted', callId);
    }
    if (isTerminalCallStatus(t.status)) return done('duplicate', t.callId, `call ${sid} ended before`);
    await store.calls.updateTwilio(t.sid, { status }, at);
    if (!isTerminalCallStatus(status)) return done('accepted', null);
    if (t.direction === 'in' && t.legTo === null) return done('accepted', await logTwilioCall(store, now, t, 'rnr', 0));
    if (t.direction === 'out' && status !== 'completed' && !t.legStatus) return done('accepted', null, `the rep's phone did not answer (${status}): the lead was not called`);
    return done('accepted', t.callId);
  });
}

export interface InboundCallResult {
  twiml: string;
  result: 'accepted' | 'duplicate';
  leadId: number | null;
  outcome: string | null;
  reason: string | null;
}

/**
 * A call to the Twilio number (the voice webhook, signature already checked), idempotent on
 * CallSid. From a known lead: a timeline entry and a note in the owner's inbox; from an unknown
 * number, a lead with source Phone when twilio.voice-unknown is `lead` (routed and welcomed like
 * any inquiry). The TwiML rings the owner (their Client/SIP identity or phone) with the caller's
 * number shown; with no one to ring, an apology. Either way the call enters the call log when it
 * ends (receiveVoiceStatus).
 */
export async function receiveVoiceCall(store: Store, now: Date, params: Record<string, string>, o: { env: Env; base: string }): Promise<InboundCallResult> {
  const sid = params.CallSid ?? '';
  if (!sid) throw new Refusal(400, 'no CallSid: not a voice webhook');
  const at = now.toISOString();
  const twilio = await twilioModule();
  const statusUrl = `${o.base.replace(/\/+$/, '')}${VOICE_PATHS.status}`;
  const twimlFor = (legTo: string | null, callerId: string | null): string => {
    const r = new twilio.twiml.VoiceResponse();
    if (legTo) {
      const dial = r.dial({ timeout: RING_SECONDS, ...(callerId ? { callerId } : {}) });
      ring(dial, legTo, { statusCallback: statusUrl, statusCallbackEvent: 'completed' });
    } else r.say('Thank you for calling. Nobody can take your call right now; we will call you back.');
    return r.toString();
  };
  const settings = await settingsOf(store);
  let phone: string | null;
  try {
    phone = (await phoneNormalizer(settings.region))(params.From ?? '');
  } catch {
    phone = null;
  }
  const known = await store.calls.twilio(sid);
  if (known) return { twiml: twimlFor(known.legTo, known.number), result: 'duplicate', leadId: known.leadId, outcome: null, reason: `call ${sid} was received before` };
  const actor = await intakeActor(store);
  return store.transaction(async () => {
    let lead: Lead | undefined;
    let outcome: string | null = null;
    if (phone) {
      const match = (await store.leads.matchContacts([], [phone])).find((m) => !m.deleted);
      if (match) {
        lead = await store.leads.get(match.id);
        outcome = 'existing';
        await store.activities.add({ leadId: lead!.id, type: 'intake', at, userId: actor.id, body: `Inbound call from ${phone}`, data: { channel: 'voice', ref: params.To ?? null, callSid: sid } });
      } else if (effectiveSetting(await store.settings.all(), o.env, 'twilio.voice-unknown') === 'lead') {
        const source = (await store.sources.byName(VOICE_SOURCE)) ?? (await store.sources.insert(VOICE_SOURCE));
        const r = await receiveInquiry({ store, actor, now }, { channel: 'voice', ref: params.To ?? null, lead: { phones: [phone], source: source.name }, message: { text: `Inbound call from ${phone}` }, payload: params });
        lead = r.lead;
        outcome = r.outcome;
      }
    }
    const ownerId = lead?.assignees[0]?.id ?? null;
    const legTo = ownerId ? ((await repTarget(store, ownerId)) ?? null) : null;
    if (lead && ownerId) {
      await store.inbox.add({
        userId: ownerId, outboxId: null, rule: 'inbound-call', leadId: lead.id, subject: `Inbound call from ${lead.name}`,
        body: `${phone} called ${params.To ?? 'the Twilio number'} (lead ${lead.id}, ${lead.name})${legTo ? '' : '; you have no phone set for Twilio to ring'}`, createdAt: at,
      });
    }
    await store.calls.addTwilio({ sid, direction: 'in', leadId: lead?.id ?? null, userId: ownerId, number: phone ?? (params.From || 'unknown'), legTo, status: (params.CallStatus || 'ringing').toLowerCase() }, at);
    return {
      twiml: twimlFor(legTo, phone), result: 'accepted', leadId: lead?.id ?? null, outcome,
      reason: lead ? null : phone ? 'unknown number (twilio.voice-unknown is none): no lead made' : `the caller's number '${params.From ?? ''}' is not a phone number`,
    };
  });
}

/** The call a wrap-up is about: the id given, else the acting user's latest dialled call. */
export async function callToWrapUp(ctx: ServiceContext, id?: number): Promise<{ call: Call; twilio: TwilioCall | undefined }> {
  const { store, actor } = ctx;
  if (id !== undefined) {
    const call = await store.calls.get(id);
    if (!call) throw new NotFoundError(`no call with id ${id}`, { id: 'call.list' });
    if (!seesAllLeads(actor) && call.userId !== actor.id) throw new PermissionError(`call ${id} is not yours (${actor.email}); reps wrap up only their own calls`, 'ask a manager or admin');
    return { call, twilio: await store.calls.twilioOfCall(id) };
  }
  const [last] = await store.calls.twilioOfUser(actor.id, 'out', 1);
  if (!last) throw new NotFoundError(`${actor.email} has dialled no call yet`, { id: 'call.dial' });
  if (last.callId === null) {
    if (!isTerminalCallStatus(last.status) && !(last.legStatus && isTerminalCallStatus(last.legStatus))) {
      throw new ConflictError(`your latest call (to ${last.number}) is not over yet (Twilio: ${last.legStatus ?? last.status})`, { id: 'call.wait' });
    }
    throw new NotFoundError(last.loggedAt ? 'your latest dialled call was deleted from the call log' : `your latest call (to ${last.number}) never reached the lead (Twilio: ${last.status})`, { id: 'call.list' });
  }
  if (last.wrappedAt) throw new ConflictError(`your latest call (${last.callId}) is wrapped up already`, { id: 'call.rewrap', callId: last.callId });
  const call = await store.calls.get(last.callId);
  if (!call) throw new NotFoundError(`call ${last.callId} was deleted`, { id: 'call.list' });
  return { call, twilio: last };
}
