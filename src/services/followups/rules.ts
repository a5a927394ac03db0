import { ConflictError, NotFoundError, UsageError } from '../../errors.js';
import type { FollowUpFields, FollowUpPriority, FollowUpRule, FollowUpType, RuleCondition } from '../../domain/followups.js';
import type { Store } from '../../store/types.js';
import { FOLLOW_UP_PRIORITIES, FOLLOW_UP_TYPES } from '../../domain/followups.js';
import { assertRole } from '../access.js';
import type { ServiceContext } from '../context.js';
import { findSource, findStage } from '../lookup.js';
import { parseDuration } from '../time/parse.js';
import { oneOf, remindersFor, resolveAssignees } from './service.js';
import { parseWhere } from './where.js';
import { formatMoney } from '../../io/format.js';
import { teamTimeZone } from '../settings/service.js';
import { ymd } from '../reports/period.js';

/** Ten years: further back than any timeline, and the cutoff date stays representable. */
export const MAX_NO_ACTIVITY_DAYS = 3650;

export const RULE_EXAMPLE = 'stage=Qualified and no-activity>14d';
const FIELDS = 'stage, source, tag (= or !=), score (= != < <= > >=), no-activity and invoice-overdue (> or >= a number of days, e.g. 14d)';

/** F4 conditions: parsed, checked against what exists (a misspelt stage is an error, not "no match"). */
export async function parseRuleWhere(store: Store, text: string): Promise<RuleCondition[]> {
  const raw = parseWhere(text, RULE_EXAMPLE);
  const out: RuleCondition[] = [];
  for (const c of raw) {
    const bad = (why: string) => new UsageError(`invalid condition '${c.field}${c.op}${c.value}': ${why}`, `conditions are over ${FIELDS}`);
    switch (c.field) {
      case 'stage':
      case 'source':
      case 'tag': {
        if (c.op !== '=' && c.op !== '!=') throw bad(`${c.field} compares with = or !=`);
        const value = c.field === 'stage' ? (await findStage(store, c.value)).name : c.field === 'source' ? (await findSource(store, c.value)).name : c.value;
        out.push({ field: c.field, op: c.op, value });
        break;
      }
      case 'score': {
        const n = Number(c.value);
        if (!Number.isInteger(n) || n < 0 || n > 100) throw bad('a score is a whole number from 0 to 100');
        out.push({ field: 'score', op: c.op as '=', value: n });
        break;
      }
      case 'no-activity': {
        if (c.op !== '>' && c.op !== '>=') throw bad('no-activity compares with > or >=, e.g. no-activity>14d');
        const m = /^(\d+)d?$/i.exec(c.value);
        if (!m || Number(m[1]) === 0 || Number(m[1]) > MAX_NO_ACTIVITY_DAYS) throw bad(`give a number of days from 1 to ${MAX_NO_ACTIVITY_DAYS}, e.g. 14d`);
        out.push({ field: 'no-activity', op: c.op, days: Number(m[1]) });
        break;
      }
      case 'invoice-overdue': {
        if (c.op !== '>' && c.op !== '>=') throw bad('invoice-overdue compares with > or >=, e.g. invoice-overdue>14d');
        const m = /^(\d+)d?$/i.exec(c.value);
        if (!m || Number(m[1]) > MAX_NO_ACTIVITY_DAYS) throw bad(`give a number of days from 0 to ${MAX_NO_ACTIVITY_DAYS}, e.g. 14d (0d: any invoice past its due day)`);
        if (out.some((o) => o.field === 'invoice-overdue')) throw bad('a rule takes invoice-overdue once');
        out.push({ field: 'invoice-overdue', op: c.op, days: Number(m[1]) });
        break;
      }
      case 'payment':
      case 'payment-status':
        throw bad('rules follow unpaid invoices with invoice-overdue, e.g. invoice-overdue>14d');
      default:
        throw bad(`unknown field '${c.field}'`);
    }
  }
  return out;
}

export interface RuleInput {
  name?: string;
  where?: string;
  title?: string;
  type?: string;
  priority?: string;
  assign?: string[];
  dueIn?: string;
  duration?: string;
}

export async function addRule(ctx: ServiceContext, input: RuleInput): Promise<FollowUpRule> {
  const { store, actor, now } = ctx;
  assertRole(actor, ['admin', 'manager'], 'add follow-up rules');
  const name = input.name?.trim();
  if (!name) throw new UsageError('a rule needs a name', { id: 'pass', field: 'name', value: '"Stale qualified"' });
  if (!input.where?.trim()) throw new UsageError('a rule needs conditions', { id: 'pass', field: 'where', value: `'${RULE_EXAMPLE}'` });
  const title = input.title?.trim();
  if (!title) throw new UsageError('a rule needs the title of the follow-ups it creates', { id: 'pass', field: 'title', value: '"Re-engage"' });
  const conditions = await parseRuleWhere(store, input.where);
  const type = oneOf<FollowUpType>(input.type ?? 'call', FOLLOW_UP_TYPES, 'type');
  const priority = oneOf<FollowUpPriority>(input.priority ?? 'medium', FOLLOW_UP_PRIORITIES, 'priority');
  const assignRaw = input.assign?.length ? input.assign : ['owner'];
  const assign = assignRaw.length === 1 && assignRaw[0]!.toLowerCase() === 'owner' ? 'owner' : await resolveAssignees(store, actor, assignRaw);
  const dueInMinutes = input.dueIn ? Math.round(parseDuration(input.dueIn, 'due-in', { allowZero: true }) / 60) : 0;
  const durationMinutes = input.duration ? Math.max(1, Math.round(parseDuration(input.duration, 'duration') / 60)) : 30;
  return store.transaction(async () => {
    if (await store.followUpRules.byName(name)) throw new ConflictError(`a rule named '${name}' exists`, { id: 'rule.name-taken' });
    const id = await store.followUpRules.insert(
      { name, where: input.where!.trim(), conditions, title, type, priority, assign, dueInMinutes, durationMinutes, createdBy: actor.id },
      now.toISOString(),
    );
    return (await store.followUpRules.list()).find((r) => r.id === id)!;
  });
}

