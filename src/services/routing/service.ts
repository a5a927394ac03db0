import { ConflictError, NotFoundError, UsageError, fieldRef, say } from '../../errors.js';
import type { Lead } from '../../domain/leads.js';
import type { RoutingGroup, RoutingRule } from '../../domain/routing.js';
import type { User } from '../../domain/users.js';
import type { Store } from '../../store/types.js';
import { assertRole } from '../access.js';
import type { ServiceContext } from '../context.js';
import { findUser } from '../lookup.js';
import { firstFailing, freeMailSet, parseConditions, type Facts } from './conditions.js';
import { keyed } from '../../domain/keyed.js';

/** Who a new lead goes to (L8), and why. */
export interface RouteDecision {
  /** The rule that decided ('routing.default' for the fallback; null: nobody, unassigned). */
  rule: string | null;
  /** The rule's target as written: an email or group:NAME. */
  target: string | null;
  user: { id: number; name: string; email: string } | null;
  group: string | null;
  /** Every rule in order: whether it matched, and why not. */
  steps: { rule: string; matched: boolean; reason: string | null }[];
}

const rrName = (group: string) => `routing:${group.toLowerCase()}`;
const brief = (u: User) => ({ id: u.id, name: u.name, email: u.email });

/** Facts about a stored lead (channel and form are not known after intake). */
export function factsOfLead(lead: Lead): Facts {
  return {
    source: lead.source, tags: lead.tags, address: lead.address, custom: lead.custom, emails: lead.emails, phones: lead.phones,
    businessName: lead.businessName, hasValue: lead.valueMinor !== null, channel: null, ref: null,
  };
}

/**
 * Evaluates the routing rules in order; the first whose conditions hold and whose target has an
 * active user wins (a deactivated user, or a group with nobody active, passes to the next rule).
 * Nothing matching: the routing.default setting (empty: unassigned). `consume` false peeks at the
 * round-robin pointers without moving them (crm routing test).
 */
