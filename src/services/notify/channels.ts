import * as crypto from 'node:crypto';
import type { Channel, OutboxContent, OutboxFailure, OutboxMessage } from '../../domain/notify.js';
import type { Store } from '../../store/types.js';
import { effectiveSetting } from '../settings/service.js';
import type { Rendered } from './templates.js';
import { emailSender, transportProblems } from './transport.js';
import { maskUrlCredentials } from '../../io/mask.js';
import { listUnsubscribeHeaders } from '../campaigns/unsubscribe.js';

/**
 * A delivery that failed; `permanent` ones are dead-lettered at once (retrying cannot help). `kind`
 * is recorded with it (OUTBOX_FAILURES). `held`: the channel's settings are missing or invalid, so
 * nothing was tried; the message waits (no attempt counted, never dead) until they are fixed.
 */
export class DeliveryError extends Error {
  constructor(message: string, readonly permanent: boolean, readonly kind: OutboxFailure = 'error', readonly held = false) {
    // Recorded on the message and logged: a URL's credentials (webhook.url, twilio.api-url) never are.
    super(maskUrlCredentials(message));
  }
}

/** A channel that cannot send with the current settings: the message is held, not failed for good. */
export function heldError(channel: Channel, settings: Settings, env: Env): DeliveryError | undefined {
  const problems = transportProblems(channel, settings, env);
  if (problems.length === 0) return undefined;
  return new DeliveryError(`held until fixed: ${problems.map((p) => p.problem).join('; ')}`, false, 'error', true);
}

type Env = Record<string, string | undefined>;
export type Settings = Record<string, string>;

/** The Message-ID of an email: derived from the idempotency key, so a resent message is recognisably the same one. */
export function messageId(key: string): string {
  return `<${sha256Hex(key).slice(0, 40)}@crm.idempotency>`;
}

/**
 * crypto.hash (Node ≥ 20.12) is the one-shot digest, without a Hash object a call (a daemon
 * computes one a message). Looked up on first use: node:crypto is loaded only when needed.
 */
function sha256Hex(text: string): string {
  const hash = (crypto as unknown as { hash?: (alg: string, data: string, enc: 'hex') => string }).hash;
  return hash ? hash('sha256', text, 'hex') : crypto.createHash('sha256').update(text).digest('hex');
}

