/**
 * Proposals and quotations (P1, P2): templates with validated tags and stored attachments;
 * proposals sent to a lead by email through the outbox (one message per revision, with the PDF
 * and the template's files), an optional approval step, revisions that keep their history,
 * status changes on the lead's timeline, and the daemon's expiry and reminder pass.
 */
import { readFileSync } from 'node:fs';
import { ConflictError, NotFoundError, UsageError, fieldRef, say, type FieldRef } from '../../errors.js';
import { formatMoney } from '../../io/format.js';
import type { Lead } from '../../domain/leads.js';
import type { OutboxAttachment } from '../../domain/notify.js';
import type { Proposal, ProposalEvent, ProposalFile, ProposalItem, ProposalRevision, ProposalStatus, ProposalTemplate } from '../../domain/proposals.js';
import type { Role } from '../../domain/users.js';
import type { PortalScope } from '../../domain/portal.js';
import type { Store } from '../../store/types.js';
import { PROPOSAL_STATUSES } from '../../domain/proposals.js';
import { assertRole, seesAllLeads } from '../access.js';
import { CAMPAIGN_TAGS } from '../campaigns/service.js';
import type { ServiceContext } from '../context.js';
import { getLead } from '../leads/service.js';
import { normalizeEmail } from '../leads/normalize.js';
import { enqueueForEvent } from '../notify/enqueue.js';
import { ymd } from '../reports/period.js';
import { dateOrderOf, parseDay } from '../time/parse.js';
import { effectiveSetting, teamTimeZone } from '../settings/service.js';
import { decodeItemsFile, parseItemsCsv, totalsOf } from './items.js';
import { renderProposalPdf } from './pdf.js';
import { pdfLook } from '../pdf/document.js';
import { mb, readAttachment } from '../attachments.js';
import { keyed } from '../../domain/keyed.js';

type Ctx = Pick<ServiceContext, 'store' | 'actor'>;

/** Who may add and remove templates, and who approves proposals. */
export const TEMPLATE_ROLES: readonly Role[] = ['admin', 'manager', 'marketing'];
export const APPROVER_ROLES: readonly Role[] = ['admin', 'manager'];
/** Statuses nothing can change any more (a new revision can, except after acceptance). */
export const TERMINAL: readonly ProposalStatus[] = ['accepted', 'rejected', 'expired'];

interface TagContext {
  lead: Lead;
  ourBusiness: string;
  sender: string;
  validUntil: string | null;
  total: string;
  revision: number;
}

/**
 * Tags a proposal template may use: the contact's fields (as in campaigns, {business_name} is the
 * contact's business), your business name, who sends it, and the quotation's validity and total.
 */
export const PROPOSAL_TAGS: Record<string, (c: TagContext) => string> = keyed({
  ...Object.fromEntries(Object.entries(CAMPAIGN_TAGS).filter(([k]) => k !== 'campaign_name').map(([k, f]) => [k, (c: TagContext) => f(c.lead, { name: '' })])),
  our_business: (c) => c.ourBusiness,
  sender: (c) => c.sender,
  rep: (c) => c.lead.assignees.map((a) => a.name).join(', '),
  valid_until: (c) => c.validUntil ?? '',
  total: (c) => c.total,
  revision: (c) => String(c.revision),
});
const TAG = /\{([^{}\s]*)\}/g;

function checkTags(where: string, text: string): void {
  for (const m of text.matchAll(TAG)) {
    if (!PROPOSAL_TAGS[m[1]!]) throw new UsageError(`unknown template tag {${m[1]}} in the ${where}`, `tags are: ${Object.keys(PROPOSAL_TAGS).map((t) => `{${t}}`).join(' ')}`);
  }
}

function fillTags(text: string, c: TagContext): string {
  return text.replace(TAG, (whole, tag: string) => (PROPOSAL_TAGS[tag] ? PROPOSAL_TAGS[tag](c) : whole));
}


