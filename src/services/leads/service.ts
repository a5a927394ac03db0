import { SUPPRESSED_NOTE } from '../../domain/suppression.js';
import { currentConsent, type ChannelConsent, type ConsentEntry } from '../../domain/consent.js';
import { ConflictError, NotFoundError, PermissionError, UsageError, fieldRef, say, type Fix, SuppressedError } from '../../errors.js';
import { audit } from '../audit/service.js';
import { isSuppressed } from '../people/service.js';
import type { ContactMatch, Lead, LeadFields, LeadKind, LeadQuery, LeadSortKey, LeadStatus, LeadType } from '../../domain/leads.js';
import type { User } from '../../domain/users.js';
import type { Store } from '../../store/types.js';
import { LEAD_KINDS, LEAD_SORT_KEYS, LEAD_STATUSES } from '../../domain/leads.js';
import { assertCanTouchLead, canTouchLead, seesAllLeads } from '../access.js';
import type { ServiceContext } from '../context.js';
import { findSource, findStage, findUser, firstOpenStage, outcomeStage } from '../lookup.js';
import { enqueueForEvent } from '../notify/enqueue.js';
import { decideRoute, type RouteDecision } from '../routing/service.js';
import { rescore } from '../scoring/service.js';
import { compileWhere } from '../segments/resolve.js';
import { dateOrderOf, parseDay } from '../time/parse.js';
import { checkName, nonEmpty, parseCount, normalizeCurrency, normalizeEmail, normalizePhones, parseBirthday, parseDate, parseMoney, parseScore } from './normalize.js';
import { keyed } from '../../domain/keyed.js';

/** What a person or a script gives to create or edit a lead: raw strings, validated here. */
export interface LeadInput {
  /** The zone day phrases ("end of month", "tomorrow") are read in; default UTC. */
  timeZone?: string;
  name?: string;
  businessName?: string | null;
  kind?: string;
  emails?: string[];
  phones?: string[];
  source?: string | null;
  stage?: string;
  score?: string | number;
  value?: string | null;
  currency?: string;
  expectedClose?: string | null;
  assign?: string[];
  tags?: string[];
  birthday?: string | null;
  address?: string | null;
  custom?: Record<string, string>;
  status?: string;
}

export type AddOutcome = 'new' | 're-engaged' | 'junk';
export interface AddLeadResult {
  outcome: AddOutcome;
  lead: Lead;
  /** For a new lead added with `route` and no assignee: the routing decision (L8). */
  routed?: RouteDecision;
  /** For a re-engaged lead: the status and stage it was reopened from. */
  reopenedFrom?: { status: LeadStatus; stage: string };
}

/** Team settings that lead validation and the L3 junk rules read (shared with bulk import). */
export async function settingsOf(store: Store) {
  const s = await store.settings.all();
  return {
    currency: s['currency'] ?? 'USD',
    region: s['phone.region'] || undefined,
    junkDomains: (s['junk.domains'] ?? '').split(',').map((x) => x.trim().toLowerCase()).filter(Boolean),
    junkWords: (s['junk.words'] ?? '').split(',').map((x) => x.trim().toLowerCase()).filter(Boolean),
  };
}

export function dedupe(values: string[], key: (v: string) => string = (v) => v): string[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    const k = key(v);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function oneOf<T extends string>(raw: string, allowed: readonly T[], field: string): T {
  const v = raw.trim().toLowerCase();
  if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`invalid ${field} '${raw}'`, `use one of: ${allowed.join(', ')}`);
  return v as T;
}

/** Validates raw input into store fields; only the keys present in input are returned. */
async function toFields(store: Store, actor: User, input: LeadInput, currencyDefault: string, region: string | undefined, now: Date): Promise<Partial<LeadFields>> {
  const f: Partial<LeadFields> = {};
  if (input.name !== undefined) f.name = checkName(input.name, 'name');
  if (input.businessName !== undefined) f.businessName = input.businessName?.trim() || null;
  if (input.kind !== undefined) f.kind = oneOf<LeadKind>(input.kind, LEAD_KINDS, 'kind');
  if (input.emails !== undefined) f.emails = dedupe(input.emails.map((e) => normalizeEmail(e)), (e) => e.toLowerCase());
  if (input.phones !== undefined) f.phones = dedupe(await normalizePhones(input.phones, region));
  if (input.source !== undefined) f.sourceId = input.source === null || input.source.trim() === '' ? null : (await findSource(store, input.source)).id;
  if (input.stage !== undefined) f.stageId = (await findStage(store, input.stage)).id;
  if (input.score !== undefined) f.score = parseScore(input.score);
  if (input.currency !== undefined) f.currency = normalizeCurrency(input.currency);
  if (input.value !== undefined) f.valueMinor = input.value === null || input.value.trim() === '' ? null : parseMoney(input.value, f.currency ?? currencyDefault);
  if (input.expectedClose !== undefined) {
    // Any form a date option takes: 2026-12-31, 31/12/2026 (by the team's date order), "end of month".
    f.expectedClose = input.expectedClose
      ? await parseDay(input.expectedClose, 'expected close date', { now, timeZone: input.timeZone ?? 'UTC', dateOrder: await dateOrderOf(store, actor), forward: true })
      : null;
  }
  if (input.birthday !== undefined) f.birthday = input.birthday ? parseBirthday(input.birthday) : null;
  if (input.address !== undefined) f.address = input.address?.trim() || null;
  if (input.custom !== undefined) f.custom = input.custom;
  if (input.status !== undefined) f.status = oneOf<LeadStatus>(input.status, LEAD_STATUSES, 'status');
  if (input.tags !== undefined) f.tags = dedupe(input.tags.map((t) => checkName(t, 'tag')), (t) => t.toLowerCase());
  if (input.assign !== undefined) {
    const users = await Promise.all(input.assign.map((e) => findUser(store, e)));
    for (const u of users) {
      if (!u.active) throw new UsageError(`user ${u.email} is deactivated`, 'assign the lead to an active user');
    }
    if (!seesAllLeads(actor) && users.some((u) => u.id !== actor.id)) {
      throw new PermissionError(`${actor.email} is a rep and may assign leads only to themselves`, 'ask a manager to assign it to someone else');
    }
    f.assigneeIds = [...new Set(users.map((u) => u.id))];
  }
  return f;
}