export function webhookSignature(secret: string, body: string): string {
  return `sha256=${crypto.createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** The email transport's settings, from one settings object. */
interface EmailSettings {
  /** What keeps email from being sent (transportProblems), if anything. */
  held?: string;
  opts: { host: string; port: number; secure: boolean; ignoreTLS: boolean; auth?: { user: string; pass: string } };
  /** The transport options as text: a change rebuilds the pool. */
  sig: string;
  from: string;
}

interface Mailer {
  sendMail(m: Record<string, unknown>): Promise<unknown>;
  verify(): Promise<unknown>;
  close(): void;
}

/**
 * The channels' transports, created on first use from the team settings (and the environment
 * for secrets) and rebuilt when the settings change. nodemailer and twilio are imported here
 * only, when a message is first delivered.
 */
export class Channels {
  private mailer?: { sig: string; t: Promise<Mailer> };
  private twilio?: { sig: string; client: Promise<any> };
  /**
   * What email delivery reads from one settings object (a delivery round reads the settings once
   * and sends many messages with them): worked out on its first message, not on every one.
   */
  private emailSettings = new WeakMap<Settings, EmailSettings>();

  constructor(private store: Store, private env: Env) {}

  private get(settings: Settings, key: string): string {
    return effectiveSetting(settings, this.env, key);
  }

  private email(settings: Settings): EmailSettings {
    let e = this.emailSettings.get(settings);
    if (!e) {
      const problems = transportProblems('email', settings, this.env);
      const host = this.get(settings, 'smtp.host');
      const opts = {
        host, port: Number(this.get(settings, 'smtp.port')), secure: this.get(settings, 'smtp.secure') === 'true',
        ignoreTLS: this.get(settings, 'smtp.ignore-tls') === 'true',
        auth: this.get(settings, 'smtp.user') ? { user: this.get(settings, 'smtp.user'), pass: this.get(settings, 'smtp.pass') } : undefined,
      };
      e = { held: problems.length ? problems.map((p) => p.problem).join('; ') : undefined, opts, sig: JSON.stringify(opts), from: emailSender(settings, this.env) };
      this.emailSettings.set(settings, e);
    }
    return e;
  }

  async smtp(settings: Settings): Promise<Mailer> {
    const { opts, sig } = this.email(settings);
    if (!opts.host) throw new DeliveryError('held until fixed: email is not configured (smtp.host is empty)', false, 'error', true);
    if (this.mailer?.sig !== sig) {
      // Cache the promise, not the transport: concurrent deliveries must share one pool.
      void this.mailer?.t.then((t) => t.close(), () => undefined);
      const t = import('nodemailer').then((nodemailer) => {
        const create = (nodemailer as any).createTransport ?? (nodemailer as any).default.createTransport;
        return create({ ...opts, pool: true, maxConnections: 5, maxMessages: 1000, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 }) as Mailer;
      });
      this.mailer = { sig, t };
    }
    return this.mailer.t;
  }

  async twilioClient(settings: Settings): Promise<any> {
    const sid = this.get(settings, 'twilio.account-sid');
    const token = this.get(settings, 'twilio.auth-token');
    if (!sid || !token) throw new DeliveryError('held until fixed: Twilio is not configured (twilio.account-sid and twilio.auth-token / CRM_TWILIO_AUTH_TOKEN)', false, 'error', true);
    const apiUrl = this.get(settings, 'twilio.api-url').replace(/\/+$/, '');
    const sig = JSON.stringify([sid, token, apiUrl]);
    if (this.twilio?.sig !== sig) {
      const client = import('twilio').then((mod) => {
        const twilio = ((mod as any).default ?? mod) as any;
        let httpClient: unknown;
        if (apiUrl) {
          // Twilio has no base-URL option: rewrite https://<x>.twilio.com to the configured server.
          const base = new twilio.RequestClient({ timeout: 15_000 });
          httpClient = { request: (o: { uri: string }) => base.request({ ...o, uri: o.uri.replace(/^https:\/\/[^/]+/, apiUrl) }) };
        }
        return twilio(sid, token, { httpClient, timeout: 15_000 });
      });
      this.twilio = { sig, client };
    }
    return this.twilio.client;
  }

  /** Delivers one rendered message on its channel; throws DeliveryError. */
  async send(msg: OutboxMessage, content: Rendered & Partial<OutboxContent>, settings: Settings, now: Date): Promise<void> {
    switch (msg.channel) {
      case 'inbox': {
        if (msg.recipientKind !== 'user' || msg.recipientId === null) throw new DeliveryError('the inbox is for users only', true);
        await this.store.inbox.add({ userId: msg.recipientId, outboxId: msg.id, rule: msg.rule, leadId: msg.leadId, subject: content.subject, body: content.text, createdAt: now.toISOString() });
        return;
      }
      case 'email': {
        if (!msg.address) throw new DeliveryError('recipient has no email address', true);
        const email = this.email(settings);
        if (email.held) throw new DeliveryError(`held until fixed: ${email.held}`, false, 'error', true);
        const t = await this.smtp(settings);
        const { from } = email;
        // List-Unsubscribe is built now, from the current sender: a message queued (or held) under
        // other settings still gets both its https and its mailto: part.
        const link = content.unsubscribe ?? linkOfHeader(content.headers?.['List-Unsubscribe']);
        const unsubscribe = link ? listUnsubscribeHeaders(link.url, link.token, from) : {};
        try {
          await t.sendMail({
            from, to: msg.address, subject: content.subject, text: `${content.text}\n`, messageId: content.messageId ?? messageId(msg.key),
            headers: { ...content.headers, ...unsubscribe, 'X-CRM-Idempotency-Key': msg.key, 'X-CRM-Rule': msg.rule },
            ...(content.html ? { html: content.html } : {}),
            ...(content.cc?.length ? { cc: content.cc } : {}),
            ...(content.bcc?.length ? { bcc: content.bcc } : {}),
            ...(content.replyTo ? { replyTo: content.replyTo } : {}),
            ...(msg.attachments?.length ? { attachments: msg.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content, ...(a.encoding ? { encoding: a.encoding } : {}) })) } : {}),
          });
        } catch (err) {
          throw smtpError(err);
        }
        return;
      }
      case 'sms':
      case 'whatsapp': {
        if (!msg.address) throw new DeliveryError(`recipient has no phone number for ${msg.channel}`, true);
        const held = heldError(msg.channel, settings, this.env);
        if (held) throw held;
        const from = this.get(settings, msg.channel === 'sms' ? 'twilio.sms-from' : 'twilio.whatsapp-from');
        const client = await this.twilioClient(settings);
        const wa = (n: string) => (msg.channel === 'whatsapp' ? `whatsapp:${n}` : n);
        try {
          await client.messages.create({ to: wa(msg.address), from: wa(from), body: content.text });
        } catch (err) {
          throw twilioError(err);
        }
        return;
      }
      case 'webhook': {
        const held = heldError('webhook', settings, this.env);
        if (held) throw held;
        const url = this.get(settings, 'webhook.url');
        const body = JSON.stringify({ id: msg.id, key: msg.key, rule: msg.rule, leadId: msg.leadId, subject: content.subject, text: content.text, vars: msg.vars, createdAt: msg.createdAt });
        await postWebhook(url, body, this.get(settings, 'webhook.secret'), Number(this.get(settings, 'webhook.timeout-ms')), msg.key);
        return;
      }
    }
  }

  close(): void {
    void this.mailer?.t.then((t) => t.close(), () => undefined);
    this.mailer = undefined;
    this.twilio = undefined;
  }
}

export async function postWebhook(url: string, body: string, secret: string, timeoutMs: number, key: string): Promise<number> {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'crm', 'x-crm-idempotency-key': key };
  if (secret) headers['x-crm-signature'] = webhookSignature(secret, body);
  // fetch refuses a URL holding credentials: they go as HTTP Basic auth, as curl sends them.
  let target = url;
  try {
    const u = new URL(url);
    if (u.username || u.password) {
      headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64')}`;
      u.username = '';
      u.password = '';
      target = u.toString();
    }
  } catch {
    // Not a URL: fetch says so below.
  }
  let res: Response;
  // A timer of our own, not AbortSignal.timeout(): that one does not keep the process alive, and
  // fetch can wait forever on a server that drops the connection as it accepts it, so a CLI
  // (crm doctor) would exit 0 with nothing printed.
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(new DOMException('timed out', 'TimeoutError')), timeoutMs);
  try {
    res = await fetch(target, { method: 'POST', headers, body, signal: abort.signal });
    await res.arrayBuffer().catch(() => undefined);
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    if (e.name === 'TimeoutError') throw new DeliveryError(`webhook ${url} timed out after ${timeoutMs} ms`, false);
    // A system error's code says it (ECONNREFUSED); undici's own codes do not (Node 22's fetch
    // reports a dropped connection as UND_ERR_SOCKET), their message does ("other side closed").
    const code = e.cause?.code;
    throw new DeliveryError(`webhook ${url}: ${code && !code.startsWith('UND_ERR') ? code : (e.cause?.message ?? e.message)}`, false);
  } finally {
    clearTimeout(timer);
  }
  if (res.status >= 200 && res.status < 300) return res.status;
  const permanent = res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429;
  throw new DeliveryError(`webhook ${url} answered HTTP ${res.status}`, permanent);
}

