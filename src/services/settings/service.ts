import { NotFoundError, UsageError } from '../../errors.js';
import { maskUrlCredentials } from '../../io/mask.js';
import { assertRole } from '../access.js';
import type { ServiceContext } from '../context.js';
import { normalizeCurrency } from '../leads/normalize.js';
import { keyed } from '../../domain/keyed.js';
import { PORTAL_SECTIONS } from '../../domain/portal.js';
import { DEFAULT_SLA, TICKET_PRIORITIES, parseSla } from '../../domain/tickets.js';
import { isTimeZone, systemTimeZone } from '../time/zone.js';

/** Team-wide settings (U3), stored in the store. Per-person settings live in the config file. */
export interface SettingSpec {
  description: string;
  default: string;
  normalize: (raw: string) => string;
  /** A password or token: never printed (config list/get show it masked). */
  secret?: boolean;
  /** An environment variable that wins over the stored value (secrets are best kept there). */
  env?: string;
}

const list = (raw: string) => raw.split(',').map((s) => s.trim()).filter(Boolean).join(',');
const text = (raw: string) => raw.trim();
const bool = (key: string) => (raw: string) => {
  const v = raw.trim().toLowerCase();
  if (['true', 'yes', 'on', '1'].includes(v)) return 'true';
  if (['false', 'no', 'off', '0', ''].includes(v)) return 'false';
  throw new UsageError(`invalid ${key} '${raw}'`, 'use true or false');
};
const int = (key: string, min: number, max: number) => (raw: string) => {
  const n = Number(raw.trim());
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`invalid ${key} '${raw}'`, `a whole number from ${min} to ${max}`);
  return String(n);
};
const url = (key: string) => (raw: string) => {
  const v = raw.trim();
  if (!v) return '';
  try {
    const u = new URL(v);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('protocol');
  } catch {
    throw new UsageError(`invalid ${key} '${raw}'`, 'use an http:// or https:// URL');
  }
  return v;
};
const clock = (key: string) => (raw: string) => {
  const m = /^(\d{1,2}):(\d{2})$/.exec(raw.trim());
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) throw new UsageError(`invalid ${key} '${raw}'`, 'use a 24-hour time such as 07:00 or 19:30');
  return `${m[1]!.padStart(2, '0')}:${m[2]}`;
};
const sla = (key: string) => (raw: string) => {
  const v = raw.trim().toLowerCase().replace(/\s+/g, '');
  if (!parseSla(v)) throw new UsageError(`invalid ${key} '${raw}'`, 'give FIRST-RESPONSE/RESOLUTION durations such as 4h/2d (a minute to a year each; resolution not shorter)');
  return v;
};
export const timeZone = (raw: string) => {
  const v = raw.trim();
  if (!v) return '';
  if (!isTimeZone(v)) throw new UsageError(`unknown time zone '${raw}'`, 'use an IANA name such as Asia/Kolkata, Europe/Lisbon or UTC');
  return v;
};
const httpListen = (raw: string) => {
  const v = raw.trim();
  if (v === 'off') return v;
  if (!/^(?:\[[0-9a-fA-F:.]+\]|[^:[\]]*):\d{1,5}$/.test(v) || Number(v.slice(v.lastIndexOf(':') + 1)) > 65535) {
    throw new UsageError(`invalid http.listen '${raw}'`, 'use host:port such as 127.0.0.1:8765 (port 0 picks a free one), or off');
  }
  return v;
};

export const dateOrder = (raw: string) => {
  const v = raw.trim().toLowerCase();
  if (v && !['dmy', 'mdy', 'ymd'].includes(v)) throw new UsageError(`invalid date-order '${raw}'`, 'use dmy (31/12/2026), mdy (12/31/2026) or ymd (2026/12/31)');
  return v;
};

const MASK = '********';

