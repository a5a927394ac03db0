/**
 * Campaign sending (M1): test sends, sends (now, scheduled, throttled), progress, per-recipient
 * state and cancelling.
 *
 * How a send works
 * - Recipients are resolved when sending, in lead id order, a batch at a time (keyset paging).
 *   Each batch is one transaction: its campaign_recipients rows (queued or skipped with the
 *   reason), one outbox row per queued recipient (pre-rendered content, key
 *   campaign<id>/lead<leadId>) and a 'campaign' timeline entry per queued recipient.
 * - A send interrupted between batches (killed, crashed) leaves the campaign 'sending' with
 *   queued_at null; running `send` again resumes with the original start time and rate, skips the
 *   leads already resolved, and the unique outbox key makes a second row for a lead impossible.
 * - Throttling: recipient number i (0-based, counting queued ones only) is due at
 *   start + i / rate (outbox not-before); the daemon delivers each when it is due.
 * - Status: draft → sending (queuing, or queued with the start time come) / scheduled (queued,
 *   start in the future) → sent once every recipient's message is final (sent, or dead after
 *   its last attempt, or cancelled). That last step is computed from the outbox when a
 *   campaign is read (show, list, recipients, send) and then stored with sent_at = when its last
 *   message became final; a campaign with no message queued (all skipped) is sent at once.
 * - Skipped, not queued: leads opted out of the channel (store.optOuts), email addresses that
 *   bounced (an earlier email to that address went dead on a permanent SMTP 5xx answer), and
 *   leads without an address for the channel, and (privacy.require-consent on) leads whose
 *   consent for the channel is not granted.
 */
import { ConflictError, UsageError, fieldRef, say } from '../../errors.js';
import type { Campaign, CampaignRecipient, CampaignSkip, NewCampaignRecipient } from '../../domain/campaigns.js';
import { messagingPhone } from '../../domain/leads.js';
import type { Lead } from '../../domain/leads.js';
import type { Channel, NewOutboxMessage, OutboxContent } from '../../domain/notify.js';
import type { User } from '../../domain/users.js';
import type { Store } from '../../store/types.js';
import { assertRole } from '../access.js';
import type { ServiceContext } from '../context.js';
import { SEGMENT_ROLES } from '../segments/service.js';
import { effectiveSetting } from '../settings/service.js';
import { dateOrderOf, parseTime, resolveTimeZone } from '../time/parse.js';
import { CAMPAIGN_TAGS, getCampaign, MAX_SMS_SEGMENTS, recipientQuery, renderCampaign, smsSegments } from './service.js';
import { listUnsubscribeHeaders, unsubscribeToken } from './unsubscribe.js';
import { channelStarted, emailSender, transportProblems } from '../notify/transport.js';
import { escapeHtml } from '../../io/html.js';
import { isConsentChannel } from '../../domain/consent.js';
import { consentRequired } from '../consent/service.js';

type Ctx = Pick<ServiceContext, 'store' | 'actor' | 'now'>;

/** Recipients resolved and queued per transaction. */
export const SEND_BATCH = 500;

/** `5/s`, `300/min`, `1000/h` → messages per second. */
export function parseRate(raw: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*\/\s*(s|sec|second|m|min|minute|h|hr|hour)\s*$/i.exec(raw);
  const n = m ? Number(m[1]) : NaN;
  if (!m || !(n > 0)) throw new UsageError(say`invalid ${fieldRef('rate')} '${raw}'`, 'write messages per time unit, e.g. 5/s, 300/min or 1000/h');
  const per = m[2]!.toLowerCase().startsWith('h') ? 3600 : m[2]!.toLowerCase().startsWith('m') ? 60 : 1;
  return n / per;
}

export function formatRate(perSecond: number | null): string {
  if (perSecond === null) return 'unthrottled';
  if (perSecond >= 1) return `${+perSecond.toFixed(2)}/s`;
  if (perSecond * 60 >= 1) return `${+(perSecond * 60).toFixed(2)}/min`;
  return `${+(perSecond * 3600).toFixed(2)}/h`;
}