async function settingsOf(store: Store) {
  const s = await store.settings.all();
  const get = (key: string) => effectiveSetting(s, {}, key);
  return {
    raw: s,
    businessName: get('business.name'),
    approval: get('proposal.approval') === 'required',
    stage: get('proposal.stage'),
    validDays: Number(get('proposal.valid-days')),
    remindDays: Number(get('proposal.remind-days')),
    maxBytes: Number(get('proposal.max-attachment-mb')) * 1024 * 1024,
    timeZone: teamTimeZone(s),
  };
}
type Settings = Awaited<ReturnType<typeof settingsOf>>;


/** Reads an attachment for a template: a missing, unreadable or too large file is a usage error. */
function readTemplateFile(path: string, maxBytes: number): ProposalFile {
  return readAttachment(path, maxBytes, { id: 'proposal.max-attachment' });
}

function emails(list: string[] | undefined, flag: FieldRef): string[] {
  return [...new Set((list ?? []).map((e) => normalizeEmail(e, flag)))];
}

// ---- Templates ----

export interface TemplateInput {
  name?: string;
  subject?: string;
  body?: string;
  cc?: string[];
  bcc?: string[];
  /** Paths of files mailed with every proposal of the template. */
  attach?: string[];
}

export async function addTemplate(ctx: ServiceContext, input: TemplateInput): Promise<ProposalTemplate> {
  assertRole(ctx.actor, TEMPLATE_ROLES, 'add proposal templates');
  const name = input.name?.trim();
  if (!name) throw new UsageError(say`a proposal template needs ${fieldRef('name')}`, { id: 'proposal.template-add' });
  const subject = input.subject?.trim();
  if (!subject) throw new UsageError(say`a proposal template needs ${fieldRef('subject')}`, { id: 'example', field: 'subject', value: '"Proposal for {business_name}"' });
  const body = (input.body ?? '').replace(/\s+$/, '');
  if (!body.trim()) throw new UsageError('the proposal body is empty', { id: 'body-file' });
  checkTags('subject', subject);
  checkTags('body', body);
  const cc = emails(input.cc, fieldRef('cc'));
  const bcc = emails(input.bcc, fieldRef('bcc'));
  const settings = await settingsOf(ctx.store);
  const files = (input.attach ?? []).map((p) => readTemplateFile(p, settings.maxBytes));
  const total = files.reduce((n, f) => n + f.content.length, 0);
  if (total > settings.maxBytes) throw new UsageError(`the attachments add up to ${mb(total)}, over the ${mb(settings.maxBytes)} limit of one email`, 'attach fewer or smaller files');
  return ctx.store.transaction(async () => {
    if (await ctx.store.proposalTemplates.byName(name)) throw new ConflictError(`a proposal template named '${name}' already exists`, { id: 'proposal.template-remove', name });
    const id = await ctx.store.proposalTemplates.insert({ name, subject, body, cc, bcc, createdBy: ctx.actor.id }, files, ctx.now.toISOString());
    return (await ctx.store.proposalTemplates.get(id))!;
  });
}

export async function findTemplate(ctx: Pick<ServiceContext, 'store'>, name: string): Promise<ProposalTemplate> {
  const t = await ctx.store.proposalTemplates.byName(name.trim());
  if (!t) throw new NotFoundError(`no proposal template '${name}'`, { id: 'proposal.template-list' });
  return t;
}

export async function listTemplates(ctx: Pick<ServiceContext, 'store'>): Promise<ProposalTemplate[]> {
  return ctx.store.proposalTemplates.list();
}

/** Removes a template; proposals made from it keep their text (later revisions carry only the PDF). */
export async function removeTemplate(ctx: ServiceContext, name: string): Promise<ProposalTemplate> {
  assertRole(ctx.actor, TEMPLATE_ROLES, 'remove proposal templates');
  return ctx.store.transaction(async () => {
    const t = await findTemplate(ctx, name);
    await ctx.store.proposalTemplates.remove(t.id);
    return t;
  });
}

// ---- Proposals ----

export interface SendInput {
  /** An existing draft to send (instead of lead and template). */
  id?: number;
  lead?: number;
  template?: string;
  cc?: string[];
  bcc?: string[];
  validUntil?: string;
  /** Path of a CSV of line items. */
  items?: string;
  draft?: boolean;
}