/** The link of a List-Unsubscribe header rendered before `unsubscribe` was kept with the content (messages queued by an older crm). */
function linkOfHeader(header: string | undefined): { url: string; token: string } | undefined {
  const m = /^<(https?:\/\/[^>]*\/u\/(\d+\.email\.[\w-]+))>/.exec(header ?? '');
  return m ? { url: m[1]!, token: m[2]! } : undefined;
}

function smtpError(err: unknown): DeliveryError {
  const e = err as Error & { code?: string; responseCode?: number; response?: string };
  const what = e.code === 'EAUTH' ? 'SMTP refused the login' : e.code === 'ECONNECTION' || e.code === 'ESOCKET' ? 'SMTP server unreachable' : 'SMTP error';
  // A 5xx answer about the message or recipient will not change on retry; a refused login might (the password gets fixed).
  const permanent = e.code !== 'EAUTH' && typeof e.responseCode === 'number' && e.responseCode >= 500;
  // That answer is a bounce: campaigns skip the address from then on. A server refusing the
  // connection (ECONNECTION/ESOCKET) says nothing about the address.
  const bounce = permanent && what === 'SMTP error';
  return new DeliveryError(`${what}: ${e.response ?? e.message}${e.code ? ` (${e.code})` : ''}`, permanent, bounce ? 'bounce' : 'error');
}

function twilioError(err: unknown): DeliveryError {
  const e = err as Error & { status?: number; code?: number | string };
  if (typeof e.status === 'number') {
    const permanent = e.status >= 400 && e.status < 500 && e.status !== 408 && e.status !== 429;
    return new DeliveryError(`Twilio answered HTTP ${e.status}${e.code ? ` (error ${e.code})` : ''}: ${e.message}`, permanent);
  }
  return new DeliveryError(`Twilio unreachable: ${e.code ?? e.message}`, false);
}
