import { isConsentChannel } from '../../domain/consent.js';
import { NotFoundError, PermissionError, UsageError } from '../../errors.js';
import type { Channel, InboxItem, OptOutChannel } from '../../domain/notify.js';
import { assertRole } from '../access.js';
import type { ServiceContext } from '../context.js';
import { getLead } from '../leads/service.js';
import { normalizePhones } from '../leads/normalize.js';
import { findUser } from '../lookup.js';
import { channelConfigured } from './enqueue.js';
import { transportProblems } from './transport.js';
import { findRule, parseChannels, parseOptOutChannels, parseRecipients, RULES, ruleConfig, saveRuleConfig, type RuleConfig } from './rules.js';

export interface RuleView extends RuleConfig {
  id: string;
  description: string;
  event: string;
  template: string;
  /** Channels of the rule whose transport is not configured (they are skipped). */
  unconfigured: Channel[];
  /** Channels configured only in part (a required setting missing or invalid): their messages are held until it is fixed. */
  held: { channel: Channel; problems: string[]; settings: string[] }[];
}

/** Channels the rule queues messages on that cannot be delivered now (transportProblems, without secrets the CLI may not see). */
function heldChannels(channels: Channel[], settings: Record<string, string>, env: Record<string, string | undefined>): RuleView['held'] {
  return channels
    .filter((ch) => channelConfigured(ch, settings))
    .map((ch) => ({ channel: ch, found: transportProblems(ch, settings, env, { secrets: false }) }))
    .filter((h) => h.found.length > 0)
    .map((h) => ({ channel: h.channel, problems: h.found.map((p) => p.problem), settings: h.found.map((p) => p.setting) }));
}

export async function listRules(ctx: Pick<ServiceContext, 'store'>, env: Record<string, string | undefined> = {}): Promise<RuleView[]> {
  const settings = await ctx.store.settings.all();
  return RULES.map((r) => {
    const c = ruleConfig(r, settings);
    return { id: r.id, description: r.description, event: r.event, template: r.template, ...c, unconfigured: c.channels.filter((ch) => !channelConfigured(ch, settings)), held: heldChannels(c.channels, settings, env) };
  });
}

export async function setRule(ctx: ServiceContext, id: string, change: { on?: boolean; channels?: string[]; to?: string[] }, env: Record<string, string | undefined> = {}): Promise<RuleView> {
  assertRole(ctx.actor, ['admin'], 'change notification rules');
  const rule = findRule(id);
  if (change.on === undefined && !change.channels && !change.to) throw new UsageError('nothing to change', { id: 'notify.set', rule: id });
  await ctx.store.transaction(async () => {
    const c = ruleConfig(rule, await ctx.store.settings.all());
    const next: RuleConfig = {
      on: change.on ?? c.on,
      channels: change.channels ? parseChannels(change.channels) : c.channels,
      to: change.to ? parseRecipients(change.to) : c.to,
    };
    // Switching a rule on, or onto a channel, whose settings are half done would only queue messages that wait.
    const held = next.on && (change.channels || change.on) ? heldChannels(next.channels, await ctx.store.settings.all(), env) : [];
    if (held.length) {
      throw new UsageError(`${rule.id} cannot notify by ${held.map((h) => `${h.channel}: ${h.problems.join('; ')}`).join('; by ')}; nothing was changed`, { id: 'config.transport', settings: [...new Set(held.flatMap((h) => h.settings))] });
    }
    await saveRuleConfig(ctx.store, rule, next);
  });
  return (await listRules(ctx, env)).find((r) => r.id === id)!;
}

/** Opt a user (themselves, or anyone for an admin) or a lead's contact out of (or back into) a channel. */
export async function setOptOut(ctx: ServiceContext, target: { user?: string; lead?: number }, channelsRaw: string[], optedOut: boolean): Promise<{ kind: 'user' | 'lead'; id: number; name: string; optedOut: OptOutChannel[] }> {
  const channels = parseOptOutChannels(channelsRaw);
  if (channels.length === 0) throw new UsageError('no channel given', { id: 'pass', field: 'channel', value: 'email,sms,whatsapp,inbox' });
  return ctx.store.transaction(async () => {
    let kind: 'user' | 'lead';
    let id: number;
    let name: string;
    if (target.lead !== undefined) {
      const lead = await getLead(ctx, target.lead);
      kind = 'lead';
      id = lead.id;
      name = lead.name;
    } else {
      const user = target.user ? await findUser(ctx.store, target.user) : ctx.actor;
      if (user.id !== ctx.actor.id && ctx.actor.role !== 'admin') throw new PermissionError(`${ctx.actor.email} may change only their own notifications`, 'ask an admin');
      kind = 'user';
      id = user.id;
      name = user.email;
    }
    for (const ch of channels) {
      // A lead's consent channels: an entry by this user (the same opt-out, with who did it).
      if (kind === 'lead' && isConsentChannel(ch)) await ctx.store.consent.record([{ leadId: id, channel: ch, state: optedOut ? 'withdrawn' : 'granted', source: 'by-hand', at: ctx.now.toISOString(), userId: ctx.actor.id }]);
      else await ctx.store.optOuts.set(kind, id, ch, optedOut, ctx.now.toISOString());
    }
    return { kind, id, name, optedOut: await ctx.store.optOuts.list(kind, id) };
  });
}

/** A user's mobile number for SMS and WhatsApp notifications (themselves, or anyone for an admin). */
export async function setUserPhone(ctx: ServiceContext, email: string, phone: string): Promise<{ user: string; phone: string | null }> {
  const user = await findUser(ctx.store, email);
  if (user.id !== ctx.actor.id && ctx.actor.role !== 'admin') throw new PermissionError(`${ctx.actor.email} may set only their own phone`, 'ask an admin');
  const region = (await ctx.store.settings.get('phone.region')) || undefined;
  const value = phone.trim() === '' ? null : (await normalizePhones([phone], region))[0]!;
  await ctx.store.transaction(() => ctx.store.userPhones.set(user.id, value));
  return { user: user.email, phone: value };
}

export async function listInbox(ctx: ServiceContext, opts: { all?: boolean; limit?: number }): Promise<InboxItem[]> {
  return ctx.store.inbox.list(ctx.actor.id, opts);
}

export async function readInbox(ctx: ServiceContext, id: number | 'all'): Promise<number> {
  return ctx.store.transaction(async () => {
    const n = await ctx.store.inbox.markRead(ctx.actor.id, id === 'all' ? null : id, ctx.now.toISOString());
    if (id !== 'all' && n === 0) {
      const mine = (await ctx.store.inbox.list(ctx.actor.id, { all: true, limit: 100_000 })).find((i) => i.id === id);
      if (!mine) throw new NotFoundError(`no notification ${id} in ${ctx.actor.email}'s inbox`, { id: 'inbox.all' });
    }
    return n;
  });
}

