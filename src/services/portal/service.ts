/**
 * The customer portal (SPEC W1): magic links, sessions and CSRF tokens, and the team's commands
 * (invite, sessions, revoke, settings). A link or session token is 32 random bytes; the store
 * keeps only its SHA-256, so that a copy of the store signs nobody in. A link is used once
 * (one guarded update) and expires after portal.link-minutes; a session after
 * portal.session-hours, or when revoked, or when the contact person loses portal access. The
 * records a contact sees are read through the services' PortalScope functions (orders,
 * proposals, tickets), each checked against the session's lead.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { ConflictError, NotFoundError, UsageError } from '../../errors.js';
import { PORTAL_SECTIONS, type PortalContact, type PortalScope, type PortalSection, type PortalSession } from '../../domain/portal.js';
import type { Lead } from '../../domain/leads.js';
import type { Store } from '../../store/types.js';
import { assertRole, canTouchLead } from '../access.js';
import type { ServiceContext } from '../context.js';
import { getLead } from '../leads/service.js';
import { normalizeEmail, parseId } from '../leads/normalize.js';
import { effectiveSetting, setSetting } from '../settings/service.js';

export interface PortalSettings {
  enabled: boolean;
  linkMinutes: number;
  sessionHours: number;
  orderRequestPrefix: string;
  sections: PortalSection[];
}

export function portalSettingsOf(settings: Record<string, string>): PortalSettings {
  const get = (key: string) => effectiveSetting(settings, {}, key);
  return {
    enabled: get('portal.enabled') === 'true',
    linkMinutes: Number(get('portal.link-minutes')),
    sessionHours: Number(get('portal.session-hours')),
    orderRequestPrefix: get('portal.order-request-prefix'),
    sections: get('portal.sections').split(',').filter((s): s is PortalSection => (PORTAL_SECTIONS as readonly string[]).includes(s)),
  };
}

export async function portalSettings(store: Store): Promise<PortalSettings> {
  return portalSettingsOf(await store.settings.all());
}

// ---- Tokens ----

/** A new secret token: 32 random bytes, URL-safe. */
export const newToken = () => randomBytes(32).toString('base64url');
/** What the store keeps of a token. */
export const tokenHash = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/** A CSRF token tied to a secret (the session's token; before sign-in, a cookie's random value) and a purpose. */
export function csrfToken(secret: string, purpose = 'portal'): string {
  return createHmac('sha256', secret).update(`csrf:${purpose}`).digest('base64url');
}

/** Whether a form's CSRF token is the one of this secret (constant time). */
export function csrfOk(secret: string, given: string | null | undefined, purpose = 'portal'): boolean {
  if (!given) return false;
  const want = Buffer.from(csrfToken(secret, purpose));
  const got = Buffer.from(given);
  return got.length === want.length && timingSafeEqual(got, want);
}

const plusMinutes = (now: Date, minutes: number) => new Date(now.getTime() + minutes * 60_000).toISOString();

/**
 * A fixed-window counter per key, in the daemon's memory: the portal's login form allows so many
 * requests per remote address in a window. (Per email, the store counts the links made.)
 */
export class RateLimiter {
  private hits = new Map<string, { start: number; n: number }>();
  constructor(readonly limit: number, readonly windowMs: number) {}

  /** Counts a request; false when the key has used up its window. */
  take(key: string, nowMs: number): boolean {
    const h = this.hits.get(key);
    if (!h || nowMs - h.start >= this.windowMs) {
      if (this.hits.size > 10_000) for (const [k, v] of this.hits) if (nowMs - v.start >= this.windowMs) this.hits.delete(k);
      this.hits.set(key, { start: nowMs, n: 1 });
      return true;
    }
    h.n += 1;
    return h.n <= this.limit;
  }
}

/** Links mailed to one address per window, whoever asks (the login form or the team). */
export const LINKS_PER_EMAIL = 3;
export const EMAIL_WINDOW_MINUTES = 15;