/** L3: the active record a new contact duplicates, if any (lost/junk/archived ones re-engage). */
export function classify(matches: ContactMatch[]): { duplicateOf?: ContactMatch; reengage?: ContactMatch } {
  const live = matches.filter((m) => !m.deleted);
  const duplicateOf = live.find((m) => m.status === 'active' && m.stageOutcome !== 'lost');
  if (duplicateOf) return { duplicateOf };
  const reengage = [...live].sort((a, b) => b.id - a.id)[0];
  return reengage ? { reengage } : {};
}

/** L3 junk rules: an email at a junk domain, or a junk word in the name. */
export function junkByRules(settings: { junkDomains: string[]; junkWords: string[] }, name: string, emails: string[]): boolean {
  const domain = (e: string) => e.split('@')[1]!.toLowerCase();
  return emails.some((e) => settings.junkDomains.includes(domain(e))) || settings.junkWords.some((w) => name.toLowerCase().includes(w));
}

/** What a refused contact carries for its notice (never printed): the lead it matched and, for a hidden one, who is told. */
interface Refused {
  duplicateOf?: number;
  on?: string;
  value?: string;
  hidden?: { tell: number[]; name: string; attempt: string };
}

/**
 * U2: a rep's contact matches a lead they may not see. They learn only that the contact exists
 * and whom to ask (its owners, else their manager, else the admins), who get the rep's input in
 * their inbox; nothing of it is stored on that lead.
 */
async function hiddenContact(ctx: ServiceContext, match: ContactMatch, attempt: { name?: string; businessName?: string | null; emails: string[]; phones: string[] }): Promise<ConflictError | undefined> {
  const { store, actor } = ctx;
  // On PostgreSQL a rep's login cannot read the other lead at all: it is hidden by definition.
  const lead = await store.leads.get(match.id);
  if (lead && canTouchLead(actor, lead)) return undefined;
  const ownerIds = lead ? lead.assignees.map((a) => a.id) : await store.leads.owners(match.id);
  const active = (await store.users.list()).filter((u) => u.active);
  const owners = active.filter((u) => ownerIds.includes(u.id));
  const manager = active.filter((u) => u.id === actor.managerId);
  const [tell, role] = owners.length ? [owners, 'owner' as const] : manager.length ? [manager, 'manager' as const] : [active.filter((u) => u.role === 'admin'), 'admin' as const];
  const name = attempt.name?.trim() || attempt.businessName?.trim() || '(no name)';
  const details = [
    attempt.businessName?.trim() && attempt.businessName.trim() !== attempt.name?.trim() ? `business ${attempt.businessName.trim()}` : '',
    ...attempt.emails.map((e) => `email ${e}`),
    ...attempt.phones.map((p) => `phone ${p}`),
  ].filter(Boolean).join(', ');
  const refused: Refused = { duplicateOf: match.id, on: match.on, value: match.value, hidden: { tell: tell.map((u) => u.id), name, attempt: details } };
  return new ConflictError(
    `a contact with ${match.on} ${match.value} already exists and is not assigned to you (${actor.email})`,
    { id: 'lead.ask-owner', names: tell.map((u) => u.name), role },
    refused,
  );
}

/** Stores the notice of a refused contact (N4) in a short transaction of its own: the refusal stored nothing. */
async function noticeRefused(ctx: ServiceContext, err: unknown, attemptedName: string, opts: { duplicates: boolean }): Promise<void> {
  const dup = err instanceof ConflictError ? (err.details as Refused | undefined) : undefined;
  if (dup?.duplicateOf === undefined || (!dup.hidden && !opts.duplicates)) return;
  const at = ctx.now.toISOString();
  const matched = `${dup.on} ${dup.value}`;
  await ctx.store.transaction(() => dup.hidden
    ? enqueueForEvent(ctx.store, {
      type: 'lead.contact-attempt', leadId: dup.duplicateOf!, at, reps: dup.hidden.tell, key: `lead${dup.duplicateOf}/contact-attempt/${at}/${ctx.actor.id}/${matched}`,
      vars: { attempted_name: dup.hidden.name, attempted_by: `${ctx.actor.name} (${ctx.actor.email})`, attempted_details: dup.hidden.attempt, matched },
    })
    : enqueueForEvent(ctx.store, {
      type: 'lead.duplicate', leadId: dup.duplicateOf!, at, key: `lead${dup.duplicateOf}/duplicate/${at}/${matched}`,
      vars: { attempted_name: attemptedName, matched },
    }));
}