export interface SendResult {
  proposal: Proposal;
  /** The outbox message (undefined: a draft or waiting for approval). */
  outboxKey?: string;
  /** The stage the lead moved to, if it moved. */
  movedTo?: string;
}

function today(settings: Settings, now: Date): string {
  return ymd(now, settings.timeZone);
}

function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** The last valid day: a day as any date flag takes it (2026-12-31, 31/12/2026 in the team's date order, "end of month"…). */
async function validity(ctx: ServiceContext, raw: string | undefined, fallback: string | null | undefined, settings: Settings): Promise<string | null> {
  const { now } = ctx;
  const t = today(settings, now);
  if (raw !== undefined) {
    const d = await parseDay(raw, fieldRef('validUntil'), { now, timeZone: settings.timeZone, dateOrder: await dateOrderOf(ctx.store, ctx.actor), forward: true });
    if (d < t) throw new UsageError(say`${fieldRef('validUntil')} ${d} is in the past (today is ${t})`, 'give today or a later day');
    return d;
  }
  if (fallback !== undefined && (fallback === null || fallback >= t)) return fallback;
  return settings.validDays > 0 ? addDays(t, settings.validDays) : null;
}

function readItems(path: string, currency: string): ProposalItem[] {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    throw new UsageError(`cannot read the items file '${path}'`, 'give the path of a CSV file: description,quantity,unit_price,discount,tax');
  }
  return parseItemsCsv(decodeItemsFile(bytes, path), currency, path);
}

/** The lead a proposal goes to: visible to the actor, with an email address. */
async function recipientLead(ctx: Ctx, leadId: number): Promise<Lead & { email: string }> {
  const lead = await getLead(ctx, leadId);
  const email = lead.emails[0];
  if (!email) throw new UsageError(`lead ${lead.id} (${lead.name}) has no email address; a proposal is sent by email`, { id: 'lead.add-email', leadId: lead.id });
  if ((await ctx.store.optOuts.list('lead', lead.id)).includes('email')) {
    throw new ConflictError(`lead ${lead.id} (${lead.name}) has opted out of email`, 'send the proposal another way; nothing was stored');
  }
  return { ...lead, email };
}

export async function getProposal(ctx: Ctx, id: number): Promise<{ proposal: Proposal; lead: Lead }> {
  const proposal = await ctx.store.proposals.get(id);
  if (!proposal) throw new NotFoundError(`no proposal ${id}`, { id: 'proposal.list' });
  const lead = await getLead(ctx, proposal.leadId, { includeDeleted: true });
  return { proposal, lead };
}

async function timeline(ctx: Pick<ServiceContext, 'store' | 'now'> & { actor?: ServiceContext['actor'] }, p: Pick<Proposal, 'id' | 'leadId' | 'revision'>, event: string, status: ProposalStatus, body: string, note?: string | null, userId: number | null = ctx.actor?.id ?? null): Promise<void> {
  const at = ctx.now.toISOString();
  await ctx.store.proposals.addEvent({ proposalId: p.id, revision: p.revision, event, status, at, userId, note: note ?? null });
  await ctx.store.activities.add({ leadId: p.leadId, type: 'proposal', at, userId, body: `#${p.id} ${body}${note ? ` — ${note}` : ''}`, data: { proposalId: p.id, revision: p.revision, event, status } });
}

/** The PDF of a proposal's current revision (or of an earlier one). */
export async function proposalPdf(ctx: Ctx & { now: Date }, id: number, revision?: number): Promise<{ proposal: Proposal; pdf: Buffer; filename: string }> {
  const { proposal, lead } = await getProposal(ctx, id);
  let p: Proposal = proposal;
  if (revision !== undefined && revision !== proposal.revision) {
    const rev = (await ctx.store.proposals.revisions(id)).find((r) => r.revision === revision);
    if (!rev) throw new NotFoundError(`proposal ${id} has no revision ${revision}`, `it has revisions 1 to ${proposal.revision}`);
    p = { ...proposal, ...rev, revision, createdBy: proposal.createdBy, createdAt: proposal.createdAt };
  }
  const settings = await settingsOf(ctx.store);
  const when = new Date(p.sentAt ?? ctx.now.toISOString());
  const pdf = await renderProposalPdf({ ...(await pdfLook(ctx.store)), proposal: p, lead, date: ymd(when, settings.timeZone), createdAt: when });
  return { proposal: p, pdf, filename: `proposal-${id}${p.revision > 1 ? `-rev${p.revision}` : ''}.pdf` };
}