// ---- Links ----

interface LinkTarget extends PortalContact {
  lead: Lead;
}

/** Queues the sign-in email of a new link; returns the link's id and its outbox key. */
async function mailLink(store: Store, now: Date, t: LinkTarget, base: string, createdById: number | null, remote: string | null): Promise<{ linkId: number; outboxKey: string; expiresAt: string }> {
  const settings = await store.settings.all();
  const ps = portalSettingsOf(settings);
  const token = newToken();
  const at = now.toISOString();
  const expiresAt = plusMinutes(now, ps.linkMinutes);
  const business = effectiveSetting(settings, {}, 'business.name') || 'our';
  return store.transaction(async () => {
    const linkId = await store.portal.insertLink({ tokenHash: tokenHash(token), leadId: t.leadId, personId: t.personId, email: t.email, createdById, remote, expiresAt }, at);
    const url = `${base.replace(/\/+$/, '')}/portal/login/${token}`;
    const outboxKey = `portal/link${linkId}`;
    await store.outbox.enqueue([{
      key: outboxKey, rule: 'portal-link', channel: 'email', recipientKind: 'lead', recipientId: t.leadId, address: t.email, leadId: t.leadId, vars: {},
      content: {
        subject: `Your sign-in link to the ${business === 'our' ? '' : `${business} `}customer portal`,
        text: `Hello ${t.name},\n\nSign in to ${business} customer portal (${t.lead.businessName ?? t.lead.name}) with this link:\n\n${url}\n\n` +
          `It works once and for ${ps.linkMinutes} minutes. If you did not ask for it, ignore this email: nobody can sign in without it.\n`,
      },
    }], at);
    return { linkId, outboxKey, expiresAt };
  });
}

export type RequestOutcome = 'sent' | 'unknown' | 'limited';

/**
 * The login form: mails a link to each contact (at most 3) the address belongs to. The caller
 * answers the same whatever the outcome, so that the form tells nobody which addresses are known.
 */
export async function requestLink(store: Store, now: Date, rawEmail: string, remote: string, base: string): Promise<RequestOutcome> {
  let email: string;
  try {
    email = normalizeEmail(rawEmail).toLowerCase();
  } catch {
    return 'unknown';
  }
  const contacts = (await store.portal.contactsByEmail(email)).slice(0, 3);
  if (!contacts.length) return 'unknown';
  const since = new Date(now.getTime() - EMAIL_WINDOW_MINUTES * 60_000).toISOString();
  if ((await store.portal.linksSince(email, since)) >= LINKS_PER_EMAIL) return 'limited';
  for (const c of contacts) {
    const lead = await store.leads.get(c.leadId);
    if (lead) await mailLink(store, now, { ...c, email, lead }, base, null, remote);
  }
  return 'sent';
}

/** Whether a link can still be used (the GET of the link shows a Sign in button, or says it is not valid). */
export async function linkUsable(store: Store, now: Date, token: string): Promise<boolean> {
  const l = await store.portal.linkByHash(tokenHash(token));
  return Boolean(l && l.usedAt === null && l.expiresAt > now.toISOString());
}

/** The contact a link or session is for, if they may still use the portal (person's access on, lead not deleted). */
async function scopeOf(store: Store, x: { leadId: number; personId: number | null; email: string }): Promise<PortalScope | undefined> {
  const lead = await store.leads.get(x.leadId);
  if (!lead || lead.deletedAt) return undefined;
  if (x.personId === null) return { leadId: lead.id, personId: null, name: lead.name, email: x.email };
  const p = await store.contactPersons.get(x.personId);
  if (!p || !p.portal || p.leadId !== lead.id) return undefined;
  return { leadId: lead.id, personId: p.id, name: p.name, email: x.email };
}

export interface SignedIn {
  /** The session's token: the cookie's value, never stored. */
  token: string;
  sessionId: number;
  scope: PortalScope;
  expiresAt: string;
}