export function duplicateError(match: ContactMatch): ConflictError {
  return new ConflictError(
    `duplicate: lead ${match.id} already has ${match.on} ${match.value}`,
    { id: 'lead.duplicate', leadId: match.id },
    { duplicateOf: match.id, on: match.on, value: match.value },
  );
}

/**
 * `route`: a new (not junk, not re-engaged) lead given no assignee is assigned by the routing
 * rules (L8); channel and ref are what intake knows (manual adds say channel 'manual').
 */
export type AddLeadInput = LeadInput & { type?: LeadType; route?: { channel: string; ref?: string | null } };

export async function addLead(ctx: ServiceContext, input: AddLeadInput): Promise<AddLeadResult> {
  try {
    return await addLeadTx(ctx, input);
  } catch (err) {
    await noticeRefused(ctx, err, input.name?.trim() || input.businessName?.trim() || '(no name)', { duplicates: true });
    throw err;
  }
}

async function addLeadTx(ctx: ServiceContext, input: AddLeadInput): Promise<AddLeadResult> {
  const { store, actor, now } = ctx;
  const at = now.toISOString();
  return store.transaction(async () => {
    const settings = await settingsOf(store);
    if (!input.name?.trim() && input.businessName?.trim()) input = { ...input, name: input.businessName };
    if (!input.name?.trim()) throw new UsageError('a lead needs a name', { id: 'lead.name' });
    const f = await toFields(store, actor, input, settings.currency, settings.region, ctx.now);
    const emails = f.emails ?? [];
    const phones = f.phones ?? [];

    // An erased person's address (the suppression list): refused, or added and flagged (privacy.suppressed).
    const suppressed = await isSuppressed(store, emails, phones);
    if (suppressed && (await store.settings.get('privacy.suppressed')) !== 'flag') {
      throw new SuppressedError(`${f.name} has the email or phone of a person erased at their request: not added`, 'add them only if they asked to be contacted again (setting privacy.suppressed flag)');
    }
    const { duplicateOf, reengage } = classify(await store.leads.matchContacts(emails, phones));
    const hidden = duplicateOf ?? reengage;
    if (hidden && !seesAllLeads(actor)) {
      const refused = await hiddenContact(ctx, hidden, { name: f.name, businessName: f.businessName, emails, phones });
      if (refused) throw refused;
    }
    if (duplicateOf) throw duplicateError(duplicateOf);
    if (reengage) return reopen(ctx, reengage.id, emails, phones);

    const junk = junkByRules(settings, f.name!, emails);
    const stageId = f.stageId ?? (await firstOpenStage(store)).id;
    const routed = input.route && !f.assigneeIds?.length && !junk
      ? await decideRoute(store, {
        source: input.source?.trim() || null, tags: f.tags ?? [], address: f.address ?? null, custom: f.custom ?? {}, emails, phones,
        businessName: f.businessName ?? null, hasValue: f.valueMinor != null, channel: input.route.channel, ref: input.route.ref ?? null,
      }, { consume: true })
      : undefined;
    const fields: LeadFields = {
      type: input.type ?? 'lead',
      kind: f.kind ?? (input.businessName && input.name === input.businessName ? 'company' : 'person'),
      name: f.name!,
      businessName: f.businessName ?? null,
      emails,
      phones,
      sourceId: f.sourceId ?? null,
      stageId,
      score: f.score ?? 0,
      valueMinor: f.valueMinor ?? null,
      currency: f.currency ?? settings.currency,
      expectedClose: f.expectedClose ?? null,
      // A rep's new lead is theirs unless they say otherwise.
      assigneeIds: f.assigneeIds?.length ? f.assigneeIds : routed?.user ? [routed.user.id] : (f.assigneeIds ?? (seesAllLeads(actor) ? [] : [actor.id])),
      tags: f.tags ?? [],
      birthday: f.birthday ?? null,
      address: f.address ?? null,
      custom: f.custom ?? {},
      status: junk ? 'junk' : (f.status ?? 'active'),
      lostReason: null,
      orderId: null,
      convertedAt: null,
      convertedBy: null,
      createdBy: actor.id,
      mergedInto: null,
      deletedAt: null,
    };
    const id = await store.leads.insert(fields, at);
    const outcome: AddOutcome = junk ? 'junk' : 'new';
    await store.activities.add({ leadId: id, type: 'created', at, userId: actor.id, data: { outcome } });
    if (suppressed) await store.activities.add({ leadId: id, type: 'note', at, userId: actor.id, body: SUPPRESSED_NOTE, data: { suppressed: true } });
    if (routed?.user) await store.activities.add({ leadId: id, type: 'routed', at, userId: actor.id, data: { rule: routed.rule, target: routed.target, to: routed.user.email } });
    await rescore(ctx, id);
    await enqueueForEvent(store, { type: junk ? 'lead.junk' : 'lead.created', leadId: id, at, key: `lead${id}/created` });
    return { outcome, lead: (await store.leads.get(id))!, ...(routed ? { routed } : {}) };
  });
}