export const SETTINGS: Record<string, SettingSpec> = keyed({
  currency: { description: 'currency of new leads (ISO 4217)', default: 'USD', normalize: normalizeCurrency },
  'phone.region': {
    description: 'country assumed for phone numbers written without +country code (ISO 3166 alpha-2)',
    default: '',
    normalize: (raw) => {
      const r = raw.trim().toUpperCase();
      if (r && !/^[A-Z]{2}$/.test(r)) throw new UsageError(`invalid region '${raw}'`, 'use a two-letter country code such as IN, US, PT');
      return r;
    },
  },
  'date-order': {
    description: 'how numeric dates such as 05/12/2027 are read: dmy or mdy (ymd: year first only); empty: from phone.region (US and a few others mdy, elsewhere dmy), and with no region an ambiguous date is refused',
    default: '',
    normalize: (raw) => dateOrder(raw),
  },
  'junk.domains': { description: 'email domains whose leads are filed as junk (comma-separated)', default: '', normalize: (r) => list(r).toLowerCase() },
  'mcp.allow-write': { description: 'let AI agents change records (add and edit leads, notes, calls, stage moves, follow-ups) in every MCP session, not only those started to allow it', default: 'false', normalize: bool('mcp.allow-write') },
  'privacy.suppressed': {
    description: 'a new lead whose email or phone belongs to an erased person: refuse (not added; forms and inquiries log it as refused) or flag (added, with a timeline note saying so)',
    default: 'refuse',
    normalize: (raw) => {
      const v = raw.trim().toLowerCase();
      if (!['refuse', 'flag'].includes(v)) throw new UsageError(`invalid privacy.suppressed '${raw}'`, 'use refuse or flag');
      return v;
    },
  },
  'privacy.require-consent': {
    description: 'campaigns go only to leads whose consent for the channel is granted (a form checkbox, an import column, recorded by hand); off: to everyone not opted out',
    default: 'false',
    normalize: bool('privacy.require-consent'),
  },
  'dashboard.hot-sources': { description: 'sources whose open leads count as hot on the dashboard (comma-separated)', default: '', normalize: list },
  'junk.words': { description: 'words in a name that file a lead as junk (comma-separated)', default: '', normalize: (r) => list(r).toLowerCase() },
  'demo.confirmed-stage': { description: 'stage a lead moves to when its demo is confirmed (empty: no move)', default: '', normalize: (r) => r.trim() },
  'demo.completed-stage': { description: 'stage a lead moves to when its demo is completed (empty: the stage after demo.confirmed-stage)', default: '', normalize: (r) => r.trim() },
  // Notifications (N2–N4): channels, delivery and the daemon's schedule.
  'smtp.host': { description: 'SMTP server for email notifications (empty: email off)', default: '', normalize: text },
  'smtp.port': { description: 'SMTP port (587 submission with STARTTLS, 465 TLS)', default: '587', normalize: int('smtp.port', 1, 65535) },
  'smtp.secure': { description: 'TLS from the start (true for port 465)', default: 'false', normalize: bool('smtp.secure') },
  'smtp.ignore-tls': { description: 'never upgrade with STARTTLS (only for a trusted local relay)', default: 'false', normalize: bool('smtp.ignore-tls') },
  'smtp.user': { description: 'SMTP user name', default: '', normalize: text },
  'smtp.pass': { description: 'SMTP password (CRM_SMTP_PASS wins)', default: '', normalize: text, secret: true, env: 'CRM_SMTP_PASS' },
  'smtp.from': { description: 'From address of notification emails', default: '', normalize: text },
  'twilio.account-sid': { description: 'Twilio account SID for SMS and WhatsApp (empty: off)', default: '', normalize: text },
  'twilio.auth-token': { description: 'Twilio auth token (CRM_TWILIO_AUTH_TOKEN wins)', default: '', normalize: text, secret: true, env: 'CRM_TWILIO_AUTH_TOKEN' },
  'twilio.sms-from': { description: 'Twilio number SMS are sent from (E.164)', default: '', normalize: text },
  'twilio.whatsapp-from': { description: 'Twilio WhatsApp sender (E.164, without whatsapp:)', default: '', normalize: text },
  'twilio.voice-from': { description: 'Twilio number calls come from: the caller id the lead sees, and the number inbound calls reach (E.164)', default: '', normalize: text },
  'twilio.voice-record': { description: 'record calls dialled through Twilio (true or false; the lead hears twilio.voice-consent first)', default: 'false', normalize: bool('twilio.voice-record') },
  'twilio.voice-consent': { description: 'what a lead hears when they answer a recorded call, before the rep is connected', default: 'This call may be recorded for quality and training.', normalize: (r) => r.trim() },
  'twilio.voice-unknown': {
    description: 'what a call to the Twilio number from an unknown number makes: lead (a lead with source Phone) or none',
    default: 'lead',
    normalize: (raw) => {
      const v = raw.trim().toLowerCase();
      if (v !== 'lead' && v !== 'none') throw new UsageError(`invalid twilio.voice-unknown '${raw}'`, 'use lead or none');
      return v;
    },
  },
  'twilio.api-url': { description: 'Twilio API base URL (empty: https://api.twilio.com; set for a proxy or a test server)', default: '', normalize: url('twilio.api-url') },
  'webhook.url': { description: 'URL that receives every notification as a signed JSON POST (empty: off)', default: '', normalize: url('webhook.url') },
  'webhook.secret': { description: 'HMAC-SHA256 key of the X-CRM-Signature header (CRM_WEBHOOK_SECRET wins)', default: '', normalize: text, secret: true, env: 'CRM_WEBHOOK_SECRET' },
  'webhook.timeout-ms': { description: 'webhook request timeout in milliseconds', default: '5000', normalize: int('webhook.timeout-ms', 100, 120000) },
  'outbox.max-attempts': { description: 'delivery attempts before a notification is dead-lettered', default: '8', normalize: int('outbox.max-attempts', 1, 100) },
  'outbox.backoff-seconds': { description: 'first retry delay; doubles on each attempt (capped at 6 h)', default: '30', normalize: int('outbox.backoff-seconds', 1, 86400) },
  'outbox.keep-days': { description: 'days sent notifications are kept before the daily prune', default: '30', normalize: int('outbox.keep-days', 1, 3650) },
  'notify.timezone': { description: 'time zone of {date} and {time} in messages and of daily jobs (empty: the system zone)', default: '', normalize: timeZone },
  'notify.not-attempted-minutes': { description: 'minutes after creation before an untouched lead is reported to its rep', default: '30', normalize: int('notify.not-attempted-minutes', 1, 10080) },
  'notify.lost-sources': { description: 'sources whose lost leads are reported to managers (comma-separated)', default: 'online,ivr', normalize: (r) => list(r).toLowerCase() },
  'mailbox.pass': { description: 'password of the IMAP mailbox polled for inquiries (CRM_IMAP_PASS wins; see crm mailbox set)', default: '', normalize: text, secret: true, env: 'CRM_IMAP_PASS' },
  'marketplace.site-key': { description: 'ExportersIndia API site key (CRM_MARKETPLACE_SITE_KEY wins; set with crm marketplace set)', default: '', normalize: text, secret: true, env: 'CRM_MARKETPLACE_SITE_KEY' },
  'routing.default': {
    description: 'who gets a routed lead no routing rule matches: a user email, group:NAME, or empty (unassigned)',
    default: '',
    normalize: (raw) => {
      const v = raw.trim();
      if (v && !/^group:[\w.-]+$/i.test(v) && !/^[^\s@]+@[^\s@]+$/.test(v)) throw new UsageError(`invalid routing.default '${raw}'`, 'use a user email, group:NAME, or an empty value');
      return v;
    },
  },
  'scoring.free-mail-domains': { description: 'free-mail domains besides the built-in list, for scoring rules with mail=free / mail=company (comma-separated)', default: '', normalize: (r) => list(r).toLowerCase() },
  // The daemon's HTTP endpoint (C4 intake, M1 unsubscribe links).
  'http.listen': { description: "address of the daemon's HTTP endpoint, host:port (port 0: any free port; off: no endpoint; CRM_HTTP_LISTEN wins)", default: '127.0.0.1:8765', normalize: httpListen, env: 'CRM_HTTP_LISTEN' },
  'http.allow-public': { description: 'true: http.listen may be an address other machines reach (0.0.0.0, a LAN address); prefer loopback behind a reverse proxy', default: 'false', normalize: bool('http.allow-public') },
  'http.public-url': { description: 'base URL the outside world uses to reach the endpoint, behind a reverse proxy (empty: the listen address)', default: '', normalize: url('http.public-url') },
  'http.max-body-kb': { description: 'largest request body the endpoint accepts, in KiB (larger: 413)', default: '64', normalize: int('http.max-body-kb', 1, 10240) },
  // Campaigns (M1): the opt-out line appended to every campaign SMS / WhatsApp message (counted in its segments).
  'campaign.sms-stop-text': { description: 'line appended to campaign SMS (empty: none)', default: 'Reply STOP to opt out', normalize: (r) => r.trim() },
  'campaign.whatsapp-stop-text': { description: 'line appended to campaign WhatsApp messages (empty: none)', default: '', normalize: (r) => r.trim() },
  // Proposals and quotations (P1, P2).
  'business.name': { description: 'your business name: heads proposal and invoice PDFs, {our_business} in proposal templates', default: '', normalize: text },
  'business.address': { description: 'your business address under the name on proposal and invoice PDFs (lines separated by ;), e.g. "Rua Augusta 10; 1100-053 Lisboa; VAT PT123456789"', default: '', normalize: text },
  'proposal.approval': {
    description: 'required: a sent proposal waits for a manager or admin (crm proposal approve); off: sent at once', default: 'off',
    normalize: (raw) => {
      const v = raw.trim().toLowerCase();
      if (['required', 'on', 'true', 'yes'].includes(v)) return 'required';
      if (['off', 'false', 'no', 'none', ''].includes(v)) return 'off';
      throw new UsageError(`invalid proposal.approval '${raw}'`, 'use required or off');
    },
  },
  'proposal.stage': { description: 'stage a lead moves to when a proposal is sent, if it exists and is ahead of the lead (off: no move)', default: 'Proposal Sent', normalize: (r) => r.trim() || 'off' },
  'proposal.logo': { description: 'PNG or JPEG file printed on proposal and invoice PDFs (empty: none)', default: '', normalize: text },
  'proposal.font': { description: 'TrueType/OpenType font file embedded in proposal and invoice PDFs, for text beyond Latin-1 (empty: Helvetica)', default: '', normalize: text },
  'proposal.valid-days': { description: 'days a proposal is valid when sent without --valid-until (0: no expiry)', default: '30', normalize: int('proposal.valid-days', 0, 3650) },
  'proposal.remind-days': { description: 'days before a proposal expires that its rep is reminded (0: no reminder)', default: '1', normalize: int('proposal.remind-days', 0, 365) },
  'proposal.max-attachment-mb': { description: 'largest proposal attachment, and largest proposal email, in MB', default: '10', normalize: int('proposal.max-attachment-mb', 1, 100) },
  // Support tickets (W2): first-response/resolution targets per priority, in calendar time from the ticket's opening.
  ...Object.fromEntries(TICKET_PRIORITIES.map((p) => [`ticket.sla.${p}`, {
    description: `${p}-priority tickets: first-response/resolution targets, e.g. ${DEFAULT_SLA[p]} (m, h, d, w; counted from the ticket's opening)`,
    default: DEFAULT_SLA[p], normalize: sla(`ticket.sla.${p}`),
  } satisfies SettingSpec])),
  'ticket.categories': { description: 'the ticket categories allowed, comma-separated (empty: any category)', default: '', normalize: list },
  // Orders and invoices (O1), contact persons (L10).
  'invoice.prefix': {
    description: 'text before every invoice number (letters, digits, - _ / .; up to 20)', default: 'INV-',
    normalize: (raw) => {
      const v = raw.trim();
      if (!/^[A-Za-z0-9_./-]{0,20}$/.test(v)) throw new UsageError(`invalid invoice.prefix '${raw}'`, 'use up to 20 letters, digits, -, _, / or ., e.g. INV-');
      return v;
    },
  },
  'invoice.counter': {
    description: 'yearly: numbers restart each year (INV-2026-0001); continuous: one counter for ever (INV-000001)', default: 'yearly',
    normalize: (raw) => {
      const v = raw.trim().toLowerCase();
      if (v !== 'yearly' && v !== 'continuous') throw new UsageError(`invalid invoice.counter '${raw}'`, 'use yearly or continuous');
      return v;
    },
  },
  'invoice.terms': { description: 'payment terms printed on invoice PDFs and in invoice emails, e.g. "Bank transfer to IBAN PT50 0000 0000 0000 0000 0000 0"', default: '', normalize: text },
  'invoice.due-days': { description: 'days after billing an invoice is due when billed without a due day', default: '14', normalize: int('invoice.due-days', 0, 3650) },
  'lead.max-persons': { description: 'contact persons a company lead or customer may have', default: '3', normalize: int('lead.max-persons', 1, 100) },
  // The customer portal (W1), served by the daemon under /portal/.
  'portal.enabled': { description: 'true: contacts sign in to the customer portal at <http.public-url>/portal/ (false: every /portal path is a 404)', default: 'false', normalize: bool('portal.enabled') },
  'portal.link-minutes': { description: 'minutes a portal sign-in link stays valid (it is used once)', default: '30', normalize: int('portal.link-minutes', 1, 1440) },
  'portal.session-hours': { description: 'hours a portal session lasts after sign-in', default: '12', normalize: int('portal.session-hours', 1, 720) },
  'portal.order-request-prefix': {
    description: 'text before the title of a draft order a contact requests in the portal', default: 'Order request: ',
    normalize: (raw) => {
      if (raw.length > 40 || /[\r\n]/.test(raw)) throw new UsageError(`invalid portal.order-request-prefix '${raw}'`, 'use up to 40 characters on one line, e.g. "Order request: "');
      return raw;
    },
  },
  'portal.sections': {
    description: `the portal's sections shown to contacts, comma-separated (of ${PORTAL_SECTIONS.join(', ')})`, default: PORTAL_SECTIONS.join(','),
    normalize: (raw) => {
      const v = list(raw).toLowerCase().split(',').filter(Boolean);
      const bad = v.find((x) => !(PORTAL_SECTIONS as readonly string[]).includes(x));
      if (bad !== undefined) throw new UsageError(`invalid portal.sections '${raw}': unknown section '${bad}'`, `use some of: ${PORTAL_SECTIONS.join(', ')}`);
      return [...new Set(v)].join(',');
    },
  },
  'daemon.time.scoring': { description: 'daily time the daemon recomputes scores whose rules count recent calls or notes', default: '02:30', normalize: clock('daemon.time.scoring') },
  'daemon.time.followup-rules': { description: 'daily time the daemon runs the follow-up rules, e.g. calls about overdue invoices', default: '06:00', normalize: clock('daemon.time.followup-rules') },
  'daemon.time.outbox-prune': { description: 'daily time the daemon deletes old sent notifications', default: '03:00', normalize: clock('daemon.time.outbox-prune') },
  'daemon.time.appointments': { description: "daily time of the message to clients and reps about the day's appointments", default: '07:00', normalize: clock('daemon.time.appointments') },
  'daemon.time.daily-report': { description: 'daily time of the report to managers (demos, leads by user, source and status)', default: '19:00', normalize: clock('daemon.time.daily-report') },
});

