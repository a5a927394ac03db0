/**
 * Lead scoring (L7). A lead's score is its manual base plus the points of the scoring rules it
 * meets, clamped to 0–100: `crm lead add/edit --score N` sets the base (a lead's score before any
 * rule existed is its base), rules add or subtract. The score is recomputed inside the
 * transaction of every change that can move it (lead add, edit, re-engage, intake, a note, a
 * call); activity windows that pass with time are caught by `crm scoring recompute --all`.
 */
import { ConflictError, NotFoundError, UsageError, fieldRef, say } from '../../errors.js';
import type { Lead } from '../../domain/leads.js';
import type { ScoringRule } from '../../domain/routing.js';
import type { Store } from '../../store/types.js';
import { assertCanTouchLead, assertRole } from '../access.js';
import type { ServiceContext } from '../context.js';
import { ACTIVITY_FIELDS, firstFailing, freeMailSet, parseConditions } from '../routing/conditions.js';
import { factsOfLead } from '../routing/service.js';

export const DEFAULT_DAYS = 30;
const clamp = (n: number) => Math.max(0, Math.min(100, n));

export interface ScoreLine {
  rule: string;
  if: string;
  points: number;
  days: number;
  matched: boolean;
  /** The first condition that does not hold. */
  failed: string | null;
}

export interface ScoreExplanation {
  leadId: number;
  name: string;
  /** The manual part (lead add/edit --score). */
  base: number;
  rules: ScoreLine[];
  rulePoints: number;
  /** clamp(base + rulePoints, 0, 100). */
  total: number;
  /** The score stored now (differs from total only when rules changed since the last recompute). */
  stored: number;
}

async function evaluate(store: Store, lead: Lead, rules: ScoringRule[], now: Date): Promise<ScoreLine[]> {
  const freeMail = freeMailSet(await store.settings.all());
  const facts = factsOfLead(lead);
  const lines: ScoreLine[] = [];
  for (const r of rules) {
    const conds = parseConditions(r.conditions, { activity: true, intake: false });
    if (conds.some((c) => ACTIVITY_FIELDS.includes(c.field))) {
      const since = new Date(now.getTime() - r.days * 86400_000).toISOString();
      const n = await store.scoring.activityCounts(lead.id, ['call', 'note'], since);
      facts.counts = { calls: n['call'] ?? 0, notes: n['note'] ?? 0 };
    }
    const failed = firstFailing(conds, facts, freeMail);
    lines.push({ rule: r.name, if: r.conditions, points: r.points, days: r.days, matched: !failed, failed: failed?.text ?? null });
  }
  return lines;
}

/**
 * Recomputes one lead's score (call inside the transaction of the change). `base` sets the manual
 * part (lead edit --score). Cheap when no rule exists: two indexed reads. Returns the change, if any.
 */
export async function rescore(ctx: { store: Store; now: Date; actor?: { id: number } }, leadId: number, opts: { base?: number } = {}): Promise<{ from: number; to: number } | null> {
  const { store, now } = ctx;
  const rules = await store.scoring.rules();
  const state = await store.scoring.state(leadId);
  if (!rules.length && !state && opts.base === undefined) return null;
  const lead = await store.leads.get(leadId);
  if (!lead || lead.deletedAt) return null;
  const at = now.toISOString();
  const base = opts.base ?? state?.base ?? lead.score;
  const points = rules.length ? (await evaluate(store, lead, rules, now)).reduce((sum, l) => sum + (l.matched ? l.points : 0), 0) : 0;
  const total = clamp(base + points);
  if (!state || state.base !== base || state.points !== points) await store.scoring.setState(leadId, { base, points, at });
  if (total === lead.score) return null;
  await store.leads.update(leadId, { score: total }, at);
  await store.activities.add({ leadId, type: 'scored', at, userId: ctx.actor?.id ?? null, data: { from: lead.score, to: total, base, points } });
  return { from: lead.score, to: total };
}

/** `crm scoring explain <lead>`: every rule, matched or not, its points, and the total. */
export async function explainLeadScore(ctx: ServiceContext, id: number): Promise<ScoreExplanation> {
  const lead = await ctx.store.leads.get(id);
  if (!lead || lead.deletedAt) throw new NotFoundError(`no lead with id ${id}`, { id: 'lead.list' });
  assertCanTouchLead(ctx.actor, lead);
  return explainScore(ctx, lead);
}