export interface RenderOptions {
  settings: Record<string, string>;
  env: Record<string, string | undefined>;
  /** Base URL of unsubscribe links (the daemon's public URL), no trailing slash. */
  linkBase: string;
  secret: string;
  /** A test send: marked, and its unsubscribe link unsubscribes nobody. */
  test?: boolean;
}

/** The message for one recipient exactly as it will be sent: email with text, HTML and RFC 8058 headers; SMS/WhatsApp text with the STOP line. */
export function renderMessage(c: Campaign, lead: Lead, o: RenderOptions): OutboxContent & { sms?: ReturnType<typeof smsSegments> } {
  const { subject, body } = renderCampaign(c, lead);
  if (c.type === 'email') {
    const token = o.test ? 'test' : unsubscribeToken(o.secret, lead.id, 'email');
    const url = `${o.linkBase}/u/${token}`;
    const html = `<!DOCTYPE html>\n<html><body>\n${htmlBody(c, lead)}\n` +
      `<p style="font-size:12px;color:#666">You receive this because you are in contact with us. <a href="${escapeHtml(url)}">Unsubscribe</a></p>\n</body></html>\n`;
    return {
      subject: `${o.test ? '[TEST] ' : ''}${subject ?? c.name}`,
      text: `${body.replace(/\s+$/, '')}\n\n--\nTo stop receiving these emails: ${url}`,
      html,
      // As previewed; the deliverer builds them again from `unsubscribe` with the sender of then.
      headers: { ...listUnsubscribeHeaders(url, token, emailSender(o.settings, o.env)), ...(o.test ? { 'X-CRM-Test': 'true' } : {}) },
      unsubscribe: { url, token },
    };
  }
  const stop = effectiveSetting(o.settings, o.env, c.type === 'sms' ? 'campaign.sms-stop-text' : 'campaign.whatsapp-stop-text');
  const text = `${o.test ? '[TEST] ' : ''}${body.replace(/\s+$/, '')}${stop ? `\n${stop}` : ''}`;
  return { subject: c.name, text, ...(c.type === 'sms' ? { sms: smsSegments(text) } : {}) };
}

const TAG = /\{([^{}\s]*)\}/g;

/** The body as HTML: the template's text and every value filled in are escaped; blank lines → paragraphs, line breaks → <br>. */
export function htmlBody(c: Pick<Campaign, 'name' | 'body'>, lead: Lead): string {
  let out = '';
  let last = 0;
  for (const m of c.body.matchAll(TAG)) {
    const fill = CAMPAIGN_TAGS[m[1]!];
    out += escapeHtml(c.body.slice(last, m.index)) + escapeHtml(fill ? fill(lead, c) : m[0]);
    last = m.index! + m[0].length;
  }
  out += escapeHtml(c.body.slice(last));
  return out
    .trim()
    .split(/\n\s*\n/)
    .map((p) => `<p>${p.replace(/\n/g, '<br>\n')}</p>`)
    .join('\n');
}

function addressOf(c: Pick<Campaign, 'type'>, lead: Lead): string | null {
  return (c.type === 'email' ? lead.emails[0] : messagingPhone(lead.phones)) ?? null;
}

function assertSendable(c: Campaign, o: { linkBase?: string }): void {
  if (c.type === 'email' && !c.subject) throw new UsageError(`campaign ${c.id} is an email without a subject`, { id: 'campaign.add-subject', campaignId: c.id });
  if (c.type === 'email' && !o.linkBase) {
    throw new UsageError('email campaigns need an unsubscribe link the outside world can reach', { id: 'campaign.public-url' });
  }
}

/**
 * The channel's settings are checked before anything is queued: a campaign queued without a sender
 * would only wait in the outbox (held until the setting is fixed).
 */
async function assertTransport(store: Store, c: Campaign, env: Record<string, string | undefined>): Promise<void> {
  const settings = await store.settings.all();
  // A channel not set up at all is the daemon's to report (its messages wait until it is); one set up
  // in part (smtp.host without a sender) is a mistake made now, refused here.
  if (!channelStarted(c.type, settings, env)) return;
  const problems = transportProblems(c.type, settings, env, { secrets: false });
  if (problems.length === 0) return;
  throw new UsageError(`campaign ${c.id} cannot be sent by ${c.type}: ${problems.map((p) => p.problem).join('; ')}; nothing was queued`, { id: 'config.transport', settings: problems.map((p) => p.setting) });
}