/**
 * Sends the current revision: renders the PDF, enqueues one email (key proposal<id>/rev<n>) with
 * the PDF and the template's files, marks the proposal sent, moves the lead's stage. Call inside
 * the transaction that stored the revision.
 */
async function dispatch(ctx: ServiceContext, id: number, settings: Settings, approvedBy?: number): Promise<SendResult> {
  const { store, now } = ctx;
  const at = now.toISOString();
  const proposal = (await store.proposals.get(id))!;
  const lead = await recipientLead(ctx, proposal.leadId);
  const pdf = await renderProposalPdf({ ...(await pdfLook(store)), proposal, lead, date: today(settings, now), createdAt: now });
  const files = proposal.templateId === null ? [] : await store.proposalTemplates.files(proposal.templateId);
  const filename = `proposal-${id}${proposal.revision > 1 ? `-rev${proposal.revision}` : ''}.pdf`;
  const attachments: OutboxAttachment[] = [
    { filename, contentType: 'application/pdf', content: pdf.toString('base64'), encoding: 'base64' },
    ...files.map((f): OutboxAttachment => ({ filename: f.filename, contentType: f.contentType, content: f.content.toString('base64'), encoding: 'base64' })),
  ];
  const bytes = pdf.length + files.reduce((n, f) => n + f.content.length, 0);
  if (bytes > settings.maxBytes) throw new UsageError(`the proposal email would carry ${mb(bytes)} of attachments, over the ${mb(settings.maxBytes)} limit`, 'remove files from the template, or raise proposal.max-attachment-mb');
  const key = `proposal${id}/rev${proposal.revision}`;
  const n = await store.outbox.enqueue([{
    key, rule: 'proposal', channel: 'email', recipientKind: 'lead', recipientId: lead.id, address: lead.email, leadId: lead.id,
    vars: { contact_name: lead.name, business_name: lead.businessName ?? '', lead_id: String(lead.id) },
    content: { subject: proposal.subject, text: proposal.body, cc: proposal.cc, bcc: proposal.bcc },
    attachments,
  }], at);
  if (n === 0) throw new ConflictError(`revision ${proposal.revision} of proposal ${id} was sent already`, { id: 'proposal.revise', proposalId: id });
  await store.proposals.update(id, { status: 'sent', sentAt: at }, at);
  await store.proposals.markRevisionSent(id, proposal.revision, at, approvedBy);
  const what = `revision ${proposal.revision}${proposal.items.length ? `, ${formatMoney(proposal.totalMinor, proposal.currency)}` : ''}`;
  await timeline(ctx, proposal, 'sent', 'sent', `sent to ${lead.email} (${what})`);
  const movedTo = await moveStage(ctx, lead, settings, id);
  return { proposal: (await store.proposals.get(id))!, outboxKey: key, movedTo };
}

/** Moves the lead to proposal.stage when that stage exists and is ahead of the lead's open stage. */
async function moveStage(ctx: ServiceContext, lead: Lead, settings: Settings, proposalId: number): Promise<string | undefined> {
  if (!settings.stage || settings.stage.toLowerCase() === 'off') return undefined;
  const stages = await ctx.store.stages.list();
  const target = stages.find((s) => s.name.toLowerCase() === settings.stage.toLowerCase());
  const current = stages.find((s) => s.name === lead.stage);
  if (!target || !current || current.outcome !== 'open' || current.position >= target.position) return undefined;
  const at = ctx.now.toISOString();
  await ctx.store.leads.update(lead.id, { stageId: target.id }, at);
  await ctx.store.activities.add({ leadId: lead.id, type: 'stage', at, userId: ctx.actor.id, data: { from: lead.stage, to: target.name, proposalId } });
  return target.name;
}

