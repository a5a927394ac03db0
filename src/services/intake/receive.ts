import { UsageError } from '../../errors.js';
import type { Lead } from '../../domain/leads.js';
import type { User } from '../../domain/users.js';
import type { Store } from '../../store/types.js';
import type { ServiceContext } from '../context.js';
import { addLead, classify, dedupe, settingsOf, type LeadInput } from '../leads/service.js';
import type { RouteDecision } from '../routing/service.js';
import { queueWelcome } from '../welcome/service.js';
import { normalizeEmail, oneLine, phoneNormalizer } from '../leads/normalize.js';
import { MAX_TEXT_CHARS } from '../../domain/leads.js';
import { enqueueForEvent } from '../notify/enqueue.js';

/** Where an inquiry came from (C3–C5): the channel, and which form, mailbox or marketplace. */
export type IntakeChannel = 'form' | 'chat' | 'sms' | 'whatsapp' | 'email' | 'marketplace' | 'voice';

export interface IntakeInput {
  channel: IntakeChannel;
  /** The form's name, the mailbox, the marketplace site… (kept on the timeline and used by routing). */
  ref?: string | null;
  /** The contact as the channel gave it: raw strings, validated here like `crm lead add`. */
  lead: LeadInput;
  /** What the person wrote: lands on the lead's timeline. */
  message?: { subject?: string | null; text?: string | null };
  /** The raw submission, kept on the timeline entry for audit (secrets must be removed by the caller). */
  payload?: unknown;
  /** More data for the intake timeline entry (e.g. the marketplace's inquiry id). */
  timeline?: Record<string, unknown>;
  /** Where welcome templates are looked up (CRM_HOME, HOME…); default: this process's environment. */
  env?: Record<string, string | undefined>;
}

export type IntakeOutcome = 'created' | 'junk' | 're-engaged' | 'existing';

export interface IntakeResult {
  outcome: IntakeOutcome;
  lead: Lead;
  /** The timeline entry holding the message and the payload. */
  activityId: number;
  /** Emails or phones the channel sent that were not valid, dropped rather than refusing the inquiry. */
  dropped: string[];
  /** A created lead the input named no assignee for: the routing decision (L8). */
  routed?: RouteDecision;
  /** Welcome messages queued for a created lead (C6): their channels. */
  welcomed: string[];
}

/**
 * The one way an inquiry becomes a lead, whatever the channel (marketplace, forms, SMS/WhatsApp,
 * mailbox): validate and normalise the contact, run the duplicate check (SPEC L3: new, junk,
 * re-engaged, or an existing lead whose timeline gets the message), record the source and the raw
 * payload on the timeline and fire the notification rules, all in one transaction. Invalid emails
 * or phones are dropped (an inquiry with a bad email but a good phone is still a lead); an inquiry
 * with neither a name nor a valid email or phone is refused with a UsageError.
 * A new lead without an assignee in the input is routed (L8: rules, round-robin groups,
 * routing.default), scored (L7, in addLead), and welcomed (C6) in the same transaction; junk,
 * re-engaged and existing leads are neither routed nor welcomed.
 */
export async function receiveInquiry(ctx: ServiceContext, input: IntakeInput): Promise<IntakeResult> {
  const { store, actor, now } = ctx;
  const at = now.toISOString();
  return store.transaction(async () => {
    const settings = await settingsOf(store);
    const dropped: string[] = [];
    const emails = dedupe((input.lead.emails ?? []).map((e) => e.trim()).filter(Boolean).flatMap((e) => {
      try {
        return [normalizeEmail(e)];
      } catch {
        dropped.push(e);
        return [];
      }
    }), (e) => e.toLowerCase());
    const phone = await phoneNormalizer(settings.region);
    const phones = dedupe((input.lead.phones ?? []).map((p) => p.trim()).filter(Boolean).flatMap((p) => {
      try {
        return [phone(p)];
      } catch {
        dropped.push(p);
        return [];
      }
    }));
    // A form or a WhatsApp profile may put line breaks in a name: kept, as one line, not refused.
    const name = oneLine(input.lead.name ?? '').slice(0, MAX_TEXT_CHARS) || oneLine(input.lead.businessName ?? '').slice(0, MAX_TEXT_CHARS) || emails[0] || phones[0];
    if (!name) throw new UsageError(`an inquiry by ${input.channel}${input.ref ? ` (${input.ref})` : ''} has no name and no valid email or phone`, 'nothing to make a lead from; it was not stored');

    const { duplicateOf } = classify(await store.leads.matchContacts(emails.map((e) => e.toLowerCase()), phones));
    let outcome: IntakeOutcome;
    let lead: Lead;
    let routed: RouteDecision | undefined;
    let welcomed: string[] = [];
    if (duplicateOf) {
      outcome = 'existing';
      lead = (await store.leads.get(duplicateOf.id))!;
      await enqueueForEvent(store, {
        type: 'lead.duplicate', leadId: lead.id, at, key: `lead${lead.id}/duplicate/${at}/${duplicateOf.on}:${duplicateOf.value}`,
        vars: { attempted_name: name, matched: `${duplicateOf.on} ${duplicateOf.value}` },
      });
    } else {
      const route = input.lead.assign?.length ? undefined : { channel: input.channel, ref: input.ref ?? null };
      const added = await addLead(ctx, { ...input.lead, name, emails, phones, route });
      outcome = added.outcome === 'new' ? 'created' : added.outcome;
      lead = added.lead;
      routed = added.routed;
      if (outcome === 'created') welcomed = await queueWelcome(store, lead, input.channel, at, input.env ?? process.env, actor.id);
    }
    const text = [input.message?.subject && `Subject: ${input.message.subject}`, input.message?.text].filter(Boolean).join('\n') || null;
    const activityId = await store.activities.add({
      leadId: lead.id, type: 'intake', at, userId: actor.id, body: text,
      data: { channel: input.channel, ref: input.ref ?? null, outcome, subject: input.message?.subject ?? null, dropped, payload: input.payload ?? null, ...input.timeline },
    });
    return { outcome, lead, activityId, dropped, ...(routed ? { routed } : {}), welcomed };
  });
}

/** Who the daemon acts as for an inquiry nobody typed in: the given user if active, else the first active admin. */
export async function intakeActor(store: Store, preferredId?: number | null): Promise<User> {
  if (preferredId) {
    const u = await store.users.byId(preferredId);
    if (u?.active) return u;
  }
  const admin = (await store.users.list()).find((u) => u.role === 'admin' && u.active);
  if (!admin) throw new UsageError('no active admin to receive inquiries as', { id: 'user.add-admin' });
  return admin;
}