/** The POST of a link: uses it (once) and opens a session; undefined when the link is unknown, used or expired. */
export async function signIn(store: Store, now: Date, linkToken: string, remote: string | null, userAgent: string | null): Promise<SignedIn | undefined> {
  const at = now.toISOString();
  const ps = await portalSettings(store);
  return store.transaction(async () => {
    const link = await store.portal.useLink(tokenHash(linkToken), at);
    if (!link) return undefined;
    const scope = await scopeOf(store, link);
    if (!scope) return undefined;
    const token = newToken();
    const expiresAt = new Date(now.getTime() + ps.sessionHours * 3_600_000).toISOString();
    const sessionId = await store.portal.insertSession({
      tokenHash: tokenHash(token), leadId: link.leadId, personId: link.personId, email: link.email, linkId: link.id, remote, userAgent: userAgent?.slice(0, 300) ?? null, expiresAt,
    }, at);
    return { token, sessionId, scope, expiresAt };
  });
}

/** The live session of a cookie's token, and who it acts for. */
export async function sessionOf(store: Store, now: Date, token: string): Promise<{ session: PortalSession; scope: PortalScope } | undefined> {
  if (!token || token.length > 100) return undefined;
  const session = await store.portal.liveSession(tokenHash(token), now.toISOString());
  if (!session) return undefined;
  const scope = await scopeOf(store, session);
  return scope && { session, scope };
}

export async function signOut(store: Store, now: Date, sessionId: number): Promise<void> {
  await store.transaction(() => store.portal.endSession(sessionId, 'logout', now.toISOString()));
}

// ---- The team's side ----

/** Who may invite and revoke: admins, managers, and the lead's reps (getLead refuses a rep another's lead). */
const INVITERS = ['admin', 'manager', 'rep'] as const;

/**
 * A lead or contact person named on the command line: a lead id ("12"), a contact person
 * ("person:3"), or an email of either.
 */
async function targetOf(ctx: Pick<ServiceContext, 'store' | 'actor'>, ref: string): Promise<LinkTarget> {
  const raw = ref.trim();
  const person = /^(?:person:|p)(\d+)$/i.exec(raw);
  if (person) {
    const p = await ctx.store.contactPersons.get(Number(person[1]));
    if (!p) throw new NotFoundError(`no contact person ${person[1]}`);
    const lead = await getLead(ctx, p.leadId);
    if (!p.portal) throw new ConflictError(`contact person ${p.id} (${p.name}) has no portal access`, { id: 'portal.person-access', personId: p.id });
    if (!p.email) throw new UsageError(`contact person ${p.id} (${p.name}) has no email address; the link is sent by email`, { id: 'portal.person-access', personId: p.id });
    return { leadId: lead.id, personId: p.id, name: p.name, email: p.email, lead };
  }
  if (raw.includes('@')) {
    const email = normalizeEmail(raw);
    const found = (await ctx.store.portal.contactsByEmail(email)).filter((c) => c);
    const visible: LinkTarget[] = [];
    for (const c of found) {
      const lead = await ctx.store.leads.get(c.leadId);
      if (lead && canTouchLead(ctx.actor, lead)) visible.push({ ...c, lead });
    }
    if (!visible.length) throw new NotFoundError(`no contact person with portal access nor lead of yours has the email ${email}`, 'name them by lead id or person:ID');
    if (visible.length > 1) throw new UsageError(`${email} belongs to ${visible.length} contacts (${visible.map((v) => (v.personId === null ? `lead ${v.leadId}` : `person:${v.personId}`)).join(', ')})`, 'name one by lead id or person:ID');
    return visible[0]!;
  }
  const lead = await getLead(ctx, parseId(raw, 'lead'));
  const email = lead.emails[0];
  if (!email) throw new UsageError(`lead ${lead.id} (${lead.name}) has no email address; the link is sent by email`, { id: 'lead.add-email', leadId: lead.id });
  return { leadId: lead.id, personId: null, name: lead.name, email, lead };
}

