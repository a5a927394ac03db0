import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ConflictError, NotFoundError, UsageError, fieldRef, say, type Field, SuppressedError, SUPPRESSED_REFUSAL } from '../../errors.js';
import type { IntakeForm, IntakeLogEntry } from '../../domain/intake.js';
import type { Store } from '../../store/types.js';
import { assertRole } from '../access.js';
import type { ServiceContext } from '../context.js';
import { settingsOf, type LeadInput } from '../leads/service.js';
import { MAX_LIST_ROWS, normalizeEmail, phoneNormalizer } from '../leads/normalize.js';
import { effectiveSetting } from '../settings/service.js';
import { intakeActor, receiveInquiry, type IntakeResult } from './receive.js';
import { keyed, own } from '../../domain/keyed.js';
import { consentValue, type ConsentChannel } from '../../domain/consent.js';
import { recordConsent } from '../consent/service.js';

/** What a submitted field can fill. `custom:<key>` sets a custom field; `ignore` drops the field. */
export const FORM_TARGETS = ['name', 'first-name', 'last-name', 'email', 'phone', 'company', 'message', 'subject', 'address', 'consent-email', 'consent-sms', 'consent-whatsapp', 'consent-call', 'ignore'] as const;

/**
 * Fields recognised without a mapping (compared lower-case with non-letters removed, so
 * your-email, Your_Email and YourEmail are all "youremail"). Anything else is kept: listed under
 * the message on the timeline and in the raw payload.
 */
const DEFAULT_FIELDS: Record<string, string> = keyed(
  Object.entries({
    name: ['name', 'fullname', 'yourname', 'contactname'],
    'first-name': ['firstname', 'givenname', 'fname'],
    'last-name': ['lastname', 'surname', 'familyname', 'lname'],
    email: ['email', 'emailaddress', 'youremail', 'mail', 'email1'],
    phone: ['phone', 'tel', 'telephone', 'mobile', 'phonenumber', 'yourphone', 'yourtel', 'whatsapp', 'cell', 'mobilenumber'],
    company: ['company', 'companyname', 'yourcompany', 'organization', 'organisation', 'business', 'businessname'],
    message: ['message', 'msg', 'yourmessage', 'comments', 'comment', 'enquiry', 'inquiry', 'details', 'body', 'text'],
    subject: ['subject', 'yoursubject', 'topic'],
    address: ['address', 'youraddress'],
    // Consent checkboxes: checked (on, yes, true, 1) grants, no/false/0 withdraws, unchecked (absent) records nothing.
    'consent-email': ['consent', 'emailconsent', 'consentemail', 'newsletter', 'marketingconsent', 'optin', 'emailoptin'],
    'consent-sms': ['smsconsent', 'consentsms', 'smsoptin'],
    'consent-whatsapp': ['whatsappconsent', 'consentwhatsapp', 'whatsappoptin'],
    'consent-call': ['callconsent', 'consentcall', 'phoneconsent', 'consentphone'],
  }).flatMap(([target, names]) => names.map((n) => [n, target] as const)),
);

const squash = (k: string) => k.toLowerCase().replace(/[^a-z0-9]/g, '');

export function parseFieldMap(raw: string): Record<string, string> {
  const map: Record<string, string> = keyed();
  for (const part of raw.split(',').map((p) => p.trim()).filter(Boolean)) {
    const i = part.indexOf('=');
    const from = part.slice(0, i).trim();
    const to = part.slice(i + 1).trim().toLowerCase();
    const custom = /^custom:([\w.-]+)$/i.exec(part.slice(i + 1).trim());
    if (i < 1 || !from || (!custom && !(FORM_TARGETS as readonly string[]).includes(to))) {
      throw new UsageError(say`invalid ${fieldRef('fields')} entry '${part}'`, { id: 'intake.fields', targets: [...FORM_TARGETS] });
    }
    map[from] = custom ? `custom:${custom[1]}` : to;
  }
  return map;
}

/** 10/min, 5/s, 100/h, 1000/day → a token bucket of `count` refilled over `seconds`. */
export function parseRate(raw: string): { count: number; seconds: number } {
  const m = /^\s*(\d+)\s*\/\s*(s|sec|second|m|min|minute|h|hour|d|day)\s*$/i.exec(raw);
  const unit = m?.[2]!.toLowerCase()[0];
  const count = Number(m?.[1]);
  if (!m || !Number.isInteger(count) || count < 1 || count > 100_000) throw new UsageError(say`invalid ${fieldRef('rate')} '${raw}'`, 'use submissions per unit such as 10/min, 2/s, 100/hour, 1000/day');
  return { count, seconds: { s: 1, m: 60, h: 3600, d: 86400 }[unit as 's' | 'm' | 'h' | 'd'] };
}