/** A setting's effective value: its environment variable, then the store, then the default. */
export function effectiveSetting(stored: Record<string, string>, env: Record<string, string | undefined>, key: string): string {
  const s = spec(key);
  const fromEnv = s.env ? env[s.env] : undefined;
  return fromEnv || (stored[key] ?? s.default);
}

/**
 * The team's time zone, in which its days are counted (messages' {date}, daily jobs, due and
 * expiry days, the portal's today): notify.timezone (its variable, then the store), else the
 * system's zone, as the setting's description says.
 */
export function teamTimeZone(stored: Record<string, string>, env: Record<string, string | undefined> = {}): string {
  return effectiveSetting(stored, env, 'notify.timezone') || systemTimeZone();
}

/** A value as printed: secrets masked whole, a password or token inside a URL (https://user:pass@host) masked in place. */
export function maskSecret(key: string, value: string): string {
  return SETTINGS[key]?.secret && value ? MASK : maskUrlCredentials(value);
}

function spec(key: string): SettingSpec {
  const s = SETTINGS[key];
  if (!s) throw new NotFoundError(`unknown setting '${key}'`, `settings are: ${Object.keys(SETTINGS).join(', ')}`);
  return s;
}

export async function listSettings(ctx: Pick<ServiceContext, 'store'>): Promise<{ key: string; value: string; description: string }[]> {
  const stored = await ctx.store.settings.all();
  return Object.entries(SETTINGS).map(([key, s]) => ({ key, value: maskSecret(key, stored[key] ?? s.default), description: s.description }));
}

export async function getSetting(ctx: Pick<ServiceContext, 'store'>, key: string): Promise<string> {
  const s = spec(key);
  return maskSecret(key, (await ctx.store.settings.get(key)) ?? s.default);
}

/** Back to the default (admins only). */
export async function unsetSetting(ctx: ServiceContext, key: string): Promise<string> {
  const s = spec(key);
  assertRole(ctx.actor, ['admin'], 'change team settings');
  await ctx.store.transaction(() => ctx.store.settings.set(key, null));
  return maskSecret(key, s.default);
}

export async function setSetting(ctx: ServiceContext, key: string, raw: string): Promise<string> {
  const s = spec(key);
  assertRole(ctx.actor, ['admin'], 'change team settings');
  const value = s.normalize(raw);
  await ctx.store.transaction(() => ctx.store.settings.set(key, value));
  return maskSecret(key, value);
}
