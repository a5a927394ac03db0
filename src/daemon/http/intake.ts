import { Refusal, submitForm, tokenMatches, type Submitted } from '../../services/intake/forms.js';
import { receiveTwilioMessage } from '../../services/intake/twilio-inbound.js';
import { consentTwiml, receiveVoiceCall, receiveVoiceStatus } from '../../services/calls/twilio.js';
import { effectiveSetting } from '../../services/settings/service.js';
import type { IntakeForm, IntakeLogEntry } from '../../domain/intake.js';
import type { HttpReply, HttpRequest, Route, RouteDeps } from './types.js';
import { keyed } from '../../domain/keyed.js';

/**
 * Token buckets in memory (per daemon): `capacity` requests, refilled evenly over `seconds`.
 * A bucket that would be full again is forgotten when the map grows large.
 */
export class TokenBuckets {
  private buckets = new Map<string, { tokens: number; at: number; refusing: boolean }>();

  /** Takes one token; when none is left, how many seconds until one is. */
  take(key: string, capacity: number, seconds: number, nowMs: number): { ok: true } | { ok: false; retryAfter: number; first: boolean } {
    const rate = capacity / (seconds * 1000);
    const b = this.buckets.get(key) ?? { tokens: capacity, at: nowMs, refusing: false };
    b.tokens = Math.min(capacity, b.tokens + (nowMs - b.at) * rate);
    b.at = nowMs;
    if (this.buckets.size > 10_000) this.prune(nowMs, rate, capacity);
    this.buckets.set(key, b);
    if (b.tokens < 1) {
      // `first`: the first refusal of a run, so a flood writes one log entry, not one per request.
      const first = !b.refusing;
      b.refusing = true;
      return { ok: false, retryAfter: Math.max(1, Math.ceil((1 - b.tokens) / rate / 1000)), first };
    }
    b.tokens -= 1;
    b.refusing = false;
    return { ok: true };
  }

  private prune(nowMs: number, rate: number, capacity: number): void {
    for (const [k, v] of this.buckets) if (v.tokens + (nowMs - v.at) * rate >= capacity) this.buckets.delete(k);
  }
}

/** How many times a form's per-client rate the whole form accepts (all clients together). */
export const FORM_RATE_FACTOR = 10;

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

/**
 * The client's address: the peer, or, when the peer is a reverse proxy on this machine
 * (loopback), the last address it appended to X-Forwarded-For.
 */
export function clientIp(req: Pick<HttpRequest, 'remote' | 'headers'>): string {
  const fwd = req.headers['x-forwarded-for'];
  const last = (Array.isArray(fwd) ? fwd.join(',') : (fwd ?? '')).split(',').map((s) => s.trim()).filter(Boolean).pop();
  return LOOPBACK.test(req.remote) && last ? last : req.remote;
}

async function record(deps: RouteDeps, e: Omit<IntakeLogEntry, 'id' | 'at'>): Promise<void> {
  const what = `intake ${e.channel}${e.ref ? ` ${e.ref}` : ''} from ${e.remote}: ${e.status} ${e.result}${e.leadId ? ` lead ${e.leadId}` : ''}${e.outcome ? ` (${e.outcome})` : ''}${e.reason ? ` — ${e.reason}` : ''}`;
  deps.log(e.result === 'refused' ? 'warn' : 'info', what);
  try {
    await deps.store.transaction(() => deps.store.intakeLog.add({ ...e, at: deps.now().toISOString() }));
  } catch (err) {
    deps.log('error', `intake log: ${(err as Error).message}`);
  }
}

const contentType = (req: HttpRequest) => String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();

function scalar(v: unknown): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** The submitted fields of a form post: urlencoded (an HTML form) or a JSON object. */
export function parseSubmission(req: HttpRequest): Submitted {
  const type = contentType(req);
  const text = req.body.toString('utf8');
  if (type === 'application/x-www-form-urlencoded') {
    const out: Submitted = keyed();
    for (const [k, v] of new URLSearchParams(text)) {
      const prev = out[k];
      out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
    return out;
  }
  if (type === 'application/json' || type.endsWith('+json')) {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      throw new Refusal(400, 'the body is not valid JSON');
    }
    if (!data || typeof data !== 'object' || Array.isArray(data)) throw new Refusal(400, 'the JSON body must be an object of fields, e.g. {"name": "…", "email": "…"}');
    return keyed(Object.entries(data as Record<string, unknown>).map(([k, v]) => [k, Array.isArray(v) ? v.map(scalar) : scalar(v)] as const));
  }
  if (type === 'multipart/form-data') throw new Refusal(415, 'multipart/form-data is not accepted: post application/x-www-form-urlencoded (an HTML form without enctype) or application/json');
  throw new Refusal(415, `content type '${type || 'none'}' is not accepted: post application/x-www-form-urlencoded or application/json`);
}