export const rateText = (f: Pick<IntakeForm, 'rateCount' | 'rateSeconds'>) =>
  `${f.rateCount}/${({ 1: 's', 60: 'min', 3600: 'hour', 86400: 'day' } as Record<number, string>)[f.rateSeconds] ?? `${f.rateSeconds}s`}`;

function urlOf(field: Field, raw: string, originOnly = false): string {
  try {
    const u = new URL(raw.trim());
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('protocol');
    if (originOnly) {
      if (u.pathname !== '/' || u.search || u.hash) throw new Error('not an origin');
      return u.origin;
    }
  } catch {
    throw new UsageError(say`invalid ${fieldRef(field)} '${raw}'`, originOnly ? 'use an origin such as https://acme.example (scheme, host and port only)' : 'use an http:// or https:// URL');
  }
  return raw.trim();
}

export const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/** Compares a presented token with a stored hash in constant time. */
export function tokenMatches(token: string, tokenHash: string): boolean {
  const a = Buffer.from(hashToken(token), 'hex');
  const b = Buffer.from(tokenHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

const newToken = () => `crmf_${randomBytes(24).toString('base64url')}`;

/** Where the endpoint is: the environment (settings) and the running daemon's bound address, if known. */
export interface EndpointEnv {
  env: Record<string, string | undefined>;
  daemonUrl?: string | null;
}

/** The address a website posts to: http.public-url (else the running daemon's, else http.listen) + /intake/form/<name>. */
export async function formEndpoint(store: Store, where: EndpointEnv, name: string): Promise<string | null> {
  const settings = await store.settings.all();
  const listen = effectiveSetting(settings, where.env, 'http.listen').trim();
  if (listen === 'off') return null;
  const base = effectiveSetting(settings, where.env, 'http.public-url') || where.daemonUrl || `http://${listen.startsWith(':') ? `127.0.0.1${listen}` : listen}`;
  return `${base.replace(/\/+$/, '')}/intake/form/${encodeURIComponent(name)}`;
}

export interface FormAddInput {
  fields?: string;
  source?: string;
  tag?: string[];
  honeypot?: string;
  rate?: string;
  redirect?: string;
  origin?: string;
}

export interface FormView {
  name: string;
  /** null: the daemon's HTTP endpoint is off (http.listen off). */
  endpoint: string | null;
  fields: Record<string, string>;
  source: string | null;
  tags: string[];
  honeypot: string | null;
  rate: string;
  redirect: string | null;
  origin: string | null;
  actsAs: string;
  createdAt: string;
  tokenRotatedAt: string | null;
}

async function view(store: Store, where: EndpointEnv, f: IntakeForm): Promise<FormView> {
  const source = f.sourceId === null ? null : ((await store.sources.list()).find((s) => s.id === f.sourceId)?.name ?? null);
  const actor = await store.users.byId(f.actorId);
  return {
    name: f.name, endpoint: await formEndpoint(store, where, f.name), fields: f.fields, source, tags: f.tags, honeypot: f.honeypot,
    rate: rateText(f), redirect: f.redirect, origin: f.origin, actsAs: actor?.email ?? `#${f.actorId}`, createdAt: f.createdAt, tokenRotatedAt: f.tokenRotatedAt,
  };
}

async function formOf(store: Store, name: string): Promise<IntakeForm> {
  const f = await store.intakeForms.byName(name.trim());
  if (!f) {
    const names = (await store.intakeForms.list()).map((x) => x.name);
    throw new NotFoundError(`no intake form '${name}'`, names.length ? `forms are: ${names.join(', ')}` : { id: 'intake.form-add' });
  }
  return f;
}

const MANAGE = ['admin', 'manager'] as const;

/** Adds a form; the token is in the result only (its hash is stored). */
export async function addForm(ctx: ServiceContext, where: EndpointEnv, name: string, input: FormAddInput): Promise<FormView & { token: string }> {
  const { store, actor, now } = ctx;
  assertRole(actor, [...MANAGE], 'add intake forms');
  const n = name.trim();
  if (!/^[A-Za-z0-9][\w.-]{0,63}$/.test(n)) throw new UsageError(`invalid form name '${name}'`, 'use letters, digits, dot, dash or underscore (it is part of the URL), e.g. website');
  const fields = input.fields !== undefined ? parseFieldMap(input.fields) : {};
  const rate = parseRate(input.rate ?? '10/min');
  const honeypot = input.honeypot?.trim() || null;
  if (honeypot && fields[honeypot]) throw new UsageError(say`the honeypot field '${honeypot}' is also mapped by ${fieldRef('fields')}`, 'use a field no person fills in');
  const token = newToken();
  return store.transaction(async () => {
    if (await store.intakeForms.byName(n)) throw new ConflictError(`an intake form '${n}' exists`, { id: 'intake.form-show', name: n });
    // The form's source and tags are created on first use, like the marketplace's source.
    const sourceName = input.source?.trim();
    const source = sourceName ? ((await store.sources.byName(sourceName)) ?? (await store.sources.insert(sourceName))) : null;
    const tags: string[] = [];
    for (const t of input.tag ?? []) tags.push(((await store.tags.byName(t)) ?? (await store.tags.insert(t))).name);
    const form = await store.intakeForms.insert({
      name: n, tokenHash: hashToken(token), fields, sourceId: source?.id ?? null, tags, honeypot, rateCount: rate.count, rateSeconds: rate.seconds,
      redirect: input.redirect !== undefined ? urlOf('redirect', input.redirect) : null,
      origin: input.origin !== undefined ? urlOf('origin', input.origin, true) : null,
      actorId: actor.id, createdAt: now.toISOString(),
    });
    return { ...(await view(store, where, form)), token };
  });
}

export async function listForms(ctx: ServiceContext, where: EndpointEnv): Promise<FormView[]> {
  assertRole(ctx.actor, [...MANAGE], 'see intake forms');
  return Promise.all((await ctx.store.intakeForms.list()).map((f) => view(ctx.store, where, f)));
}

export async function showForm(ctx: ServiceContext, where: EndpointEnv, name: string): Promise<FormView> {
  assertRole(ctx.actor, [...MANAGE], 'see intake forms');
  return view(ctx.store, where, await formOf(ctx.store, name));
}

export async function removeForm(ctx: ServiceContext, name: string): Promise<{ name: string }> {
  assertRole(ctx.actor, [...MANAGE], 'remove intake forms');
  return ctx.store.transaction(async () => {
    const f = await formOf(ctx.store, name);
    await ctx.store.intakeForms.remove(f.id);
    return { name: f.name };
  });
}

/** A new token for the form; the old one stops working at once. */
export async function rotateFormToken(ctx: ServiceContext, where: EndpointEnv, name: string): Promise<FormView & { token: string }> {
  assertRole(ctx.actor, [...MANAGE], 'rotate intake form tokens');
  const token = newToken();
  return ctx.store.transaction(async () => {
    const f = await formOf(ctx.store, name);
    await ctx.store.intakeForms.setTokenHash(f.id, hashToken(token), ctx.now.toISOString());
    return { ...(await view(ctx.store, where, (await ctx.store.intakeForms.byName(f.name))!)), token };
  });
}

export const LOG_CHANNELS = ['form', 'sms', 'whatsapp', 'voice'];

export async function intakeLog(ctx: ServiceContext, opts: { form?: string; channel?: string; limit?: string }): Promise<IntakeLogEntry[]> {
  assertRole(ctx.actor, [...MANAGE], 'see the intake log');
  const limit = opts.limit === undefined ? 50 : Number(opts.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_ROWS) throw new UsageError(say`invalid ${fieldRef('limit')} '${opts.limit}'`, `a whole number from 1 to ${MAX_LIST_ROWS}`);
  const channel = opts.channel?.trim().toLowerCase();
  if (channel !== undefined && !LOG_CHANNELS.includes(channel)) throw new UsageError(say`invalid ${fieldRef('channel')} '${opts.channel}'`, `use one of ${LOG_CHANNELS.join(', ')}`);
  if (opts.form !== undefined) {
    if (channel !== undefined && channel !== 'form') throw new UsageError(say`${fieldRef('form')} goes with ${fieldRef('channel')} form only`, 'drop one of them');
    // A removed form's entries stay readable: only the name is matched.
    return ctx.store.intakeLog.list({ channel: 'form', ref: opts.form.trim(), limit });
  }
  return ctx.store.intakeLog.list({ channel, limit });
}

/** A submission that is refused: nothing is stored but the log entry. */
export class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export type Submitted = Record<string, string | string[]>;

export interface MappedSubmission {
  lead: LeadInput;
  message: { subject: string | null; text: string | null };
  /** Fields no mapping knew: kept on the timeline. */
  extra: Record<string, string>;
  /** Consent checkboxes: channel → granted (true) or withdrawn (false); a value not understood is kept in extra. */
  consent: Partial<Record<ConsentChannel, boolean>>;
}

const values = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).map((x) => x.trim()).filter(Boolean);

/** Applies the form's mapping (then the common names) to a submission. */
export function mapSubmission(form: Pick<IntakeForm, 'fields' | 'honeypot'>, data: Submitted): MappedSubmission {
  const by: Record<string, string[]> = keyed();
  const custom: Record<string, string> = keyed();
  const extra: Record<string, string> = keyed();
  const consent: Partial<Record<ConsentChannel, boolean>> = {};
  for (const [key, raw] of Object.entries(data)) {
    if (key === 'token' || key === form.honeypot) continue;
    const target = own(form.fields, key) ?? own(DEFAULT_FIELDS, squash(key));
    const vs = values(raw);
    if (!vs.length || target === 'ignore') continue;
    if (target?.startsWith('consent-')) {
      const v = consentValue(vs[vs.length - 1]);
      if (typeof v === 'boolean') consent[target.slice('consent-'.length) as ConsentChannel] = v;
      else extra[key] = vs.join(', ');
      continue;
    }
    if (!target) extra[key] = vs.join(', ');
    else if (target.startsWith('custom:')) custom[target.slice('custom:'.length)] = vs.join(', ');
    else (by[target] ??= []).push(...vs);
  }
  const one = (t: string) => by[t]?.join(' ') || undefined;
  const name = one('name') ?? ([one('first-name'), one('last-name')].filter(Boolean).join(' ') || undefined);
  const lines = Object.entries(extra).map(([k, v]) => `${k}: ${v}`);
  const text = [one('message'), lines.length ? lines.join('\n') : undefined].filter(Boolean).join('\n\n') || null;
  return {
    lead: {
      name, businessName: one('company') ?? null, emails: by.email ?? [], phones: by.phone ?? [], address: one('address') ?? null,
      ...(Object.keys(custom).length ? { custom } : {}),
    },
    message: { subject: one('subject') ?? null, text },
    extra,
    consent,
  };
}

/**
 * One accepted form submission → receiveInquiry, as the form's user, with the form's source and
 * tags. A submission without a valid email or phone is refused (422): a lead nobody can answer
 * is not a lead. Runs in one transaction: a refusal stores nothing.
 */
export async function submitForm(store: Store, now: Date, form: IntakeForm, data: Submitted, meta: { remote: string }): Promise<IntakeResult> {
  const mapped = mapSubmission(form, data);
  if (!mapped.lead.emails!.length && !mapped.lead.phones!.length) {
    throw new Refusal(422, `no email or phone: a submission to form ${form.name} needs a way to reach the person (fields ${Object.keys(data).filter((k) => k !== 'token').join(', ') || 'none'})`);
  }
  // Checked before the transaction, so a refusal rolls nothing back (and the phone library is loaded
  // before it: no real wait inside the transaction, where another daemon task could interleave).
  const phone = await phoneNormalizer((await settingsOf(store)).region);
  const valid = (f: (v: string) => string, v: string) => {
    try {
      f(v);
      return true;
    } catch {
      return false;
    }
  };
  if (!mapped.lead.emails!.some((e) => valid(normalizeEmail, e)) && !mapped.lead.phones!.some((p) => valid(phone, p))) {
    throw new Refusal(422, `no valid email or phone in the submission to form ${form.name} (invalid: ${[...mapped.lead.emails!, ...mapped.lead.phones!].join(', ')})`);
  }
  const actor = await intakeActor(store, form.actorId);
  const source = form.sourceId === null ? null : ((await store.sources.list()).find((s) => s.id === form.sourceId)?.name ?? null);
  const payload = keyed(Object.entries(data).filter(([k]) => k !== 'token'));
  return store.transaction(async () => {
    let r: IntakeResult;
    try {
      r = await receiveInquiry({ store, actor, now }, {
        channel: 'form', ref: form.name,
        lead: { ...mapped.lead, source, tags: form.tags },
        message: mapped.message,
        payload: { form: form.name, remote: meta.remote, fields: payload },
      });
    } catch (err) {
      if (err instanceof SuppressedError) throw new Refusal(409, SUPPRESSED_REFUSAL);
      if (err instanceof UsageError) throw new Refusal(422, err.message);
      throw err;
    }
    if (!r.lead.emails.length && !r.lead.phones.length) {
      throw new Refusal(422, `no valid email or phone in the submission to form ${form.name} (invalid: ${r.dropped.join(', ')})`);
    }
    // The person's own checkbox, on whichever lead the submission reached (a new one, or theirs).
    await recordConsent(store, r.lead.id, mapped.consent, 'form', now.toISOString(), null, `form ${form.name}`);
    return r;
  });
}