export async function decideRoute(store: Store, facts: Facts, opts: { consume: boolean }): Promise<RouteDecision> {
  const rules = await store.routing.rules();
  const settings = await store.settings.all();
  const fallback = (settings['routing.default'] ?? '').trim();
  const steps: RouteDecision['steps'] = [];
  if (!rules.length && !fallback) return { rule: null, target: null, user: null, group: null, steps };
  const users = await store.users.list();
  const groups = await store.routing.groups();
  const freeMail = freeMailSet(settings);

  const pick = async (target: { userId: number | null; group: string | null }): Promise<{ user: User | null; why: string | null }> => {
    if (target.userId !== null) {
      const u = users.find((x) => x.id === target.userId);
      return u?.active ? { user: u, why: null } : { user: null, why: `${u?.email ?? `user #${target.userId}`} is deactivated` };
    }
    const g = groups.find((x) => x.name.toLowerCase() === target.group!.toLowerCase());
    if (!g) return { user: null, why: `group ${target.group} does not exist` };
    const active = g.userIds.map((id) => users.find((u) => u.id === id)).filter((u): u is User => Boolean(u?.active));
    if (!active.length) return { user: null, why: `group ${g.name} has no active user` };
    const n = opts.consume ? await store.roundRobin.take(rrName(g.name)) : await store.roundRobin.peek(rrName(g.name));
    return { user: active[n % active.length]!, why: null };
  };

  for (const r of rules) {
    const failed = firstFailing(parseConditions(r.conditions, { activity: false, intake: true }), facts, freeMail);
    if (failed) {
      steps.push({ rule: r.name, matched: false, reason: `${failed.text} does not hold` });
      continue;
    }
    const { user, why } = await pick(r);
    steps.push({ rule: r.name, matched: Boolean(user), reason: why });
    if (user) return { rule: r.name, target: targetText(r, users), user: brief(user), group: r.group, steps };
  }
  if (fallback) {
    const group = /^group:(.+)$/i.exec(fallback)?.[1]?.trim() ?? null;
    const u = group ? null : users.find((x) => x.email.toLowerCase() === fallback.toLowerCase());
    const { user, why } = group ? await pick({ userId: null, group }) : u ? await pick({ userId: u.id, group: null }) : { user: null, why: `unknown user ${fallback}` };
    steps.push({ rule: 'routing.default', matched: Boolean(user), reason: why });
    if (user) return { rule: 'routing.default', target: fallback, user: brief(user), group, steps };
  }
  return { rule: null, target: null, user: null, group: null, steps };
}

function targetText(r: Pick<RoutingRule, 'userId' | 'group'>, users: User[]): string {
  return r.group !== null ? `group:${r.group}` : (users.find((u) => u.id === r.userId)?.email ?? `#${r.userId}`);
}

export interface RoutingRuleView {
  position: number;
  name: string;
  if: string;
  to: string;
  createdAt: string;
}
export interface RoutingGroupView {
  name: string;
  users: { email: string; active: boolean }[];
  /** How many leads the group has been given (the round-robin pointer). */
  handedOut: number;
}

export async function listRouting(ctx: Pick<ServiceContext, 'store'>): Promise<{ rules: RoutingRuleView[]; default: string }> {
  const users = await ctx.store.users.list();
  const rules = (await ctx.store.routing.rules()).map((r) => ({ position: r.position, name: r.name, if: r.conditions, to: targetText(r, users), createdAt: r.createdAt }));
  return { rules, default: (await ctx.store.settings.get('routing.default')) ?? '' };
}

async function resolveTarget(store: Store, raw: string): Promise<{ userId: number | null; group: string | null }> {
  const g = /^group:(.+)$/i.exec(raw.trim());
  if (g) {
    const name = g[1]!.trim();
    const group = (await store.routing.groups()).find((x) => x.name.toLowerCase() === name.toLowerCase());
    if (!group) throw new NotFoundError(`no routing group '${name}'`, { id: 'routing.group-add', name });
    return { userId: null, group: group.name };
  }
  const u = await findUser(store, raw);
  if (!u.active) throw new UsageError(`user ${u.email} is deactivated`, 'route to an active user or a group');
  return { userId: u.id, group: null };
}

export async function addRoutingRule(ctx: ServiceContext, input: { name?: string; if?: string; to?: string; position?: string }): Promise<RoutingRuleView> {
  const { store, actor, now } = ctx;
  assertRole(actor, ['admin', 'manager'], 'change routing rules');
  const name = input.name?.trim();
  if (!name) throw new UsageError('a routing rule needs a name', { id: 'routing.name' });
  if (!input.if?.trim()) throw new UsageError('a routing rule needs conditions', { id: 'pass', field: 'if', value: '"source=Website,country=India"' });
  if (!input.to?.trim()) throw new UsageError('a routing rule needs a target', { id: 'routing.to' });
  parseConditions(input.if, { activity: false, intake: true });
  let position: number | null = null;
  if (input.position !== undefined) {
    position = Number(input.position);
    if (!Number.isInteger(position) || position < 1) throw new UsageError(say`invalid ${fieldRef('position')} '${input.position}'`, 'a whole number ≥ 1 (1: evaluated first)');
  }
  return store.transaction(async () => {
    if ((await store.routing.rules()).some((r) => r.name.toLowerCase() === name.toLowerCase())) {
      throw new ConflictError(`a routing rule '${name}' exists`, { id: 'routing.remove', name });
    }
    const target = await resolveTarget(store, input.to!);
    const id = await store.routing.insertRule({ name, conditions: input.if!.trim(), ...target, createdBy: actor.id }, position, now.toISOString());
    return (await listRouting(ctx)).rules.find((r) => r.name === name && id > 0)!;
  });
}

export async function removeRoutingRule(ctx: ServiceContext, name: string): Promise<RoutingRuleView> {
  assertRole(ctx.actor, ['admin', 'manager'], 'change routing rules');
  return ctx.store.transaction(async () => {
    const view = (await listRouting(ctx)).rules.find((r) => r.name.toLowerCase() === name.trim().toLowerCase());
    const rule = (await ctx.store.routing.rules()).find((r) => r.name.toLowerCase() === name.trim().toLowerCase());
    if (!rule || !view) throw new NotFoundError(`no routing rule '${name}'`, { id: 'routing.list' });
    await ctx.store.routing.removeRule(rule.id);
    return view;
  });
}

/** A lead described as JSON for `crm routing test`: LeadInput's names plus channel, form, country, city. */
export function factsFromJson(json: string): Facts {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(json) as Record<string, unknown>;
  } catch (err) {
    throw new UsageError(`the lead is not valid JSON: ${(err as Error).message}`, { id: 'routing.test' });
  }
  if (!o || typeof o !== 'object' || Array.isArray(o)) throw new UsageError('the lead must be a JSON object', `e.g. '{"source":"Website","tags":["vip"]}'`);
  const str = (k: string) => (typeof o[k] === 'string' || typeof o[k] === 'number' ? String(o[k]) : null);
  const list = (...keys: string[]) => keys.flatMap((k) => (Array.isArray(o[k]) ? (o[k] as unknown[]).map(String) : typeof o[k] === 'string' ? (o[k] as string).split(',').map((s) => s.trim()) : [])).filter(Boolean);
  const custom: Record<string, string> = keyed();
  for (const k of ['custom', 'fields']) if (o[k] && typeof o[k] === 'object') for (const [key, v] of Object.entries(o[k] as object)) custom[key] = String(v);
  for (const k of ['country', 'city', 'budget', 'authority', 'need', 'timeline']) if (str(k) !== null) custom[k] = str(k)!;
  return {
    source: str('source'), tags: list('tags', 'tag'), address: str('address'), custom, emails: list('emails', 'email'), phones: list('phones', 'phone'),
    businessName: str('businessName') ?? str('business') ?? str('company'), hasValue: Boolean(str('value')), channel: str('channel'), ref: str('form') ?? str('ref'),
  };
}