/** Puts a stored revision on its way: draft, waiting for approval, or sent. */
async function release(ctx: ServiceContext, id: number, settings: Settings, draft: boolean): Promise<SendResult> {
  const p = (await ctx.store.proposals.get(id))!;
  if (draft) return { proposal: p };
  if (settings.approval) {
    await ctx.store.proposals.update(id, { status: 'pending-approval' }, ctx.now.toISOString());
    await timeline(ctx, p, 'approval-requested', 'pending-approval', `revision ${p.revision} waits for approval`);
    return { proposal: (await ctx.store.proposals.get(id))! };
  }
  return dispatch(ctx, id, settings);
}

/** crm proposal send: a new proposal from a template (or an existing draft) to a lead. */
export async function sendProposal(ctx: ServiceContext, input: SendInput): Promise<SendResult> {
  const { store, actor, now } = ctx;
  const settings = await settingsOf(store);
  if (input.id !== undefined) {
    if (input.lead !== undefined || input.template !== undefined || input.items !== undefined || input.validUntil !== undefined || input.cc || input.bcc) {
      throw new UsageError('sending a draft takes only its id', { id: 'proposal.revise-draft', proposalId: input.id });
    }
    return store.transaction(async () => {
      const { proposal } = await getProposal(ctx, input.id!);
      if (proposal.status !== 'draft') throw new ConflictError(`proposal ${proposal.id} is ${proposal.status}, not a draft`, proposal.status === 'pending-approval' ? { id: 'proposal.approve', proposalId: proposal.id } : { id: 'proposal.new-revision', proposalId: proposal.id });
      await recipientLead(ctx, proposal.leadId);
      return release(ctx, proposal.id, settings, Boolean(input.draft));
    });
  }
  if (input.lead === undefined) throw new UsageError(say`a proposal needs ${fieldRef('lead')}`, { id: 'proposal.send-example' });
  if (!input.template?.trim()) throw new UsageError(say`a proposal needs ${fieldRef('template')}`, { id: 'proposal.template-list' });
  const lead = await recipientLead(ctx, input.lead);
  const template = await findTemplate(ctx, input.template);
  const items = input.items === undefined ? [] : readItems(input.items, lead.currency);
  const totals = totalsOf(items);
  const validUntil = await validity(ctx, input.validUntil, undefined, settings);
  const tags: TagContext = { lead, ourBusiness: settings.businessName, sender: actor.name, validUntil, total: items.length ? formatMoney(totals.totalMinor, lead.currency) : '', revision: 1 };
  const cc = input.cc === undefined ? template.cc : emails(input.cc, fieldRef('cc'));
  const bcc = input.bcc === undefined ? template.bcc : emails(input.bcc, fieldRef('bcc'));
  const at = now.toISOString();
  return store.transaction(async () => {
    const id = await store.proposals.insert(
      { leadId: lead.id, templateId: template.id, templateName: template.name, status: 'draft', createdBy: actor.id },
      { subject: fillTags(template.subject, tags), body: fillTags(template.body, tags), cc, bcc, currency: lead.currency, items, ...totals, validUntil, createdBy: actor.id, createdAt: at },
      at,
    );
    const p = (await store.proposals.get(id))!;
    await timeline(ctx, p, 'created', 'draft', `created from template ${template.name}${items.length ? ` (${items.length} item(s), ${formatMoney(totals.totalMinor, lead.currency)})` : ''}`);
    return release(ctx, id, settings, Boolean(input.draft));
  });
}

export interface ProposalFilter {
  status?: string;
  lead?: number;
  limit?: number;
}

export function parseStatuses(raw: string | undefined): ProposalStatus[] | undefined {
  if (raw === undefined) return undefined;
  const list = raw.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  for (const s of list) if (!(PROPOSAL_STATUSES as readonly string[]).includes(s)) throw new UsageError(`unknown proposal status '${s}'`, `statuses are: ${PROPOSAL_STATUSES.join(', ')}`);
  return list as ProposalStatus[];
}

