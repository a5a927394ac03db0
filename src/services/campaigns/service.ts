/** Campaigns (M1), drafts: create with validated template tags, list, show, preview for one recipient. */
import { ConflictError, NotFoundError, UsageError, fieldRef, say } from '../../errors.js';
import { CAMPAIGN_TYPES, type Campaign, type CampaignType } from '../../domain/campaigns.js';
import { messagingPhone } from '../../domain/leads.js';
import type { Lead, LeadQuery } from '../../domain/leads.js';
import { formatMoney } from '../../io/format.js';
import { assertRole, seesAllLeads } from '../access.js';
import type { ServiceContext } from '../context.js';
import { findSegment, SEGMENT_ROLES, segmentQuery } from '../segments/service.js';
import { keyed } from '../../domain/keyed.js';

type Ctx = Pick<ServiceContext, 'store' | 'actor'>;

/** The tags a campaign body or subject may use: the three named ones and the contact's fields. */
export const CAMPAIGN_TAGS: Record<string, (lead: Lead, campaign: Pick<Campaign, 'name'>) => string> = keyed({
  contact_name: (l) => l.name,
  campaign_name: (_l, c) => c.name,
  business_name: (l) => l.businessName ?? '',
  name: (l) => l.name,
  email: (l) => l.emails[0] ?? '',
  phone: (l) => l.phones[0] ?? '',
  source: (l) => l.source ?? '',
  stage: (l) => l.stage,
  score: (l) => String(l.score),
  value: (l) => (l.valueMinor === null ? '' : formatMoney(l.valueMinor, l.currency)),
  currency: (l) => l.currency,
  expected_close: (l) => l.expectedClose ?? '',
  address: (l) => l.address ?? '',
  birthday: (l) => l.birthday ?? '',
  lead_id: (l) => String(l.id),
});
const TAG = /\{([^{}\s]*)\}/g;