function bearer(req: HttpRequest): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(String(req.headers.authorization ?? ''));
  return m?.[1];
}

function corsHeaders(req: HttpRequest, form: IntakeForm | undefined): Record<string, string> {
  const origin = req.headers.origin;
  if (!form?.origin || origin !== form.origin) return {};
  return { 'access-control-allow-origin': form.origin, vary: 'Origin' };
}

const buckets = new TokenBuckets();

/**
 * Posts to a form that does not exist (a scanner, a stale page) are rate-limited like a form's,
 * per client and all together, before anything is stored: each refusal run logs one row.
 */
export const UNKNOWN_FORM_RATE = { perClient: 5, all: 50, seconds: 60 };

/** Takes a token for a post to an unknown form; undefined when it may go on. */
function unknownFormLimit(ip: string, nowMs: number): { reason: string; retryAfter: number; first: boolean } | undefined {
  for (const [key, capacity] of [[`unknown-form/${ip}`, UNKNOWN_FORM_RATE.perClient], ['unknown-form', UNKNOWN_FORM_RATE.all]] as const) {
    const t = buckets.take(key, capacity, UNKNOWN_FORM_RATE.seconds, nowMs);
    if (!t.ok) return { reason: `too many posts to unknown forms ${key.endsWith(ip) ? `from ${ip}` : 'from all clients'}; retry in ${t.retryAfter} s`, retryAfter: t.retryAfter, first: t.first };
  }
  return undefined;
}

function nameOf(m: RegExpMatchArray): string {
  try {
    return decodeURIComponent(m[1]!);
  } catch {
    return m[1]!;
  }
}

/** POST /intake/form/<name>: a website's form submission, authenticated by the form's token. */
const formPost: Route = {
  name: 'intake.form',
  method: 'POST',
  pattern: /^\/intake\/form\/([^/]+)$/,
  async refused(req, m, status, reason, deps) {
    const form = await deps.store.intakeForms.byName(nameOf(m));
    if (!form) {
      const limited = unknownFormLimit(clientIp(req), deps.now().getTime());
      if (limited && !limited.first) return;
    }
    await record(deps, { channel: 'form', ref: form?.name ?? nameOf(m), remote: clientIp(req), status, result: 'refused', reason, leadId: null, outcome: null });
  },
  async handle(req, m, deps) {
    const name = nameOf(m);
    const ip = clientIp(req);
    const form = await deps.store.intakeForms.byName(name);
    const cors = corsHeaders(req, form);
    const refuse = async (status: number, reason: string, headers: Record<string, string> = {}): Promise<HttpReply> => {
      await record(deps, { channel: 'form', ref: form?.name ?? name, remote: ip, status, result: 'refused', reason, leadId: null, outcome: null });
      return { status, body: { error: reason }, headers: { ...cors, ...headers } };
    };
    const now = deps.now().getTime();
    if (!form) {
      const limited = unknownFormLimit(ip, now);
      if (!limited) return refuse(404, `no intake form '${name}'`);
      const headers = { 'retry-after': String(limited.retryAfter) };
      return limited.first ? refuse(429, `${limited.reason} (further refusals are not logged until one is accepted)`, headers) : { status: 429, body: { error: limited.reason }, headers };
    }
    for (const [key, capacity] of [[`${form.id}/${form.createdAt}/${ip}`, form.rateCount], [`${form.id}/${form.createdAt}`, form.rateCount * FORM_RATE_FACTOR]] as const) {
      const t = buckets.take(key, capacity, form.rateSeconds, now);
      if (!t.ok) {
        const reason = `too many submissions ${key.endsWith(ip) ? `from ${ip}` : 'to this form'}; retry in ${t.retryAfter} s`;
        const headers = { ...cors, 'retry-after': String(t.retryAfter) };
        // Logged once per run of refusals: a flood must not fill the store.
        return t.first ? refuse(429, `${reason} (further refusals are not logged until one is accepted)`, headers) : { status: 429, body: { error: reason }, headers };
      }
    }
    // A token in the header (it wins over any in the body) is checked before the body is parsed: a wrong one costs no parsing.
    const header = bearer(req);
    if (header !== undefined && !tokenMatches(header, form.tokenHash)) return refuse(403, 'bad token');
    let data: Submitted;
    try {
      data = parseSubmission(req);
    } catch (err) {
      if (err instanceof Refusal) return refuse(err.status, err.message);
      throw err;
    }
    const fieldToken = typeof data.token === 'string' ? data.token : undefined;
    const token = bearer(req) ?? fieldToken ?? req.query.get('token') ?? undefined;
    if (!token) return refuse(401, 'no token: send Authorization: Bearer <token>, or a token field or query parameter', { 'www-authenticate': 'Bearer' });
    if (!tokenMatches(token, form.tokenHash)) return refuse(403, 'bad token');
    const json = contentType(req) !== 'application/x-www-form-urlencoded';
    const redirect = !json && form.redirect ? form.redirect : null;
    // A token in a header is a server-side integration: it is told the lead and the outcome. A token in
    // the body or the URL sits in a public web page: whoever reads it may post, so the answer reveals
    // nothing (not whether an email is already known, not a lead id), and spam gets the same answer.
    const told = bearer(req) !== undefined;
    const quiet = (): HttpReply => (redirect ? { status: 303, headers: { ...cors, location: redirect }, body: '' } : { status: 201, headers: cors, body: { ok: true } });
    if (form.honeypot && [data[form.honeypot]].flat().some((v) => v && v.trim() !== '')) {
      // Answer like a success: a bot learns nothing. Nothing is stored but the log entry.
      await record(deps, { channel: 'form', ref: form.name, remote: ip, status: redirect ? 303 : 201, result: 'spam', reason: `honeypot field ${form.honeypot} filled`, leadId: null, outcome: null });
      return quiet();
    }
    try {
      const r = await submitForm(deps.store, deps.now(), form, data, { remote: ip });
      const status = redirect ? 303 : 201;
      await record(deps, { channel: 'form', ref: form.name, remote: ip, status, result: 'accepted', reason: r.dropped.length ? `dropped invalid ${r.dropped.join(', ')}` : null, leadId: r.lead.id, outcome: r.outcome });
      return redirect || !told ? quiet() : { status, headers: cors, body: { ok: true, lead: r.lead.id, outcome: r.outcome } };
    } catch (err) {
      if (err instanceof Refusal) return refuse(err.status, err.message);
      throw err;
    }
  },
};

