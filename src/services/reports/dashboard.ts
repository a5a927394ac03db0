import { seesAllLeads } from '../access.js';
import type { ServiceContext } from '../context.js';
import type { PipelineRow, Store } from '../../store/types.js';
import { addLocalDays, localDate } from '../time/parse.js';
import { dayPeriod, monthPeriod } from './period.js';

/** Money summed per currency: leads may carry different currencies; they are never added across. */
export interface MoneyByCurrency {
  currency: string;
  amountMinor: number;
  weightedMinor: number;
}

export interface StageFigures {
  stage: string;
  outcome: string;
  probability: number;
  count: number;
  value: MoneyByCurrency[];
}

/** Pipeline value and weighted forecast (value × stage probability) per stage and currency. */
export function pipelineFigures(rows: PipelineRow[]): { byStage: StageFigures[]; open: MoneyByCurrency[] } {
  const byStage = new Map<number, StageFigures>();
  const open = new Map<string, MoneyByCurrency>();
  for (const r of rows) {
    let s = byStage.get(r.stageId);
    if (!s) byStage.set(r.stageId, (s = { stage: r.stage, outcome: r.outcome, probability: r.probability, count: 0, value: [] }));
    if (r.currency === null || r.count === 0) continue;
    s.count += r.count;
    const weighted = Math.round((r.valueMinor * r.probability) / 100);
    s.value.push({ currency: r.currency, amountMinor: r.valueMinor, weightedMinor: weighted });
    if (r.outcome === 'open') {
      const o = open.get(r.currency) ?? { currency: r.currency, amountMinor: 0, weightedMinor: 0 };
      o.amountMinor += r.valueMinor;
      o.weightedMinor += weighted;
      open.set(r.currency, o);
    }
  }
  return { byStage: [...byStage.values()], open: [...open.values()] };
}

export const pct = (part: number, whole: number): number => (whole === 0 ? 0 : Math.round((part / whole) * 1000) / 10);

async function hotSourceIds(store: Store): Promise<{ names: string[]; ids: number[] }> {
  const names = ((await store.settings.get('dashboard.hot-sources')) ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const sources = await store.sources.list();
  const ids = sources.filter((s) => names.some((n) => n.toLowerCase() === s.name.toLowerCase())).map((s) => s.id);
  return { names, ids };
}

/** D1: every KPI, scoped to what the acting user may see. */
export async function dashboard(ctx: ServiceContext, timeZone: string) {
  const { store, actor, now } = ctx;
  const all = seesAllLeads(actor);
  const scope = all ? undefined : actor.id;
  const r = store.reports;
  const today = dayPeriod('today', now, timeZone);
  const yesterday = dayPeriod('yesterday', now, timeZone);
  const thisMonth = monthPeriod(now, timeZone, 0);
  const lastMonth = monthPeriod(now, timeZone, -1);
  const hot = await hotSourceIds(store);

  const totals = await r.contactTotals({ userId: scope, hotSourceIds: hot.ids });
  const mine = await r.contactTotals({ userId: actor.id, hotSourceIds: hot.ids });
  const [callsToday = 0, callsYesterday = 0, callsMonth = 0] = await r.callCounts({ userId: actor.id, ranges: [today, yesterday, thisMonth] });
  const myConversions = (await r.conversions({ userId: actor.id })).byUser[0]?.conversions ?? 0;
  const pipeline = pipelineFigures(await r.pipeline({ userId: scope }));

  const result = {
    generatedAt: now.toISOString(),
    timeZone,
    scope: all ? ('all' as const) : ('own' as const),
    user: actor.email,
    followUps: {
      overdue: await r.overdueFollowUps({ userId: scope, now: now.toISOString() }),
      open: sumOpen(await r.followUpsByStatus({ userId: scope })),
      today: sumAll(await r.followUpsByStatus({ userId: scope, startFrom: today.from, startTo: today.to })),
      myToday: sumAll(await r.followUpsByStatus({ userId: actor.id, startFrom: today.from, startTo: today.to })),
      myByStatus: await r.followUpsByStatus({ userId: actor.id }),
    },
    leads: {
      leads: totals.leads,
      customers: totals.customers,
      conversionRatePct: pct(totals.customers, totals.leads + totals.customers),
      newThisMonth: await r.leadsCreated({ userId: scope, ...thisMonth }),
      previousMonth: await r.leadsCreated({ userId: scope, ...lastMonth }),
      hot: totals.hot,
      hotSources: hot.names,
      notAttempted: totals.notAttempted,
      lost: totals.lost,
      mine: mine.leads,
      myConversions,
    },
    calls: { today: callsToday, yesterday: callsYesterday, thisMonth: callsMonth },
    pipeline,
    demos: {
      thisMonth: await r.demos({ userId: scope, ...thisMonth }),
      previousMonth: await r.demos({ userId: scope, ...lastMonth }),
    },
    admin: all && actor.role !== 'marketing' ? await adminSection(ctx, timeZone) : null,
  };
  return result;
}

async function adminSection(ctx: ServiceContext, timeZone: string) {
  const { store, now } = ctx;
  const totals = await store.reports.contactTotals({ hotSourceIds: [] });
  const sources = await store.reports.bySource({});
  const stages = await store.reports.pipeline({});
  const monthDays: string[] = [];
  for (let i = 0; i <= 30; i++) {
    const d = localDate(addLocalDays(now, i, timeZone), timeZone);
    monthDays.push(`${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`);
  }
  const birthdays = await store.reports.birthdays({ monthDays });
  const todayMd = monthDays[0]!;
  const order = new Map(monthDays.map((md, i) => [md, i]));
  const upcoming = birthdays
    .map((b) => ({ ...b, inDays: order.get(b.birthday.slice(-5))! }))
    .sort((a, b) => a.inDays - b.inDays || a.id - b.id);
  const stageCounts = new Map<string, number>();
  for (const s of stages) stageCounts.set(s.stage, (stageCounts.get(s.stage) ?? 0) + s.count);
  return {
    totals: { customers: totals.customers, leads: totals.leads, sources: (await store.sources.list()).length, stages: new Set(stages.map((s) => s.stageId)).size },
    sources: sources.map((s) => ({ ...s, conversionPct: pct(s.customers, s.contacts) })),
    stageDistribution: [...stageCounts].map(([stage, count]) => ({ stage, count })),
    birthdays: {
      today: upcoming.filter((b) => b.birthday.slice(-5) === todayMd),
      next30Days: upcoming.filter((b) => b.inDays > 0),
    },
  };
}

const sumOpen = (s: Record<string, number>) => (s.scheduled ?? 0) + (s.open ?? 0);
const sumAll = (s: Record<string, number>) => Object.values(s).reduce((a, b) => a + b, 0);

export type Dashboard = Awaited<ReturnType<typeof dashboard>>;