export interface InviteResult {
  leadId: number;
  personId: number | null;
  name: string;
  email: string;
  linkId: number;
  outboxKey: string;
  expiresAt: string;
}

/** crm portal invite: mails a sign-in link to a lead's email or a contact person with portal access. `base`: http.public-url (or the daemon's address). */
export async function invite(ctx: ServiceContext, ref: string, base: string | undefined): Promise<InviteResult> {
  assertRole(ctx.actor, INVITERS, 'invite contacts to the portal');
  const t = await targetOf(ctx, ref);
  if (!(await portalSettings(ctx.store)).enabled) throw new ConflictError('the customer portal is off: the link would lead nowhere', { id: 'portal.on' });
  if (!base) throw new UsageError('there is no address for the link: http.public-url is empty and no daemon endpoint is running', { id: 'portal.public-url' });
  const r = await mailLink(ctx.store, ctx.now, t, base, ctx.actor.id, null);
  return { leadId: t.leadId, personId: t.personId, name: t.name, email: t.email, ...r };
}

/** crm portal sessions: the live sessions (of one lead), those of the actor's leads for a rep. */
export async function listSessions(ctx: Pick<ServiceContext, 'store' | 'actor' | 'now'>, leadId?: number): Promise<PortalSession[]> {
  if (leadId !== undefined) await getLead(ctx, leadId, { includeDeleted: true });
  const all = await ctx.store.portal.sessions(leadId, ctx.now.toISOString());
  if (ctx.actor.role !== 'rep') return all;
  const out: PortalSession[] = [];
  for (const s of all) {
    const lead = await ctx.store.leads.get(s.leadId);
    if (lead && canTouchLead(ctx.actor, lead)) out.push(s);
  }
  return out;
}

export interface RevokeResult {
  leadId: number;
  personId: number | null;
  /** Whose: the whole lead (its email's and every person's) or one person. */
  scope: 'lead' | 'person';
  sessionsEnded: number;
}

/** crm portal revoke: ends the live sessions and voids the unused links of a lead (all its contacts) or of one contact person. */
export async function revoke(ctx: ServiceContext, ref: string): Promise<RevokeResult> {
  assertRole(ctx.actor, INVITERS, 'revoke portal access');
  const raw = ref.trim();
  const person = /^(?:person:|p)(\d+)$/i.exec(raw);
  const at = ctx.now.toISOString();
  if (person) {
    const p = await ctx.store.contactPersons.get(Number(person[1]));
    if (!p) throw new NotFoundError(`no contact person ${person[1]}`);
    await getLead(ctx, p.leadId, { includeDeleted: true });
    const n = await ctx.store.transaction(() => ctx.store.portal.revoke(p.leadId, p.id, at));
    return { leadId: p.leadId, personId: p.id, scope: 'person', sessionsEnded: n };
  }
  const lead = await getLead(ctx, parseId(raw, 'lead'), { includeDeleted: true });
  const n = await ctx.store.transaction(() => ctx.store.portal.revoke(lead.id, undefined, at));
  return { leadId: lead.id, personId: null, scope: 'lead', sessionsEnded: n };
}

export interface PortalChange {
  on?: boolean;
  linkMinutes?: string;
  sessionHours?: string;
  orderRequestPrefix?: string;
  sections?: string;
}

/** crm portal set: the portal's settings (admins, as every team setting). */
export async function setPortal(ctx: ServiceContext, c: PortalChange): Promise<PortalSettings> {
  const pairs: [string, string | undefined][] = [
    ['portal.enabled', c.on === undefined ? undefined : String(c.on)], ['portal.link-minutes', c.linkMinutes], ['portal.session-hours', c.sessionHours],
    ['portal.order-request-prefix', c.orderRequestPrefix], ['portal.sections', c.sections],
  ];
  for (const [key, v] of pairs) if (v !== undefined) await setSetting(ctx, key, v);
  return portalSettings(ctx.store);
}