export async function explainScore(ctx: ServiceContext, lead: Lead): Promise<ScoreExplanation> {
  const rules = await ctx.store.scoring.rules();
  const state = await ctx.store.scoring.state(lead.id);
  const lines = await evaluate(ctx.store, lead, rules, ctx.now);
  const base = state?.base ?? lead.score;
  const rulePoints = lines.reduce((sum, l) => sum + (l.matched ? l.points : 0), 0);
  return { leadId: lead.id, name: lead.name, base, rules: lines, rulePoints, total: clamp(base + rulePoints), stored: lead.score };
}

export async function listScoringRules(ctx: Pick<ServiceContext, 'store'>): Promise<ScoringRule[]> {
  return ctx.store.scoring.rules();
}

export async function addScoringRule(ctx: ServiceContext, input: { name?: string; if?: string; points?: string; days?: string }): Promise<ScoringRule> {
  const { store, actor, now } = ctx;
  assertRole(actor, ['admin', 'manager'], 'change scoring rules');
  const name = input.name?.trim();
  if (!name) throw new UsageError('a scoring rule needs a name', { id: 'scoring.name' });
  if (!input.if?.trim()) throw new UsageError('a scoring rule needs conditions', { id: 'scoring.if' });
  parseConditions(input.if, { activity: true, intake: false });
  if (input.points === undefined) throw new UsageError('a scoring rule needs points', { id: 'scoring.points' });
  const points = Number(input.points);
  if (!Number.isInteger(points) || points < -100 || points > 100 || points === 0) throw new UsageError(say`invalid ${fieldRef('points')} '${input.points}'`, 'a whole number from -100 to 100, not 0');
  const days = input.days === undefined ? DEFAULT_DAYS : Number(input.days);
  if (!Number.isInteger(days) || days < 1 || days > 3650) throw new UsageError(say`invalid ${fieldRef('days')} '${input.days}'`, 'a whole number of days from 1 to 3650 (the window of calls/notes conditions)');
  return store.transaction(async () => {
    if ((await store.scoring.rules()).some((r) => r.name.toLowerCase() === name.toLowerCase())) {
      throw new ConflictError(`a scoring rule '${name}' exists`, { id: 'scoring.remove', name });
    }
    const id = await store.scoring.insertRule({ name, conditions: input.if!.trim(), points, days, createdBy: actor.id }, now.toISOString());
    return (await store.scoring.rules()).find((r) => r.id === id)!;
  });
}

export async function removeScoringRule(ctx: ServiceContext, name: string): Promise<ScoringRule> {
  assertRole(ctx.actor, ['admin', 'manager'], 'change scoring rules');
  return ctx.store.transaction(async () => {
    const rule = (await ctx.store.scoring.rules()).find((r) => r.name.toLowerCase() === name.trim().toLowerCase());
    if (!rule) throw new NotFoundError(`no scoring rule '${name}'`, { id: 'scoring.list' });
    await ctx.store.scoring.removeRule(rule.id);
    return rule;
  });
}

/** Recomputes the given leads (ones the actor may see), or every live lead (managers, admins). */
export async function recomputeScores(ctx: ServiceContext, ids: number[] | 'all'): Promise<{ leads: number; changed: number }> {
  if (ids === 'all') assertRole(ctx.actor, ['admin', 'manager'], 'recompute every score');
  else {
    for (const id of ids) {
      const lead = await ctx.store.leads.get(id);
      if (!lead || lead.deletedAt) throw new NotFoundError(`no lead with id ${id}`, { id: 'lead.list' });
      assertCanTouchLead(ctx.actor, lead);
    }
  }
  return rescoreMany(ctx, ids === 'all' ? await ctx.store.scoring.liveLeadIds() : ids);
}

/** The daemon's daily pass (activity windows pass with time): every live lead, in transactions of 500. */
export async function rescoreMany(ctx: { store: Store; now: Date; actor?: { id: number } }, ids: number[]): Promise<{ leads: number; changed: number }> {
  let changed = 0;
  for (let i = 0; i < ids.length; i += 500) {
    await ctx.store.transaction(async () => {
      for (const id of ids.slice(i, i + 500)) if (await rescore(ctx, id)) changed++;
    });
  }
  return { leads: ids.length, changed };
}