/** Re-engaged (L3): a lost, junk or archived lead is reopened instead of duplicated. */
export async function reopen(ctx: ServiceContext, id: number, emails: string[], phones: string[], extra: Record<string, unknown> = {}): Promise<AddLeadResult> {
  const { store, actor, now } = ctx;
  const at = now.toISOString();
  const before = (await store.leads.get(id))!;
  const old = (await store.leads.fields(id))!;
  const patch: Partial<LeadFields> = { status: 'active', lostReason: null };
  if (before.stageOutcome === 'lost') patch.stageId = (await firstOpenStage(store)).id;
  const known = new Set(old.emails.map((e) => e.toLowerCase()));
  const newEmails = emails.filter((e) => !known.has(e.toLowerCase()));
  const newPhones = phones.filter((p) => !old.phones.includes(p));
  if (newEmails.length) patch.emails = [...old.emails, ...newEmails];
  if (newPhones.length) patch.phones = [...old.phones, ...newPhones];
  await store.leads.update(id, patch, at);
  const lead = (await store.leads.get(id))!;
  const activityId = await store.activities.add({
    leadId: id, type: 'reengaged', at, userId: actor.id,
    data: { fromStatus: before.status, fromStage: before.stage, toStage: lead.stage, addedEmails: newEmails, addedPhones: newPhones, ...extra },
  });
  await enqueueForEvent(store, { type: 'lead.reengaged', leadId: id, at, key: `lead${id}/reengaged/${activityId}` });
  if (await rescore(ctx, id)) return { outcome: 're-engaged', lead: (await store.leads.get(id))!, reopenedFrom: { status: before.status, stage: before.stage } };
  return { outcome: 're-engaged', lead, reopenedFrom: { status: before.status, stage: before.stage } };
}

/** A lead the actor may see; NotFound for a missing id, Permission for another rep's lead. */
export async function getLead(ctx: Pick<ServiceContext, 'store' | 'actor'>, id: number, opts: { includeDeleted?: boolean; type?: LeadType } = {}): Promise<Lead> {
  const lead = await ctx.store.leads.get(id);
  const noun = opts.type ?? 'lead';
  if (!lead || (lead.deletedAt && !opts.includeDeleted) || (opts.type && lead.type !== opts.type)) {
    const hint: Fix = lead?.deletedAt ? { id: 'lead.restore', leadId: id } : { id: 'contact.list', type: noun };
    throw new NotFoundError(`no ${noun} with id ${id}`, hint);
  }
  assertCanTouchLead(ctx.actor, lead);
  return lead;
}

const TRACKED: [keyof LeadFields, string][] = [
  ['name', 'name'], ['businessName', 'business'], ['kind', 'kind'], ['emails', 'emails'], ['phones', 'phones'],
  ['sourceId', 'source'], ['score', 'score'], ['valueMinor', 'value'], ['currency', 'currency'],
  ['expectedClose', 'expectedClose'], ['tags', 'tags'], ['birthday', 'birthday'], ['address', 'address'],
  ['custom', 'custom'], ['status', 'status'],
];

/** An edit: the fields to set, and list changes that keep the rest of a list (tags, emails, phones). */
export type LeadEdit = LeadInput & { addTags?: string[]; removeTags?: string[]; addEmails?: string[]; removeEmails?: string[]; addPhones?: string[]; removePhones?: string[] };

export async function editLead(ctx: ServiceContext, id: number, input: LeadEdit): Promise<Lead> {
  try {
    return await editLeadTx(ctx, id, input);
  } catch (err) {
    // Only a hidden match is told (its owners learn a rep tried to add their contact); edits never announced duplicates.
    await noticeRefused(ctx, err, '', { duplicates: false });
    throw err;
  }
}