/** SMS limits: a body over this many parts is refused. */
export const MAX_SMS_SEGMENTS = 10;
const GSM7 = /^[@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&'()*+,\-./0-9:;<=>?¡A-ZÄÖÑÜ§¿a-zäöñüà^{}\\[~\]|€]*$/;
const GSM7_EXT = /[\^{}\\[~\]|€]/g;

/** How many SMS parts a text takes: GSM-7 160 (153 per part when split), otherwise UCS-2 70 (67). */
export function smsSegments(text: string): { encoding: 'GSM-7' | 'UCS-2'; units: number; segments: number } {
  if (GSM7.test(text)) {
    const units = text.length + (text.match(GSM7_EXT)?.length ?? 0);
    return { encoding: 'GSM-7', units, segments: units <= 160 ? 1 : Math.ceil(units / 153) };
  }
  const units = [...text].reduce((n, ch) => n + (ch.codePointAt(0)! > 0xffff ? 2 : 1), 0);
  return { encoding: 'UCS-2', units, segments: units <= 70 ? 1 : Math.ceil(units / 67) };
}

export function renderCampaign(c: Pick<Campaign, 'name' | 'subject' | 'body'>, lead: Lead): { subject: string | null; body: string } {
  const fill = (text: string) => text.replace(TAG, (whole, tag: string) => (CAMPAIGN_TAGS[tag] ? CAMPAIGN_TAGS[tag](lead, c) : whole));
  return { subject: c.subject === null ? null : fill(c.subject), body: fill(c.body) };
}

/** Checks a campaign's subject and body: subject for email, a non-empty body, known tags only, SMS within the carrier limit. */
function validateContent(type: CampaignType, subject: string | null, rawBody: string): { subject: string | null; body: string; sms?: ReturnType<typeof smsSegments> } {
  if (type === 'email' && !subject) throw new UsageError(say`an email campaign needs ${fieldRef('subject')}`, { id: 'campaign.subject' });
  const body = rawBody.replace(/\s+$/, '');
  if (body.trim() === '') throw new UsageError('the campaign body is empty', { id: 'body-file' });
  for (const [where, text] of [['subject', subject ?? ''], ['body', body]] as const) {
    for (const m of text.matchAll(TAG)) {
      if (!CAMPAIGN_TAGS[m[1]!]) throw new UsageError(`unknown template tag {${m[1]}} in the ${where}`, `tags are: ${Object.keys(CAMPAIGN_TAGS).map((t) => `{${t}}`).join(' ')}`);
    }
  }
  let sms: ReturnType<typeof smsSegments> | undefined;
  if (type === 'sms') {
    sms = smsSegments(body);
    if (sms.segments > MAX_SMS_SEGMENTS) {
      throw new UsageError(`the SMS body is ${sms.units} ${sms.encoding} characters: ${sms.segments} segments (at most ${MAX_SMS_SEGMENTS})`, 'shorten it; one segment holds 160 GSM-7 or 70 other characters');
    }
  }
  return { subject, body, ...(sms ? { sms } : {}) };
}

async function checkAudience(ctx: Ctx, raw: string | undefined): Promise<string> {
  const audience = (raw ?? '').trim();
  if (!audience) throw new UsageError(say`a campaign needs ${fieldRef('to')}`, 'leads, customers, all or segment:NAME');
  if (audience.startsWith('segment:')) await findSegment(ctx, audience.slice('segment:'.length));
  else if (!['leads', 'customers', 'all'].includes(audience)) throw new UsageError(`unknown audience '${audience}'`, 'use leads, customers, all or segment:NAME');
  return audience;
}

export interface CampaignInput {
  name?: string;
  type?: string;
  to?: string;
  tag?: string;
  subject?: string;
  body?: string;
}

export async function createCampaign(ctx: ServiceContext, input: CampaignInput): Promise<Campaign & { sms?: ReturnType<typeof smsSegments> }> {
  assertRole(ctx.actor, SEGMENT_ROLES, 'create campaigns');
  const name = input.name?.trim();
  if (!name) throw new UsageError(say`a campaign needs ${fieldRef('name')}`, { id: 'campaign.create' });
  const type = (input.type ?? 'email').toLowerCase() as CampaignType;
  if (!CAMPAIGN_TYPES.includes(type)) throw new UsageError(`unknown campaign type '${input.type}'`, `types are: ${CAMPAIGN_TYPES.join(', ')}`);
  const audience = await checkAudience(ctx, input.to);
  const { subject, body, sms } = validateContent(type, input.subject?.trim() || null, input.body ?? '');
  const id = await ctx.store.campaigns.insert({ name, type, audience, tag: input.tag?.trim() || null, subject, body, createdBy: ctx.actor.id }, ctx.now.toISOString());
  return { ...(await ctx.store.campaigns.get(id))!, ...(sms ? { sms } : {}) };
}

/** Changes a draft (only given fields); a campaign that was sent, is sending or is scheduled cannot change. */
export async function editCampaign(ctx: ServiceContext, id: number, input: CampaignInput): Promise<Campaign> {
  assertRole(ctx.actor, SEGMENT_ROLES, 'edit campaigns');
  const c = await getCampaign(ctx, id);
  const notDraft = () => new ConflictError(`campaign ${id} is ${c.status}${c.sentAt ? ` (sent ${c.sentAt.slice(0, 16).replace('T', ' ')})` : ''}; only a draft can be edited`, { id: 'campaign.new' });
  if (c.status !== 'draft') throw notDraft();
  if (Object.values(input).every((v) => v === undefined)) throw new UsageError('nothing to change', { id: 'campaign.edit-how' });
  const name = input.name === undefined ? c.name : input.name.trim();
  if (!name) throw new UsageError(say`${fieldRef('name')} cannot be empty`);
  const type = (input.type === undefined ? c.type : input.type.toLowerCase()) as CampaignType;
  if (!CAMPAIGN_TYPES.includes(type)) throw new UsageError(`unknown campaign type '${input.type}'`, `types are: ${CAMPAIGN_TYPES.join(', ')}`);
  const audience = input.to === undefined ? c.audience : await checkAudience(ctx, input.to);
  const tag = input.tag === undefined ? c.tag : input.tag.trim() || null;
  const { subject, body } = validateContent(type, input.subject === undefined ? c.subject : input.subject.trim() || null, input.body ?? c.body);
  if (!(await ctx.store.campaigns.update(id, { name, type, audience, tag, subject, body }))) throw notDraft();
  return getCampaign(ctx, id);
}

export async function getCampaign(ctx: Ctx, id: number): Promise<Campaign> {
  const c = Number.isInteger(id) ? await ctx.store.campaigns.get(id) : undefined;
  if (!c) throw new NotFoundError(`no campaign ${id}`, { id: 'campaign.list' });
  return c;
}

/** Who a campaign goes to, as the acting user sees them (resolved again when it is sent). */
export async function recipientQuery(ctx: Ctx, c: Campaign): Promise<LeadQuery> {
  let q: LeadQuery;
  if (c.audience.startsWith('segment:')) q = await segmentQuery(ctx, await findSegment(ctx, c.audience.slice('segment:'.length)));
  else {
    q = { deleted: 'exclude', statuses: ['active'] };
    if (c.audience === 'leads') q.type = 'lead';
    if (c.audience === 'customers') q.type = 'customer';
    if (!seesAllLeads(ctx.actor)) q.visibleTo = ctx.actor.id;
  }
  if (c.tag) q.tag = c.tag;
  return q;
}

export async function showCampaign(ctx: Ctx, id: number): Promise<Campaign & { recipients: number }> {
  const c = await getCampaign(ctx, id);
  return { ...c, recipients: await ctx.store.leads.count(await recipientQuery(ctx, c)) };
}

export async function listCampaigns(ctx: Ctx): Promise<Campaign[]> {
  return ctx.store.campaigns.list();
}

/** The campaign rendered for one recipient: --contact ID, else its first recipient. */
export async function previewCampaign(ctx: Ctx, id: number, contactId?: number) {
  const c = await getCampaign(ctx, id);
  let lead: Lead | undefined;
  if (contactId !== undefined) {
    lead = await ctx.store.leads.get(contactId);
    if (!lead || lead.deletedAt) throw new NotFoundError(`no lead or customer ${contactId}`, { id: 'lead.pick', mine: false });
    if (!seesAllLeads(ctx.actor) && !lead.assignees.some((a) => a.id === ctx.actor.id)) throw new NotFoundError(`no lead or customer ${contactId} of yours`, { id: 'lead.pick', mine: true });
  } else {
    [lead] = await ctx.store.leads.list({ ...(await recipientQuery(ctx, c)), sort: { key: 'id', desc: false }, limit: 1 });
    if (!lead) throw new UsageError(`campaign ${id} has no recipients to preview`, { id: 'campaign.check-audience' });
  }
  const rendered = renderCampaign(c, lead);
  return { campaign: c, contact: { id: lead.id, name: lead.name, address: c.type === 'email' ? lead.emails[0] ?? null : messagingPhone(lead.phones) ?? null }, ...rendered, ...(c.type === 'sms' ? { sms: smsSegments(rendered.body) } : {}) };
}