async function* pages(store: Store, q: Awaited<ReturnType<typeof recipientQuery>>, size: number): AsyncGenerator<Lead[]> {
  let afterId = 0;
  for (;;) {
    const page = await store.leads.list({ ...q, sort: { key: 'id', desc: false }, afterId, limit: size });
    if (page.length === 0) return;
    yield page;
    afterId = page[page.length - 1]!.id;
    if (page.length < size) return;
  }
}

/** Settles a queued campaign whose messages are all final: status sent, sent_at when the last one became final. */
export async function settle(ctx: Pick<ServiceContext, 'store' | 'now'>, c: Campaign): Promise<Campaign> {
  if (!['sending', 'scheduled'].includes(c.status) || c.queuedAt === null) return c;
  const { counts, lastFinalAt } = await ctx.store.campaigns.tally(c.id);
  if ((counts.pending ?? 0) + (counts.sending ?? 0) + (counts.failed ?? 0) > 0) {
    // A scheduled campaign whose start has come is sending.
    if (c.status === 'scheduled' && c.sendAt && c.sendAt <= ctx.now.toISOString()) {
      await ctx.store.campaigns.transition(c.id, ['scheduled'], 'sending', {});
      return { ...c, status: 'sending' };
    }
    return c;
  }
  const sentAt = lastFinalAt ?? c.queuedAt;
  await ctx.store.campaigns.transition(c.id, ['sending', 'scheduled'], 'sent', { sentAt });
  return { ...c, status: 'sent', sentAt };
}

export interface SendOptions {
  at?: string;
  rate?: string;
  /** --tz; else notify.timezone, then `timeZone` (CRM_TZ / config), then the system zone. */
  tz?: string;
  timeZone?: string;
  env?: Record<string, string | undefined>;
  /** Base of unsubscribe links (email); the command finds it (http.public-url or the running daemon). */
  linkBase?: string;
  batch?: number;
  /** Called after each batch is committed (progress; a test interrupts a send here). */
  onBatch?: (done: number, total: number) => void | Promise<void>;
}

export interface SendPlan {
  campaign: Campaign;
  /** Recipients the audience resolves to now. */
  recipients: number;
  /** A send interrupted before every recipient was queued: it resumes. */
  resume: boolean;
  sendAt: string;
  rate: number | null;
}

/** Checks a send can go ahead and what it will do (for the confirmation prompt); changes nothing. */
export async function planSend(ctx: Ctx, id: number, o: SendOptions): Promise<SendPlan> {
  assertRole(ctx.actor, SEGMENT_ROLES, 'send campaigns');
  const c = await settle(ctx, await getCampaign(ctx, id));
  const resume = c.status === 'sending' && c.queuedAt === null;
  if (c.status !== 'draft' && !resume) {
    throw new ConflictError(
      `campaign ${id} is ${c.status}${c.sentAt ? ` (sent ${c.sentAt.slice(0, 16).replace('T', ' ')})` : ''}; it cannot be sent again`,
      c.status === 'cancelled' ? { id: 'campaign.new' } : { id: 'campaign.show-resend', campaignId: id },
    );
  }
  assertSendable(c, o);
  await assertTransport(ctx.store, c, o.env ?? {});
  let sendAt = ctx.now.toISOString();
  let rate: number | null = null;
  if (resume) {
    sendAt = c.sendAt ?? sendAt;
    rate = c.rate;
  } else {
    if (o.rate !== undefined) rate = parseRate(o.rate);
    if (o.at !== undefined) {
      const settings = await ctx.store.settings.all();
      const timeZone = resolveTimeZone(o.tz, settings['notify.timezone'] || o.timeZone);
      const at = await parseTime(o.at, fieldRef('at'), { now: ctx.now, timeZone, dateOrder: await dateOrderOf(ctx.store, ctx.actor), forward: true });
      if (at.getTime() < ctx.now.getTime()) throw new UsageError(say`${fieldRef('at')} '${o.at}' is in the past (${at.toISOString()})`, { id: 'campaign.at-future' });
      sendAt = at.toISOString();
    }
  }
  const recipients = await ctx.store.leads.count(await recipientQuery(ctx, c));
  if (recipients === 0 && !resume) throw new UsageError(`campaign ${id} has no recipients: its audience (${c.audience}${c.tag ? `, tag ${c.tag}` : ''}) is empty`, { id: 'campaign.nothing-queued' });
  return { campaign: c, recipients, resume, sendAt, rate };
}