export async function listProposals(ctx: Ctx, f: ProposalFilter): Promise<Proposal[]> {
  if (f.lead !== undefined) await getLead(ctx, f.lead, { includeDeleted: true });
  return ctx.store.proposals.list({ statuses: parseStatuses(f.status), leadId: f.lead, visibleTo: seesAllLeads(ctx.actor) ? undefined : ctx.actor.id, limit: f.limit });
}

export async function showProposal(ctx: Ctx, id: number): Promise<{ proposal: Proposal; lead: Lead; revisions: ProposalRevision[]; events: ProposalEvent[] }> {
  const { proposal, lead } = await getProposal(ctx, id);
  return { proposal, lead, revisions: await ctx.store.proposals.revisions(id), events: await ctx.store.proposals.events(id) };
}

export const MARKS = ['viewed', 'accepted', 'rejected'] as const;
export type Mark = (typeof MARKS)[number];

/** crm proposal mark: the client viewed, accepted or rejected it. */
export async function markProposal(ctx: ServiceContext, id: number, rawMark: string, note?: string): Promise<Proposal> {
  const mark = rawMark.trim().toLowerCase() as Mark;
  if (!MARKS.includes(mark)) throw new UsageError(`cannot mark a proposal '${rawMark}'`, `mark it ${MARKS.join(', ')} (expired is set by the daemon)`);
  const settings = await settingsOf(ctx.store);
  return ctx.store.transaction(async () => {
    const { proposal: p } = await getProposal(ctx, id);
    return applyMark(ctx, settings, p, mark, note, ctx.actor.id);
  });
}

/** The checks and writes of a mark, by a team member (userId) or by the customer in the portal (null). */
async function applyMark(ctx: Pick<ServiceContext, 'store' | 'now'>, settings: Settings, p: Proposal, mark: Mark, note: string | undefined, userId: number | null): Promise<Proposal> {
  const id = p.id;
  if (TERMINAL.includes(p.status)) {
    const hint = p.status === 'accepted' ? 'an accepted proposal is final' : { id: 'proposal.resend', proposalId: id } as const;
    throw new ConflictError(`proposal ${id} is already ${p.status}; it cannot be marked ${mark}`, hint);
  }
  if (p.status === 'draft' || p.status === 'pending-approval') {
    throw new ConflictError(`proposal ${id} has not been sent (it is ${p.status}); it cannot be marked ${mark}`, p.status === 'draft' ? { id: 'proposal.send', proposalId: id } : { id: 'proposal.approve', proposalId: id });
  }
  if (mark === 'viewed' && p.status === 'viewed') throw new ConflictError(`proposal ${id} is already marked viewed`);
  const t = today(settings, ctx.now);
  if (mark === 'accepted' && p.validUntil !== null && p.validUntil < t) {
    throw new ConflictError(`proposal ${id} expired: it was valid until ${p.validUntil} (today is ${t}); an expired proposal cannot be accepted`, { id: 'proposal.revise-validity', proposalId: id });
  }
  const at = ctx.now.toISOString();
  await ctx.store.proposals.update(id, { status: mark, ...(mark === 'viewed' ? {} : { decidedAt: at }) }, at);
  await timeline(ctx, p, mark, mark, `${mark} (revision ${p.revision})${userId === null ? ' by the customer in the portal' : ''}`, note?.trim() || null, userId);
  return (await ctx.store.proposals.get(id))!;
}

// ---- The customer portal (W1): a contact sees their own company's sent proposals only ----

/** What a contact may see: sent ones and what became of them, never a draft or one waiting for approval. */
const CUSTOMER_SEES: readonly ProposalStatus[] = ['sent', 'viewed', 'accepted', 'rejected', 'expired'];

/** The proposals of the scope's lead a contact may see, newest first. */
export async function portalProposals(store: Store, scope: PortalScope): Promise<Proposal[]> {
  return store.proposals.list({ leadId: scope.leadId, statuses: [...CUSTOMER_SEES] });
}