async function editLeadTx(ctx: ServiceContext, id: number, input: LeadEdit): Promise<Lead> {
  const { store, actor, now } = ctx;
  const at = now.toISOString();
  return store.transaction(async () => {
    const before = await getLead(ctx, id);
    const old = (await store.leads.fields(id))!;
    const settings = await settingsOf(store);
    if (input.stage !== undefined) throw new UsageError(say`change the stage with ${{ fix: { id: 'lead.move-command' } }}`, { id: 'lead.move', leadId: id, stage: input.stage });
    if (input.assign !== undefined) throw new UsageError(say`change assignees with ${{ fix: { id: 'lead.assign-command' } }}`, { id: 'lead.assign', leadId: id });
    const currency = input.currency !== undefined ? normalizeCurrency(input.currency) : old.currency;
    const f = await toFields(store, actor, input, currency, settings.region, now);
    if (input.currency !== undefined && input.value === undefined && old.valueMinor !== null) {
      throw new UsageError('changing the currency needs the value in that currency', { id: 'lead.currency-value', leadId: id, currency });
    }
    if (input.addTags?.length || input.removeTags?.length) {
      const remove = new Set((input.removeTags ?? []).map((t) => t.toLowerCase()));
      f.tags = dedupe([...(f.tags ?? old.tags), ...(input.addTags ?? []).map((t) => checkName(t, 'tag'))], (t) => t.toLowerCase()).filter((t) => !remove.has(t.toLowerCase()));
    }
    if (input.addEmails?.length || input.removeEmails?.length) {
      if (input.emails !== undefined) throw new UsageError(say`give either ${fieldRef('email')} (the whole list) or ${fieldRef('addEmail')}/${fieldRef('removeEmail')}`);
      const remove = new Set((input.removeEmails ?? []).map((e) => normalizeEmail(e).toLowerCase()));
      const missing = [...remove].filter((e) => !old.emails.some((x) => x.toLowerCase() === e));
      if (missing.length) throw new NotFoundError(`lead ${id} has no email ${missing.join(', ')}`, { id: 'lead.show', leadId: id });
      f.emails = dedupe([...old.emails, ...(input.addEmails ?? []).map((e) => normalizeEmail(e))], (e) => e.toLowerCase()).filter((e) => !remove.has(e.toLowerCase()));
    }
    if (input.addPhones?.length || input.removePhones?.length) {
      if (input.phones !== undefined) throw new UsageError(say`give either ${fieldRef('phone')} (the whole list) or ${fieldRef('addPhone')}/${fieldRef('removePhone')}`);
      const digits = (p: string) => p.replace(/\D/g, '');
      // A number to remove matches a stored one written either way (+351 912…, 912 …): by the
      // digits of its normalised form, or by its digits as typed.
      const removeKeys = new Set<string>();
      const missing: string[] = [];
      for (const p of input.removePhones ?? []) {
        const keys = [digits(p)];
        try {
          keys.push(...(await normalizePhones([p], settings.region)).map(digits));
        } catch {
          // not a number we can place: its digits as typed still match
        }
        if (!old.phones.some((x) => keys.includes(digits(x)))) missing.push(p);
        for (const k of keys) removeKeys.add(k);
      }
      if (missing.length) throw new NotFoundError(`lead ${id} has no phone ${missing.join(', ')}`, { id: 'lead.show', leadId: id });
      f.phones = dedupe([...old.phones, ...(await normalizePhones(input.addPhones ?? [], settings.region))]).filter((p) => !removeKeys.has(digits(p)));
    }
    if (input.custom !== undefined) {
      const custom = keyed(old.custom);
      for (const [k, v] of Object.entries(input.custom)) {
        if (v === '') delete custom[k];
        else custom[k] = v;
      }
      f.custom = custom;
    }
    if (f.emails || f.phones) {
      const matches = await store.leads.matchContacts(f.emails ?? [], f.phones ?? []);
      const clash = matches.find((m) => m.id !== id && !m.deleted && m.status === 'active' && m.stageOutcome !== 'lost');
      if (clash) throw (await hiddenContact(ctx, clash, { name: f.name ?? old.name, businessName: f.businessName ?? old.businessName, emails: f.emails ?? [], phones: f.phones ?? [] })) ?? duplicateError(clash);
    }
    const changes = TRACKED.flatMap(([key, label]) => {
      if (f[key] === undefined || JSON.stringify(f[key]) === JSON.stringify(old[key])) return [];
      return [{ field: label, from: old[key], to: f[key] }];
    });
    // --score sets the manual base of the score (L7); rules add their points on top.
    const scoring = input.score !== undefined ? { base: f.score! } : {};
    if (changes.length === 0) {
      if (input.score !== undefined && (await rescore(ctx, id, scoring))) return (await store.leads.get(id))!;
      return before;
    }
    await store.leads.update(id, f, at);
    const lead = (await store.leads.get(id))!;
    // Show names, not ids, on the timeline.
    for (const c of changes) {
      if (c.field === 'source') {
        c.from = before.source;
        c.to = lead.source;
      }
    }
    await store.activities.add({ leadId: id, type: 'updated', at, userId: actor.id, data: { changes } });
    if (f.status === 'junk' && old.status !== 'junk') await cancelOpenFollowUps(ctx, id, 'lead marked junk');
    return (await rescore(ctx, id, scoring)) ? (await store.leads.get(id))! : lead;
  });
}

export async function moveLead(ctx: ServiceContext, id: number, stageName: string, reason?: string, opts: { orderId?: string } = {}): Promise<Lead> {
  const { store, actor, now } = ctx;
  const at = now.toISOString();
  return store.transaction(async () => {
    const before = await getLead(ctx, id);
    const stage = await findStage(store, stageName);
    if (stage.id === (await store.leads.fields(id))!.stageId) return before;
    if (stage.outcome === 'lost' && !reason?.trim()) {
      throw new UsageError(`moving to ${stage.name} needs a reason`, { id: 'lead.lose-reason', leadId: id });
    }
    // Won means converted: a lead entering a won stage becomes a customer (L5), so the
    // dashboard's conversion rate, the conversions report and the board agree.
    const converts = stage.outcome === 'won' && before.type === 'lead' && before.status === 'active';
    const patch: Partial<LeadFields> = { stageId: stage.id, lostReason: stage.outcome === 'lost' ? reason!.trim() : null };
    if (converts) Object.assign(patch, { type: 'customer', convertedAt: at, convertedBy: actor.id, orderId: opts.orderId?.trim() || null });
    await store.leads.update(id, patch, at);
    const activityId = await store.activities.add({
      leadId: id, type: stage.outcome === 'lost' ? 'lost' : 'stage', at, userId: actor.id,
      data: { from: before.stage, to: stage.name, ...(stage.outcome === 'lost' ? { reason: reason!.trim() } : {}) },
    });
    if (converts) await store.activities.add({ leadId: id, type: 'converted', at, userId: actor.id, data: { previousType: before.type, orderId: patch.orderId } });
    if (stage.outcome === 'lost') {
      await cancelOpenFollowUps(ctx, id, `lead lost: ${reason!.trim()}`);
      await enqueueForEvent(store, { type: 'lead.lost', leadId: id, at, key: `lead${id}/lost/${activityId}` });
    }
    return (await store.leads.get(id))!;
  });
}