export interface SendResult {
  campaign: Campaign;
  resumed: boolean;
  recipients: number;
  /** Messages queued by this run (a resumed run counts only its own). */
  queued: number;
  skipped: Record<CampaignSkip, number>;
  sendAt: string;
  rate: number | null;
  /** When the last message queued is due (throttled sends). */
  lastDueAt: string | null;
}

/** Sends a campaign (or resumes an interrupted send): see the file comment. */
export async function sendCampaign(ctx: Ctx, id: number, o: SendOptions): Promise<SendResult> {
  const plan = await planSend(ctx, id, o);
  const { store } = ctx;
  const c = plan.campaign;
  const env = o.env ?? {};
  const at = ctx.now.toISOString();
  const settings = await store.settings.all();
  const secret = await store.campaigns.secret();
  const q = await recipientQuery(ctx, c);
  const size = o.batch ?? SEND_BATCH;
  const render = (lead: Lead) => renderMessage(c, lead, { settings, env, linkBase: o.linkBase ?? '', secret });
  // Bad input is refused before anything is queued: every SMS is checked against the carrier limit first.
  if (c.type === 'sms') {
    for await (const page of pages(store, q, size)) {
      for (const lead of page) {
        const sms = render(lead).sms!;
        if (sms.segments > MAX_SMS_SEGMENTS) {
          throw new UsageError(`the SMS to ${lead.name} (lead ${lead.id}) is ${sms.units} ${sms.encoding} characters: ${sms.segments} segments (at most ${MAX_SMS_SEGMENTS}); nothing was sent`, { id: 'campaign.shorten-sms', campaignId: id });
        }
      }
    }
  }
  if (!plan.resume && !(await store.campaigns.transition(id, ['draft'], 'sending', { sendAt: plan.sendAt, rate: plan.rate, sentBy: ctx.actor.id }))) {
    throw new ConflictError(`campaign ${id} is no longer a draft (another send started it)`, { id: 'campaign.show', campaignId: id });
  }
  const channel: Channel = c.type;
  const start = new Date(plan.sendAt).getTime();
  const bounced = c.type === 'email' ? await store.campaigns.bouncedEmails() : new Set<string>();
  const skipped: Record<CampaignSkip, number> = { 'opted-out': 0, bounced: 0, 'no-address': 0, 'no-consent': 0 };
  const needConsent = isConsentChannel(channel) && (await consentRequired(store));
  let queued = 0;
  let done = 0;
  let lastDueAt: string | null = null;
  for await (const page of pages(store, q, size)) {
    await store.transaction(async () => {
      const seen = await store.campaigns.resolved(id, page.map((l) => l.id));
      const granted = needConsent && isConsentChannel(channel) ? await store.consent.granted(page.map((l) => l.id), channel) : undefined;
      let seq = await store.campaigns.nextSeq(id);
      const rows: NewCampaignRecipient[] = [];
      const messages: NewOutboxMessage[] = [];
      for (const lead of page) {
        if (seen.has(lead.id)) continue;
        const address = addressOf(c, lead);
        let skip: CampaignSkip | null = null;
        if (!address) skip = 'no-address';
        else if ((await store.optOuts.list('lead', lead.id)).includes(channel)) skip = 'opted-out';
        else if (c.type === 'email' && bounced.has(address.toLowerCase())) skip = 'bounced';
        else if (granted && !granted.has(lead.id)) skip = 'no-consent';
        if (skip) {
          skipped[skip]++;
          rows.push({ leadId: lead.id, seq: -1, status: skip, address, outboxKey: null });
          continue;
        }
        const key = `campaign${id}/lead${lead.id}`;
        const due = plan.rate === null ? plan.sendAt : new Date(start + Math.floor((seq * 1000) / plan.rate)).toISOString();
        const { sms: _sms, ...content } = render(lead);
        messages.push({ key, rule: `campaign:${id}`, channel, recipientKind: 'lead', recipientId: lead.id, address, leadId: lead.id, vars: { campaign: String(id) }, content, notBefore: due });
        rows.push({ leadId: lead.id, seq, status: 'queued', address, outboxKey: key });
        await store.activities.add({
          leadId: lead.id, type: 'campaign', at, userId: ctx.actor.id,
          body: `Campaign "${c.name}" (${c.type}) queued to ${address}${due > at ? ` for ${due.slice(0, 16).replace('T', ' ')} UTC` : ''}`,
          data: { campaignId: id, campaign: c.name, channel, address, status: 'queued', key, due },
        });
        seq++;
        lastDueAt = due;
      }
      await store.campaigns.addRecipients(id, rows, at);
      queued += await store.outbox.enqueue(messages, at);
    });
    done += page.length;
    await o.onBatch?.(done, plan.recipients);
  }
  const total = await store.campaigns.tally(id);
  const anyQueued = Object.entries(total.counts).some(([k, n]) => !['opted-out', 'bounced', 'no-address', 'no-consent'].includes(k) && (n ?? 0) > 0);
  if (!anyQueued) await store.campaigns.transition(id, ['sending'], 'sent', { queuedAt: at, sentAt: at });
  else await store.campaigns.transition(id, ['sending'], plan.sendAt > at ? 'scheduled' : 'sending', { queuedAt: at });
  return { campaign: await getCampaign(ctx, id), resumed: plan.resume, recipients: plan.recipients, queued, skipped, sendAt: plan.sendAt, rate: plan.rate, lastDueAt };
}