/** OPTIONS /intake/form/<name>: the CORS preflight of a JSON post from the form's --origin. */
const formPreflight: Route = {
  name: 'intake.form.preflight',
  method: 'OPTIONS',
  pattern: /^\/intake\/form\/([^/]+)$/,
  async handle(req, m, deps) {
    const form = await deps.store.intakeForms.byName(nameOf(m));
    const cors = corsHeaders(req, form);
    if (!cors['access-control-allow-origin']) {
      deps.log('warn', `intake form ${m[1]} preflight from ${clientIp(req)}: 403 origin ${String(req.headers.origin ?? 'none')} not allowed`);
      return { status: 403, body: { error: 'origin not allowed' } };
    }
    return {
      status: 204,
      headers: { ...cors, 'access-control-allow-methods': 'POST', 'access-control-allow-headers': 'Content-Type, Authorization', 'access-control-max-age': '600' },
    };
  },
};

const TWIML_EMPTY = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

/** Twilio's form parameters of a webhook (empty unless the body is form-encoded). */
function twilioParams(req: HttpRequest): Record<string, string> {
  const params: Record<string, string> = keyed();
  if (contentType(req) === 'application/x-www-form-urlencoded') for (const [k, v] of new URLSearchParams(req.body.toString('utf8'))) params[k] = v;
  return params;
}

/** Why a Twilio webhook is refused before anything is read from it: not form-encoded, or not signed with the auth token. */
async function twilioSignatureProblem(req: HttpRequest, params: Record<string, string>, deps: RouteDeps): Promise<{ status: number; reason: string } | undefined> {
  if (contentType(req) !== 'application/x-www-form-urlencoded') return { status: 400, reason: 'Twilio webhooks are application/x-www-form-urlencoded' };
  const authToken = effectiveSetting(await deps.store.settings.all(), deps.env, 'twilio.auth-token');
  if (!authToken) return { status: 403, reason: 'twilio.auth-token is not set: signatures cannot be checked (crm config set twilio.auth-token …, or CRM_TWILIO_AUTH_TOKEN)' };
  const signature = req.headers['x-twilio-signature'];
  if (typeof signature !== 'string' || !signature) return { status: 403, reason: 'no X-Twilio-Signature' };
  const mod = (await import('twilio')) as any;
  const validateRequest = (mod.validateRequest ?? mod.default?.validateRequest) as (token: string, sig: string, url: string, params: Record<string, string>) => boolean;
  if (!validateRequest(authToken, signature, req.publicUrl, params)) return { status: 403, reason: `bad X-Twilio-Signature for ${req.publicUrl} (is http.public-url the URL configured at Twilio?)` };
  return undefined;
}