/**
 * A lead lost or junked: its scheduled and open follow-ups are cancelled with their reminders
 * (each on the timeline, saying why), so nothing about it goes overdue or reminds anyone.
 */
async function cancelOpenFollowUps(ctx: ServiceContext, leadId: number, reason: string): Promise<number> {
  const { store, actor, now } = ctx;
  const at = now.toISOString();
  const open = await store.followUps.list({ leadId, statuses: ['scheduled', 'open'] });
  for (const f of open) {
    await store.followUps.update(f.id, { status: 'cancelled', cancelledAt: at }, at);
    await store.followUps.setReminders(f.id, []);
    await store.activities.add({ leadId, type: 'follow-up-cancelled', at, userId: actor.id, body: f.title, data: { followUpId: f.id, kind: f.type, startAt: f.startAt, reason } });
  }
  return open.length;
}

export async function loseLead(ctx: ServiceContext, id: number, reason: string, stageName?: string): Promise<Lead> {
  if (!reason?.trim()) throw new UsageError('a lost lead needs a reason', { id: 'lead.lose', leadId: id });
  const stage = stageName ? await findStage(ctx.store, stageName) : await outcomeStage(ctx.store, 'lost');
  if (stage.outcome !== 'lost') throw new UsageError(`stage ${stage.name} is not a lost stage`, { id: 'stage.add-lost' });
  return moveLead(ctx, id, stage.name, reason);
}

export async function addNote(ctx: ServiceContext, id: number, text: string): Promise<{ leadId: number; activityId: number }> {
  const body = nonEmpty(text, 'note');
  return ctx.store.transaction(async () => {
    await getLead(ctx, id);
    const activityId = await ctx.store.activities.add({ leadId: id, type: 'note', at: ctx.now.toISOString(), userId: ctx.actor.id, body });
    await rescore(ctx, id);
    return { leadId: id, activityId };
  });
}

export async function assignLead(ctx: ServiceContext, id: number, change: { to?: string[]; add?: string[]; remove?: string[] }): Promise<Lead> {
  const { store, actor, now } = ctx;
  if (!change.to && !change.add?.length && !change.remove?.length) throw new UsageError('nothing to assign', { id: 'lead.assign-how' });
  return store.transaction(async () => {
    const before = await getLead(ctx, id);
    if (!seesAllLeads(actor)) throw new PermissionError(`${actor.email} is a rep and may not reassign leads`, 'ask a manager or admin');
    let ids = change.to ? [] : before.assignees.map((a) => a.id);
    const resolve = async (emails: string[]) => Promise.all(emails.map((e) => findUser(store, e)));
    for (const u of await resolve([...(change.to ?? []), ...(change.add ?? [])])) {
      if (!u.active) throw new UsageError(`user ${u.email} is deactivated`, 'assign the lead to an active user');
      ids.push(u.id);
    }
    const removed = new Set((await resolve(change.remove ?? [])).map((u) => u.id));
    ids = [...new Set(ids)].filter((x) => !removed.has(x));
    const fromIds = before.assignees.map((a) => a.id).sort();
    if (JSON.stringify([...ids].sort()) === JSON.stringify(fromIds)) return before;
    await store.leads.update(id, { assigneeIds: ids }, now.toISOString());
    const lead = (await store.leads.get(id))!;
    await store.activities.add({
      leadId: id, type: 'assigned', at: now.toISOString(), userId: actor.id,
      data: { from: before.assignees.map((a) => a.email), to: lead.assignees.map((a) => a.email) },
    });
    return lead;
  });
}

/** L5: lead → customer; an open lead also moves to the won stage, so forecasts count it. */
export async function convertLead(ctx: ServiceContext, id: number, orderId?: string): Promise<Lead> {
  const { store, actor, now } = ctx;
  const at = now.toISOString();
  return store.transaction(async () => {
    const before = await getLead(ctx, id);
    if (before.type === 'customer') throw new ConflictError(`lead ${id} is already a customer (since ${before.convertedAt})`, { id: 'customer.show', leadId: id });
    if (before.status !== 'active') throw new ConflictError(`lead ${id} is ${before.status}`, { id: 'lead.reactivate', leadId: id });
    const patch: Partial<LeadFields> = { type: 'customer', convertedAt: at, convertedBy: actor.id, orderId: orderId?.trim() || null };
    let won: string | undefined;
    if (before.stageOutcome !== 'won') {
      const stage = await outcomeStage(store, 'won');
      patch.stageId = stage.id;
      patch.lostReason = null;
      won = stage.name;
    }
    await store.leads.update(id, patch, at);
    if (won) await store.activities.add({ leadId: id, type: 'stage', at, userId: actor.id, data: { from: before.stage, to: won } });
    await store.activities.add({ leadId: id, type: 'converted', at, userId: actor.id, data: { previousType: before.type, orderId: patch.orderId } });
    return (await store.leads.get(id))!;
  });
}