/** Sends the campaign to the acting user only (their email, or phone from crm notify phone), marked as a test; the campaign is unchanged. */
export async function testCampaign(ctx: Ctx, id: number, o: { env?: Record<string, string | undefined>; linkBase?: string }): Promise<{ campaign: Campaign; address: string; key: string; contact: { id: number; name: string } | null }> {
  assertRole(ctx.actor, SEGMENT_ROLES, 'send campaigns');
  const c = await getCampaign(ctx, id);
  if (c.type === 'email' && !c.subject) throw new UsageError(`campaign ${c.id} is an email without a subject`, { id: 'campaign.add-subject', campaignId: c.id });
  await assertTransport(ctx.store, c, o.env ?? {});
  const address = c.type === 'email' ? ctx.actor.email : (await ctx.store.userPhones.get(ctx.actor.id)) ?? null;
  if (!address) throw new UsageError(`you (${ctx.actor.email}) have no phone number for a ${c.type} test`, { id: 'notify.phone', email: ctx.actor.email });
  // Rendered with the first recipient's fields, like preview; with none, with the acting user's.
  const [lead] = await ctx.store.leads.list({ ...(await recipientQuery(ctx, c)), sort: { key: 'id', desc: false }, limit: 1 });
  const settings = await ctx.store.settings.all();
  const content = renderMessage(c, lead ?? asLead(ctx.actor), { settings, env: o.env ?? {}, linkBase: o.linkBase || 'http://localhost', secret: '', test: true });
  if (content.sms && content.sms.segments > MAX_SMS_SEGMENTS) throw new UsageError(`the test SMS is ${content.sms.segments} segments (at most ${MAX_SMS_SEGMENTS})`, { id: 'campaign.shorten-test', campaignId: id });
  const { sms: _sms, ...rest } = content;
  const at = ctx.now.toISOString();
  const key = `campaign-test${id}/user${ctx.actor.id}/${at}/${Math.random().toString(36).slice(2, 8)}`;
  await ctx.store.outbox.enqueue([{ key, rule: `campaign-test:${id}`, channel: c.type, recipientKind: 'user', recipientId: ctx.actor.id, address, leadId: null, vars: { campaign: String(id), test: 'true' }, content: rest }], at);
  return { campaign: c, address, key, contact: lead ? { id: lead.id, name: lead.name } : null };
}

function asLead(u: User): Lead {
  return { id: 0, name: u.name, businessName: null, emails: [u.email], phones: [], source: null, stage: '', score: 0, valueMinor: null, currency: '', expectedClose: null, address: null, birthday: null } as unknown as Lead;
}