/** `crm routing test`: the decision for a lead described as JSON, without moving any round-robin pointer. */
export async function testRouting(ctx: Pick<ServiceContext, 'store'>, json: string): Promise<RouteDecision> {
  return decideRoute(ctx.store, factsFromJson(json), { consume: false });
}

export async function listGroups(ctx: Pick<ServiceContext, 'store'>): Promise<RoutingGroupView[]> {
  const users = await ctx.store.users.list();
  const out: RoutingGroupView[] = [];
  for (const g of await ctx.store.routing.groups()) out.push(groupView(g, users, await ctx.store.roundRobin.peek(rrName(g.name))));
  return out;
}

function groupView(g: RoutingGroup, users: User[], handedOut: number): RoutingGroupView {
  return { name: g.name, users: g.userIds.map((id) => users.find((u) => u.id === id)).filter((u): u is User => Boolean(u)).map((u) => ({ email: u.email, active: u.active })), handedOut };
}

/** Creates a group or replaces its members (the pointer keeps counting). */
export async function putGroup(ctx: ServiceContext, name: string, emails: string[]): Promise<RoutingGroupView> {
  assertRole(ctx.actor, ['admin', 'manager'], 'change routing groups');
  const n = name?.trim();
  if (!n || !/^[\w.-]+$/.test(n)) throw new UsageError(`invalid group name '${name}'`, 'letters, digits, dot, dash and underscore, e.g. team-a');
  if (!emails.length) throw new UsageError('a group needs users', { id: 'pass', field: 'users', value: 'a@…,b@…' });
  return ctx.store.transaction(async () => {
    // One at a time: a transaction's statements share one connection (PostgreSQL) and must not overlap.
    const users = [];
    for (const e of emails) users.push(await findUser(ctx.store, e));
    await ctx.store.routing.putGroup(n, [...new Set(users.map((u) => u.id))], ctx.now.toISOString());
    return (await listGroups(ctx)).find((g) => g.name.toLowerCase() === n.toLowerCase())!;
  });
}

export async function removeGroup(ctx: ServiceContext, name: string): Promise<RoutingGroupView> {
  assertRole(ctx.actor, ['admin', 'manager'], 'change routing groups');
  return ctx.store.transaction(async () => {
    const g = (await listGroups(ctx)).find((x) => x.name.toLowerCase() === name.trim().toLowerCase());
    if (!g) throw new NotFoundError(`no routing group '${name}'`, { id: 'routing.group-list' });
    const using = (await ctx.store.routing.rules()).filter((r) => r.group?.toLowerCase() === g.name.toLowerCase());
    if (using.length) throw new ConflictError(`group ${g.name} is used by routing rule ${using.map((r) => r.name).join(', ')}`, { id: 'routing.remove-first', name: using[0]!.name });
    await ctx.store.routing.removeGroup(g.name);
    return g;
  });
}