/** L3 merge: the source's contacts, tags, owners and timeline move onto the target; the source is soft-deleted. */
export async function mergeLeads(ctx: ServiceContext, sourceId: number, targetId: number): Promise<Lead> {
  const { store, actor, now } = ctx;
  const at = now.toISOString();
  if (sourceId === targetId) throw new UsageError('cannot merge a lead into itself', { id: 'lead.merge-two' });
  return store.transaction(async () => {
    const src = await getLead(ctx, sourceId);
    await getLead(ctx, targetId);
    const a = (await store.leads.fields(sourceId))!;
    const b = (await store.leads.fields(targetId))!;
    const patch: Partial<LeadFields> = {
      emails: dedupe([...b.emails, ...a.emails], (e) => e.toLowerCase()),
      phones: dedupe([...b.phones, ...a.phones]),
      tags: dedupe([...b.tags, ...a.tags], (t) => t.toLowerCase()),
      assigneeIds: [...new Set([...b.assigneeIds, ...a.assigneeIds])],
      score: Math.max(a.score, b.score),
      custom: keyed({ ...a.custom, ...b.custom }),
    };
    const fill = ['businessName', 'sourceId', 'expectedClose', 'birthday', 'address'] as const;
    for (const k of fill) if (b[k] === null && a[k] !== null) (patch as Record<string, unknown>)[k] = a[k];
    if (b.valueMinor === null && a.valueMinor !== null) {
      patch.valueMinor = a.valueMinor;
      patch.currency = a.currency;
    }
    await store.activities.reassign(sourceId, targetId);
    await store.followUps.moveToLead(sourceId, targetId);
    await store.appointments.moveToLead(sourceId, targetId);
    await store.calls.moveToLead(sourceId, targetId);
    await store.proposals.moveToLead(sourceId, targetId);
    await store.tickets.moveToLead(sourceId, targetId);
    await store.orders.moveToLead(sourceId, targetId);
    await store.leads.update(sourceId, { mergedInto: targetId, deletedAt: at, emails: [], phones: [] }, at);
    await store.leads.update(targetId, patch, at);
    await store.activities.add({ leadId: targetId, type: 'merged', at, userId: actor.id, data: { from: sourceId, name: src.name, emails: a.emails, phones: a.phones } });
    return (await store.leads.get(targetId))!;
  });
}

export async function deleteLeads(ctx: ServiceContext, ids: number[]): Promise<number[]> {
  const at = ctx.now.toISOString();
  return ctx.store.transaction(async () => {
    for (const id of ids) await getLead(ctx, id);
    for (const id of ids) {
      await ctx.store.leads.update(id, { deletedAt: at }, at);
      await ctx.store.activities.add({ leadId: id, type: 'deleted', at, userId: ctx.actor.id });
    }
    return ids;
  });
}

export async function restoreLead(ctx: ServiceContext, id: number): Promise<Lead> {
  const { store, actor, now } = ctx;
  const at = now.toISOString();
  return store.transaction(async () => {
    const lead = await getLead(ctx, id, { includeDeleted: true });
    if (!lead.deletedAt) throw new ConflictError(`lead ${id} is not deleted`);
    if (lead.mergedInto) throw new ConflictError(`lead ${id} was merged into lead ${lead.mergedInto} and cannot be restored`, { id: 'lead.show-merged', leadId: lead.mergedInto });
    const fields = (await store.leads.fields(id))!;
    const { duplicateOf } = classify((await store.leads.matchContacts(fields.emails, fields.phones)).filter((m) => m.id !== id));
    if (duplicateOf) throw (await hiddenContact(ctx, duplicateOf, fields)) ?? duplicateError(duplicateOf);
    await store.leads.update(id, { deletedAt: null }, at);
    await store.activities.add({ leadId: id, type: 'restored', at, userId: actor.id });
    return (await store.leads.get(id))!;
  });
}

export interface LeadFilter {
  type?: LeadType;
  /** The segment filter language (L9): stage != Lost and score >= 60 … */
  where?: string;
  stage?: string[];
  source?: string[];
  tag?: string;
  user?: string;
  mine?: boolean;
  status?: string;
  deleted?: boolean;
  search?: string;
  minScore?: string;
  maxScore?: string;
  sort?: string;
  limit?: string | number;
  offset?: string | number;
}

export function parseSort(raw: string | undefined): LeadQuery['sort'] {
  if (!raw) return undefined;
  const desc = raw.startsWith('-');
  const key = raw.replace(/^[-+]/, '') as LeadSortKey;
  if (!LEAD_SORT_KEYS.includes(key)) throw new UsageError(`cannot sort by '${raw}'`, `sort by one of: ${LEAD_SORT_KEYS.join(', ')} (prefix - for descending)`);
  return { key, desc };
}