export interface CampaignProgress {
  recipients: number;
  queued: number;
  pending: number;
  sending: number;
  sent: number;
  failed: number;
  dead: number;
  cancelled: number;
  optedOut: number;
  bounced: number;
  noAddress: number;
  noConsent: number;
}

export async function campaignProgress(ctx: Pick<ServiceContext, 'store'>, c: Campaign): Promise<CampaignProgress> {
  const { counts } = await ctx.store.campaigns.tally(c.id);
  const n = (k: CampaignRecipient['status']) => counts[k] ?? 0;
  const queued = n('pending') + n('sending') + n('sent') + n('failed') + n('dead') + n('cancelled');
  return {
    recipients: queued + n('opted-out') + n('bounced') + n('no-address') + n('no-consent'), queued, pending: n('pending'), sending: n('sending'), sent: n('sent'),
    failed: n('failed'), dead: n('dead'), cancelled: n('cancelled'), optedOut: n('opted-out'), bounced: n('bounced'), noAddress: n('no-address'), noConsent: n('no-consent'),
  };
}

export const RECIPIENT_STATUSES: CampaignRecipient['status'][] = ['pending', 'sending', 'sent', 'failed', 'dead', 'cancelled', 'opted-out', 'bounced', 'no-address', 'no-consent'];

export async function campaignRecipients(ctx: Ctx, id: number, q: { status?: string; limit?: number } = {}): Promise<{ campaign: Campaign; recipients: CampaignRecipient[] }> {
  const c = await settle(ctx, await getCampaign(ctx, id));
  const status = q.status?.trim().toLowerCase().replace(/^opted[_ ]?out$/, 'opted-out').replace(/^no[_ ]?address$/, 'no-address');
  if (status !== undefined && !RECIPIENT_STATUSES.includes(status as CampaignRecipient['status'])) {
    throw new UsageError(`unknown recipient status '${q.status}'`, `statuses are: ${RECIPIENT_STATUSES.join(', ')}`);
  }
  if (c.status === 'draft') return { campaign: c, recipients: [] };
  return { campaign: c, recipients: await ctx.store.campaigns.recipients(id, { status: status as CampaignRecipient['status'] | undefined, limit: q.limit }) };
}

/** Cancels a scheduled or sending campaign: its messages not yet handed to a transport are dead-lettered as cancelled. */
export async function cancelCampaign(ctx: Ctx, id: number): Promise<{ campaign: Campaign; cancelled: number }> {
  assertRole(ctx.actor, SEGMENT_ROLES, 'cancel campaigns');
  const c = await settle(ctx, await getCampaign(ctx, id));
  if (c.status !== 'scheduled' && c.status !== 'sending') {
    throw new ConflictError(`campaign ${id} is ${c.status}; only a scheduled or sending campaign can be cancelled`, c.status === 'draft' ? { id: 'campaign.draft-send' } : { id: 'campaign.show', campaignId: id });
  }
  const at = ctx.now.toISOString();
  const cancelled = await ctx.store.transaction(async () => {
    if (!(await ctx.store.campaigns.transition(id, ['scheduled', 'sending'], 'cancelled', { cancelledAt: at }))) throw new ConflictError(`campaign ${id} changed meanwhile`, 'try again');
    return ctx.store.campaigns.cancelPending(id, at);
  });
  return { campaign: await getCampaign(ctx, id), cancelled };
}


/** A campaign with its numbers: for a draft, how many the audience resolves to now; once sent, the recipients resolved then and their message states. */
export async function campaignReport(ctx: Ctx, id: number): Promise<Campaign & { recipients: number; progress: CampaignProgress | null }> {
  const c = await settle(ctx, await getCampaign(ctx, id));
  if (c.status === 'draft') return { ...c, recipients: await ctx.store.leads.count(await recipientQuery(ctx, c)), progress: null };
  const progress = await campaignProgress(ctx, c);
  return { ...c, recipients: progress.recipients, progress };
}

/** Every campaign, newest first, with finished sends settled. */
export async function listCampaignsSettled(ctx: Ctx): Promise<Campaign[]> {
  const out: Campaign[] = [];
  for (const c of await ctx.store.campaigns.list()) out.push(await settle(ctx, c));
  return out;
}