/** One proposal of the scope's lead; any other (another company's, a draft) is "not found", never "forbidden". */
export async function portalProposal(store: Store, scope: PortalScope, id: number): Promise<Proposal> {
  const p = await store.proposals.get(id);
  if (!p || p.leadId !== scope.leadId || !CUSTOMER_SEES.includes(p.status)) throw new NotFoundError(`no proposal ${id}`);
  return p;
}

/** A contact opens a sent proposal in the portal: it is marked viewed (once), as crm proposal mark would, by the customer. */
export async function portalViewProposal(ctx: Pick<ServiceContext, 'store' | 'now'>, scope: PortalScope, id: number): Promise<Proposal> {
  const p = await portalProposal(ctx.store, scope, id);
  if (p.status !== 'sent') return p;
  const settings = await settingsOf(ctx.store);
  return ctx.store.transaction(async () => {
    const cur = await portalProposal(ctx.store, scope, id);
    return cur.status === 'sent' ? applyMark(ctx, settings, cur, 'viewed', `${scope.name} <${scope.email}>`, null) : cur;
  });
}

/**
 * The customer accepts or rejects a proposal in the portal: the same checks and timeline entry as
 * crm proposal mark (by nobody of the team), and the lead's reps told through the outbox.
 */
export async function decideProposal(ctx: Pick<ServiceContext, 'store' | 'now'>, scope: PortalScope, id: number, decision: 'accepted' | 'rejected', reason?: string): Promise<Proposal> {
  const settings = await settingsOf(ctx.store);
  const note = reason?.replace(/\s+/g, ' ').trim().slice(0, 1000) || undefined;
  if (decision === 'rejected' && !note) throw new UsageError('give a reason for rejecting the proposal', 'write a few words in the reason box');
  return ctx.store.transaction(async () => {
    const p = await portalProposal(ctx.store, scope, id);
    const done = await applyMark(ctx, settings, p, decision, note ? `${note} (${scope.name} <${scope.email}>)` : `by ${scope.name} <${scope.email}>`, null);
    await enqueueForEvent(ctx.store, {
      type: 'proposal.decided', leadId: p.leadId, at: ctx.now.toISOString(), key: `proposal${id}/r${p.revision}/${decision}`,
      vars: { proposal_id: String(id), subject: p.subject, decision, by: `${scope.name} <${scope.email}>`, note: note ?? '' },
    });
    return done;
  });
}

/** crm proposal approve: a manager or admin sends a proposal that waits for approval. */
export async function approveProposal(ctx: ServiceContext, id: number, note?: string): Promise<SendResult> {
  assertRole(ctx.actor, APPROVER_ROLES, 'approve proposals');
  const settings = await settingsOf(ctx.store);
  return ctx.store.transaction(async () => {
    const { proposal: p } = await getProposal(ctx, id);
    if (p.status !== 'pending-approval') throw new ConflictError(`proposal ${id} is ${p.status}, not waiting for approval`, { id: 'proposal.pending' });
    const t = today(settings, ctx.now);
    if (p.validUntil !== null && p.validUntil < t) {
      throw new ConflictError(`proposal ${id} was valid until ${p.validUntil}, which has passed`, { id: 'proposal.revise-until', proposalId: id });
    }
    await timeline(ctx, p, 'approved', 'pending-approval', `revision ${p.revision} approved`, note?.trim() || null);
    return dispatch(ctx, id, settings, ctx.actor.id);
  });
}

export interface ReviseInput {
  items?: string;
  validUntil?: string;
  draft?: boolean;
}