const count = (raw: string | number | undefined, field: string, min: number): number | undefined => (raw === undefined ? undefined : parseCount(raw, field, min));

export async function buildLeadQuery(ctx: Pick<ServiceContext, 'store' | 'actor'>, f: LeadFilter): Promise<LeadQuery> {
  const { store, actor } = ctx;
  const q: LeadQuery = { type: f.type, tag: f.tag, search: f.search?.trim() || undefined };
  if (f.stage?.length) q.stageIds = await Promise.all(f.stage.map(async (s) => (await findStage(store, s)).id));
  if (f.source?.length) q.sourceIds = await Promise.all(f.source.map(async (s) => (await findSource(store, s)).id));
  if (f.mine) q.assigneeId = actor.id;
  if (f.user) q.assigneeId = (await findUser(store, f.user)).id;
  if (!seesAllLeads(actor)) q.visibleTo = actor.id;
  if (f.status === 'all') q.statuses = undefined;
  else q.statuses = [oneOf<LeadStatus>(f.status ?? 'active', LEAD_STATUSES, 'status')];
  q.deleted = f.deleted ? 'only' : 'exclude';
  if (f.minScore !== undefined) q.minScore = parseScore(f.minScore);
  if (f.maxScore !== undefined) q.maxScore = parseScore(f.maxScore);
  q.sort = parseSort(f.sort);
  q.limit = count(f.limit, 'limit', 1);
  q.offset = count(f.offset, 'offset', 0);
  if (f.where !== undefined) q.filter = await compileWhere(store, f.where);
  return q;
}

export async function listLeads(ctx: Pick<ServiceContext, 'store' | 'actor'>, f: LeadFilter): Promise<Lead[]> {
  return ctx.store.leads.list(await buildLeadQuery(ctx, f));
}

/** How many leads the filter matches, whatever the limit and offset (a list's "100 of 188"). */
export async function countLeads(ctx: Pick<ServiceContext, 'store' | 'actor'>, f: LeadFilter): Promise<number> {
  const q = await buildLeadQuery(ctx, { ...f, limit: undefined, offset: undefined });
  return ctx.store.leads.count(q);
}

export const LIST_PAGE = 1000;

/**
 * Every lead the filter matches (no limit), a page at a time. Sorted by id (the default, newest
 * first), pages follow the id (keyset paging): memory holds one page however many there are.
 * Sorted by anything else, the store sorts them all at once and they come as one page.
 */
export async function* streamLeads(ctx: Pick<ServiceContext, 'store' | 'actor'>, f: Omit<LeadFilter, 'limit'>): AsyncGenerator<Lead[]> {
  const q = await buildLeadQuery(ctx, { ...f, limit: undefined });
  const sort = q.sort ?? { key: 'id', desc: true };
  if (sort.key !== 'id') {
    const all = await ctx.store.leads.list(q);
    if (all.length) yield all;
    return;
  }
  let offset = q.offset ?? 0;
  let edge: number | undefined;
  for (;;) {
    const keyset = edge === undefined ? {} : sort.desc ? { beforeId: edge } : { afterId: edge };
    const page = await ctx.store.leads.list({ ...q, ...keyset, sort, limit: LIST_PAGE, offset });
    if (!page.length) return;
    yield page;
    if (page.length < LIST_PAGE) return;
    offset = 0;
    edge = page[page.length - 1]!.id;
  }
}

/** The 360° view (L6): profile, stage history, follow-ups, next appointment, calls, notes, one timeline. */
export async function showLead(ctx: Pick<ServiceContext, 'store' | 'actor'> & { now?: Date }, id: number, type?: LeadType) {
  const lead = await getLead(ctx, id, { includeDeleted: true, type });
  const timeline = await ctx.store.activities.forLead(id);
  const at = ctx.now ?? new Date();
  const now = at.toISOString();
  await audit({ ...ctx, now: at }, 'contact.view', id);
  const pending = await ctx.store.followUps.list({ leadId: id, statuses: ['scheduled', 'open'] });
  const [nextAppointment] = await ctx.store.appointments.list({ leadId: id, statuses: ['scheduled', 'confirmed'], startFrom: now, limit: 1 });
  return {
    lead,
    timeline,
    stageHistory: timeline.filter((a) => a.type === 'stage' || a.type === 'lost').reverse(),
    openFollowUps: pending.filter((f) => f.endAt >= now),
    overdueFollowUps: pending.filter((f) => f.endAt < now),
    nextAppointment: nextAppointment ?? null,
    recentCalls: await ctx.store.calls.list({ leadId: id, limit: 10 }),
    // Every ticket of the lead, open ones first (the list is newest first).
    tickets: await ctx.store.tickets.list({ leadId: id, limit: 50 }),
    notes: timeline.filter((a) => a.type === 'note'),
    persons: await ctx.store.contactPersons.ofLead(id),
    consent: await consentView(ctx.store, id),
  };
}

/** A lead's consent per channel now, and how it changed (oldest first). */
async function consentView(store: Store, leadId: number): Promise<{ channels: ChannelConsent[]; history: ConsentEntry[] }> {
  const history = await store.consent.history(leadId);
  return { channels: currentConsent(history), history };
}
