/**
 * Consent per channel (issue 20): what a lead agreed to be contacted by, where that came from and
 * when. Sources record it (forms, imports, STOP replies, unsubscribe links, users by hand); the
 * store keeps opt-outs agreeing (withdrawn = opted out), so everything that honours opt-outs
 * honours a withdrawal. `privacy.require-consent` on: campaigns go only to leads whose consent for
 * the channel is granted.
 */
import { CONSENT_CHANNELS, currentConsent, isConsentChannel, type ChannelConsent, type ConsentChannel, type ConsentEntry, type ConsentSource, type ConsentState } from '../../domain/consent.js';
import { UsageError, fieldRef, say } from '../../errors.js';
import type { Store } from '../../store/types.js';
import type { ServiceContext } from '../context.js';
import { getLead } from '../leads/service.js';

export interface LeadConsent {
  leadId: number;
  /** Every channel's state now (unknown when nothing was ever recorded). */
  channels: ChannelConsent[];
  /** Every entry, oldest first. */
  history: ConsentEntry[];
}

export function parseConsentChannel(raw: string): ConsentChannel {
  const v = raw.trim().toLowerCase();
  if (!isConsentChannel(v)) throw new UsageError(say`invalid ${fieldRef('channel')} '${raw}'`, `use one of: ${CONSENT_CHANNELS.join(', ')}`);
  return v;
}

/** A lead's consent: its channels now and its history (whoever sees the lead). */
export async function leadConsent(ctx: Pick<ServiceContext, 'store' | 'actor'>, leadId: number): Promise<LeadConsent> {
  const lead = await getLead(ctx, leadId, { includeDeleted: true });
  const history = await ctx.store.consent.history(lead.id);
  return { leadId: lead.id, channels: currentConsent(history), history };
}

/** Records consent by hand (or from an agent: source 'api'): whoever may see the lead. */
export async function setConsent(
  ctx: Pick<ServiceContext, 'store' | 'actor' | 'now'>,
  leadId: number,
  channels: ConsentChannel[],
  state: ConsentState,
  opts: { note?: string; source?: Extract<ConsentSource, 'by-hand' | 'api'> } = {},
): Promise<LeadConsent> {
  if (!channels.length) throw new UsageError(say`no channel given`, { id: 'pass', field: 'channel', value: CONSENT_CHANNELS.join(',') });
  const note = opts.note?.trim() || null;
  if (note && note.length > 500) throw new UsageError(`the note is ${note.length} characters long`, 'keep it under 500 characters');
  return ctx.store.transaction(async () => {
    const lead = await getLead(ctx, leadId);
    const at = ctx.now.toISOString();
    await ctx.store.consent.record([...new Set(channels)].map((channel) => ({ leadId: lead.id, channel, state, source: opts.source ?? 'by-hand', at, userId: ctx.actor.id, note })));
    return leadConsent(ctx, lead.id);
  });
}

/** Consent a person gave themselves (a form's checkbox, an import's column): recorded as it came. */
export async function recordConsent(store: Store, leadId: number, given: Partial<Record<ConsentChannel, boolean>>, source: ConsentSource, at: string, userId: number | null, note?: string): Promise<void> {
  const entries = Object.entries(given)
    .filter((e): e is [ConsentChannel, boolean] => typeof e[1] === 'boolean')
    .map(([channel, granted]) => ({ leadId, channel, state: granted ? ('granted' as const) : ('withdrawn' as const), source, at, userId, note: note ?? null }));
  await store.consent.record(entries);
}

/** Whether campaigns need granted consent (setting privacy.require-consent). */
export async function consentRequired(store: Store): Promise<boolean> {
  return (await store.settings.get('privacy.require-consent')) === 'true';
}