/** POST /intake/twilio: Twilio's inbound SMS and WhatsApp webhook, signed with the auth token. */
const twilioInbound: Route = {
  name: 'intake.twilio',
  method: 'POST',
  pattern: /^\/intake\/twilio$/,
  async refused(req, _m, status, reason, deps) {
    await record(deps, { channel: 'sms', ref: null, remote: clientIp(req), status, result: 'refused', reason, leadId: null, outcome: null });
  },
  async handle(req, _m, deps) {
    const ip = clientIp(req);
    const params = twilioParams(req);
    const channel = /^whatsapp:/i.test(params.From ?? '') ? 'whatsapp' : 'sms';
    const ref = (params.To ?? '').replace(/^whatsapp:/i, '') || null;
    const refuse = async (status: number, reason: string): Promise<HttpReply> => {
      await record(deps, { channel, ref, remote: ip, status, result: 'refused', reason, leadId: null, outcome: null });
      return { status, body: { error: reason } };
    };
    const bad = await twilioSignatureProblem(req, params, deps);
    if (bad) return refuse(bad.status, bad.reason);
    try {
      const r = await receiveTwilioMessage(deps.store, deps.now(), params);
      await record(deps, { channel, ref, remote: ip, status: 200, result: r.result, reason: r.reason, leadId: r.leadId, outcome: r.outcome });
      return { status: 200, type: 'text/xml; charset=utf-8', body: TWIML_EMPTY };
    } catch (err) {
      if (err instanceof Refusal) return refuse(err.status, err.message);
      throw err;
    }
  },
};

const TWIML = 'text/xml; charset=utf-8';

/** A voice webhook: signature-checked like the SMS one, refusals and results in the intake log (channel voice). */
function voiceRoute(name: string, pattern: RegExp, run: (params: Record<string, string>, deps: RouteDeps) => Promise<{ entry: Pick<IntakeLogEntry, 'result' | 'leadId' | 'outcome' | 'reason'>; twiml: string }>): Route {
  return {
    name,
    method: 'POST',
    pattern,
    async refused(req, _m, status, reason, deps) {
      await record(deps, { channel: 'voice', ref: null, remote: clientIp(req), status, result: 'refused', reason, leadId: null, outcome: null });
    },
    async handle(req, _m, deps) {
      const ip = clientIp(req);
      const params = twilioParams(req);
      const ref = params.CallSid || null;
      const refuse = async (status: number, reason: string): Promise<HttpReply> => {
        await record(deps, { channel: 'voice', ref, remote: ip, status, result: 'refused', reason, leadId: null, outcome: null });
        return { status, body: { error: reason } };
      };
      const bad = await twilioSignatureProblem(req, params, deps);
      if (bad) return refuse(bad.status, bad.reason);
      try {
        const r = await run(params, deps);
        await record(deps, { channel: 'voice', ref, remote: ip, status: 200, ...r.entry });
        return { status: 200, type: TWIML, body: r.twiml };
      } catch (err) {
        if (err instanceof Refusal) return refuse(err.status, err.message);
        throw err;
      }
    },
  };
}

/** POST /intake/twilio/voice/status: status and recording callbacks of calls placed or received through Twilio. */
const voiceStatus = voiceRoute('intake.twilio.voice.status', /^\/intake\/twilio\/voice\/status$/, async (params, deps) => {
  const r = await receiveVoiceStatus(deps.store, deps.now(), params);
  return { entry: { result: r.result, leadId: r.leadId, outcome: r.callId ? `call ${r.callId}` : null, reason: r.reason }, twiml: TWIML_EMPTY };
});

/** POST /intake/twilio/voice/consent: what the lead hears before a recorded call is connected. */
const voiceConsent = voiceRoute('intake.twilio.voice.consent', /^\/intake\/twilio\/voice\/consent$/, async (_params, deps) => ({
  entry: { result: 'accepted', leadId: null, outcome: null, reason: 'recording announced' }, twiml: await consentTwiml(deps.store, deps.env),
}));

/** POST /intake/twilio/voice: a call to the Twilio number (the number's voice webhook). */
const voiceInbound = voiceRoute('intake.twilio.voice', /^\/intake\/twilio\/voice$/, async (params, deps) => {
  const r = await receiveVoiceCall(deps.store, deps.now(), params, { env: deps.env, base: deps.publicUrl });
  return { entry: { result: r.result, leadId: r.leadId, outcome: r.outcome, reason: r.reason }, twiml: r.twiml };
});

export const INTAKE_ROUTES: Route[] = [formPost, formPreflight, twilioInbound, voiceStatus, voiceConsent, voiceInbound];