/** crm proposal revise: revision N+1 (new items and/or validity), sent again (or approved first). */
export async function reviseProposal(ctx: ServiceContext, id: number, input: ReviseInput): Promise<SendResult> {
  const { store, actor, now } = ctx;
  const settings = await settingsOf(store);
  const { proposal: p } = await getProposal(ctx, id);
  if (p.status === 'accepted') throw new ConflictError(`proposal ${id} was accepted; it cannot be revised`, { id: 'proposal.send-new', leadId: p.leadId });
  const lead = await recipientLead(ctx, p.leadId);
  const currency = input.items === undefined ? p.currency : lead.currency;
  const items = input.items === undefined ? p.items : readItems(input.items, currency);
  const totals = totalsOf(items);
  const validUntil = await validity(ctx, input.validUntil, p.validUntil, settings);
  const revision = p.revision + 1;
  const template = p.templateId === null ? undefined : await store.proposalTemplates.get(p.templateId);
  const tags: TagContext = { lead, ourBusiness: settings.businessName, sender: actor.name, validUntil, total: items.length ? formatMoney(totals.totalMinor, currency) : '', revision };
  const at = now.toISOString();
  return store.transaction(async () => {
    const current = (await store.proposals.get(id))!;
    if (current.revision !== p.revision || current.status === 'accepted') throw new ConflictError(`proposal ${id} changed while revising it`, 'try again');
    await store.proposals.addRevision(id, {
      subject: template ? fillTags(template.subject, tags) : p.subject, body: template ? fillTags(template.body, tags) : p.body,
      cc: p.cc, bcc: p.bcc, currency, items, ...totals, validUntil, createdBy: actor.id, createdAt: at,
    });
    await store.proposals.update(id, { status: 'draft', decidedAt: null }, at);
    const revised = (await store.proposals.get(id))!;
    const changes = [input.items !== undefined ? `${items.length} item(s), ${formatMoney(totals.totalMinor, currency)}` : '', validUntil !== p.validUntil ? `valid until ${validUntil ?? 'no expiry'}` : ''].filter(Boolean);
    await timeline(ctx, revised, 'revised', 'draft', `revised: revision ${revision} (was ${p.status})${changes.length ? `, ${changes.join(', ')}` : ''}`);
    return release(ctx, id, settings, Boolean(input.draft));
  });
}

// ---- The daemon's pass ----

/**
 * Expires sent or viewed proposals whose last valid day is before today (in notify.timezone),
 * each with a timeline entry; and reminds the lead's reps proposal.remind-days before that day
 * (rule proposal-expiring: inbox and email by default), once per revision.
 */
export async function runProposalExpiry(store: Store, now: Date): Promise<{ expired: number; reminded: number }> {
  const settings = await settingsOf(store);
  const t = today(settings, now);
  const at = now.toISOString();
  let expired = 0;
  for (const p of await store.proposals.list({ statuses: ['sent', 'viewed'], validBefore: t, limit: 10_000 })) {
    await store.transaction(async () => {
      const cur = await store.proposals.get(p.id);
      if (!cur || (cur.status !== 'sent' && cur.status !== 'viewed') || cur.validUntil === null || cur.validUntil >= t) return;
      await store.proposals.update(p.id, { status: 'expired', decidedAt: at }, at);
      await store.proposals.addEvent({ proposalId: p.id, revision: cur.revision, event: 'expired', status: 'expired', at, userId: null, note: null });
      await store.activities.add({ leadId: cur.leadId, type: 'proposal', at, userId: null, body: `#${p.id} expired (valid until ${cur.validUntil}, revision ${cur.revision})`, data: { proposalId: p.id, revision: cur.revision, event: 'expired', status: 'expired' } });
      expired++;
    });
  }
  let reminded = 0;
  if (settings.remindDays > 0) {
    for (const p of await store.proposals.list({ statuses: ['sent', 'viewed'], validOnOrBefore: addDays(t, settings.remindDays), limit: 10_000 })) {
      if (p.validUntil === null || p.validUntil < t) continue;
      const ref = `proposal${p.id}/rev${p.revision}`;
      await store.transaction(async () => {
        if (!(await store.ruleMarks.markRef('proposal-expiring', ref, at))) return;
        await store.proposals.addEvent({ proposalId: p.id, revision: p.revision, event: 'reminded', status: p.status, at, userId: null, note: `expires after ${p.validUntil}` });
        await enqueueForEvent(store, {
          type: 'proposal.expiring', leadId: p.leadId, at, key: ref,
          vars: { proposal_id: String(p.id), valid_until: p.validUntil!, total: p.items.length ? formatMoney(p.totalMinor, p.currency) : '', title: p.subject },
        });
        reminded++;
      });
    }
  }
  return { expired, reminded };
}