export async function listRules(ctx: Pick<ServiceContext, 'store'>): Promise<FollowUpRule[]> {
  return ctx.store.followUpRules.list();
}

export interface RuleRunResult {
  rule: string;
  ruleId: number;
  /** Leads matching (for an invoice rule: leads with a matching invoice, each once). */
  matched: number[];
  /** Follow-ups made (for an invoice rule, one per invoice: its number and order id). */
  created: { followUpId: number | null; leadId: number; orderId?: number; invoice?: string }[];
  /** Leads (invoice rules: leads with an invoice) that had their follow-up already. */
  alreadyDone: number[];
}

/**
 * Runs advance rules: one follow-up per matching lead and rule, never two (the (rule, lead)
 * pair is unique in the store); for a rule with invoice-overdue, one per overdue invoice, never
 * two (rule, lead, invoice). With dryRun nothing is written.
 */
export async function runRules(ctx: ServiceContext, opts: { name?: string; dryRun?: boolean } = {}): Promise<RuleRunResult[]> {
  assertRole(ctx.actor, ['admin', 'manager'], 'run follow-up rules');
  return applyRules(ctx.store, ctx.now, ctx.actor.id, opts);
}

/** The daemon's pass (job followups.rules): every rule, as nobody in particular. */
export async function runRulesAsDaemon(store: Store, now: Date): Promise<RuleRunResult[]> {
  return applyRules(store, now, null, {});
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

async function applyRules(store: Store, now: Date, actorId: number | null, opts: { name?: string; dryRun?: boolean }): Promise<RuleRunResult[]> {
  const at = now.toISOString();
  // Days overdue are counted in the team's zone, as billing counts due days (orders/service.ts).
  const today = ymd(now, teamTimeZone(await store.settings.all()));
  const work = async () => {
    let rules = await store.followUpRules.list();
    if (opts.name) {
      rules = rules.filter((r) => r.name.toLowerCase() === opts.name!.trim().toLowerCase());
      if (!rules.length) throw new NotFoundError(`no rule named '${opts.name}'`, { id: 'rule.list' });
    }
    const results: RuleRunResult[] = [];
    for (const rule of rules) {
      const byInvoice = rule.conditions.some((c) => c.field === 'invoice-overdue');
      const matches: { leadId: number; orderId: number | null }[] = byInvoice
        ? await store.followUpRules.matchingInvoices(rule.conditions, at, today)
        : (await store.followUpRules.matchingLeads(rule.conditions, at, today)).map((leadId) => ({ leadId, orderId: null }));
      const result: RuleRunResult = { rule: rule.name, ruleId: rule.id, matched: [...new Set(matches.map((m) => m.leadId))], created: [], alreadyDone: [] };
      for (const { leadId, orderId } of matches) {
        if (await store.followUps.findByRule(rule.id, leadId, orderId)) {
          if (!result.alreadyDone.includes(leadId)) result.alreadyDone.push(leadId);
          continue;
        }
        const order = orderId === null ? undefined : await store.orders.get(orderId);
        const about = order ? { orderId: order.id, invoice: order.invoiceNumber! } : {};
        if (opts.dryRun) {
          result.created.push({ followUpId: null, leadId, ...about });
          continue;
        }
        let title = rule.title;
        let description = `Created by rule '${rule.name}' (${rule.where})`;
        if (order) {
          const days = Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${order.dueOn}T00:00:00Z`)) / 86_400_000);
          const what = `invoice ${order.invoiceNumber}, ${plural(days, 'day')} overdue, balance ${formatMoney(order.totalMinor - order.paidMinor, order.currency)}`;
          title = `${rule.title}: ${what}`;
          description = `${description}: ${what} (due ${order.dueOn})`;
        }
        const lead = (await store.leads.get(leadId))!;
        const owners = lead.assignees.map((a) => a.id);
        const start = new Date(now.getTime() + rule.dueInMinutes * 60_000);
        const fields: FollowUpFields = {
          leadId, title, type: rule.type, priority: rule.priority, status: 'scheduled',
          category: null, description,
          startAt: start.toISOString(), endAt: new Date(start.getTime() + rule.durationMinutes * 60_000).toISOString(),
          notifyBefore: [], channels: [],
          assigneeIds: rule.assign === 'owner' ? (owners.length ? owners : rule.createdBy ? [rule.createdBy] : []) : rule.assign,
          seriesId: null, occurrence: null, ruleId: rule.id, orderId: order?.id ?? null, createdBy: actorId, completedAt: null, cancelledAt: null,
        };
        const id = await store.followUps.insert(fields, at);
        await store.followUps.setReminders(id, remindersFor(fields));
        await store.activities.add({
          leadId, type: 'follow-up', at, userId: actorId, body: title,
          data: { followUpId: id, kind: rule.type, startAt: fields.startAt, status: 'scheduled', rule: rule.name, ...(order ? { orderId: order.id, invoice: order.invoiceNumber } : {}) },
        });
        result.created.push({ followUpId: id, leadId, ...about });
      }
      results.push(result);
    }
    return results;
  };
  return opts.dryRun ? work() : store.transaction(work);
}
