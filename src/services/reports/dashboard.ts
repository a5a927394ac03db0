import { seesAllLeads } from '../access.js';
import type { ServiceContext } from '../context.js';
import { addLocalDays, localDate } from '../time/parse.js';
import { leadFigures, pct } from './cube.js';
import { dayPeriod, monthPeriod } from './period.js';

export { pct };

/** D1: every KPI, scoped to what the acting user may see (reps: their own records). */
export async function dashboard(ctx: ServiceContext, timeZone: string) {
  const { store, actor, now } = ctx;
  const all = seesAllLeads(actor);
  const scope = all ? undefined : actor.id;
  const r = store.reports;
  const today = dayPeriod('today', now, timeZone);
  const yesterday = dayPeriod('yesterday', now, timeZone);
  const thisMonth = monthPeriod(now, timeZone, 0);
  const lastMonth = monthPeriod(now, timeZone, -1);
  const hotSources = ((await store.settings.get('dashboard.hot-sources')) ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const stages = await store.stages.list();
  const sources = await store.sources.list();

  const figures = leadFigures(await r.leadCube({ userId: scope }), stages, sources, hotSources);
  // A rep's scope is already their own leads; for everyone else "mine" is a second, small pass.
  const mine = scope === actor.id ? figures.totals : leadFigures(await r.leadCube({ userId: actor.id }), stages, sources).totals;
  const [callsToday = 0, callsYesterday = 0, callsMonth = 0] = await r.callCounts({ userId: actor.id, ranges: [today, yesterday, thisMonth] });
  const myConversions = (await r.conversions({ userId: actor.id, details: false })).byUser[0]?.conversions ?? 0;
  const t = figures.totals;

  return {
    generatedAt: now.toISOString(),
    timeZone,
    scope: all ? ('all' as const) : ('own' as const),
    user: actor.email,
    followUps: {
      overdue: await r.overdueFollowUps({ userId: scope, now: now.toISOString() }),
      open: sumOpen(await r.followUpsByStatus({ userId: scope, openOnly: true })),
      today: sumAll(await r.followUpsByStatus({ userId: scope, startFrom: today.from, startTo: today.to })),
      myToday: sumAll(await r.followUpsByStatus({ userId: actor.id, startFrom: today.from, startTo: today.to })),
      myByStatus: await r.followUpsByStatus({ userId: actor.id }),
    },
    leads: {
      leads: t.leads,
      customers: t.customers,
      conversionRatePct: pct(t.customers, t.leads + t.customers),
      newThisMonth: await r.leadsCreated({ userId: scope, ...thisMonth }),
      previousMonth: await r.leadsCreated({ userId: scope, ...lastMonth }),
      hot: t.hot,
      hotSources,
      notAttempted: t.notAttempted,
      lost: t.lost,
      mine: mine.leads,
      myConversions,
    },
    calls: { today: callsToday, yesterday: callsYesterday, thisMonth: callsMonth },
    pipeline: { byStage: figures.byStage.map(({ winRatePct: _w, reachedClosed: _r, ...s }) => s), open: figures.open },
    demos: {
      thisMonth: await r.demos({ userId: scope, ...thisMonth }),
      previousMonth: await r.demos({ userId: scope, ...lastMonth }),
    },
    admin: all && actor.role !== 'marketing'
      ? {
          totals: { customers: t.customers, leads: t.leads, sources: sources.length, stages: stages.length },
          sources: figures.bySource,
          stageDistribution: figures.byStage.map((s) => ({ stage: s.stage, count: s.count })),
          birthdays: await birthdays(ctx, timeZone),
        }
      : null,
  };
}

/** Birthdays of active contacts today and in the next 30 days (year ignored). */
async function birthdays(ctx: ServiceContext, timeZone: string) {
  const monthDays: string[] = [];
  for (let i = 0; i <= 30; i++) {
    const d = localDate(addLocalDays(ctx.now, i, timeZone), timeZone);
    monthDays.push(`${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`);
  }
  const order = new Map(monthDays.map((md, i) => [md, i]));
  const found = (await ctx.store.reports.birthdays({ monthDays }))
    .map((b) => ({ ...b, inDays: order.get(b.birthday.slice(-5))! }))
    .sort((a, b) => a.inDays - b.inDays || a.id - b.id);
  return { today: found.filter((b) => b.inDays === 0), next30Days: found.filter((b) => b.inDays > 0) };
}

const sumOpen = (s: Record<string, number>) => (s.scheduled ?? 0) + (s.open ?? 0);
const sumAll = (s: Record<string, number>) => Object.values(s).reduce((a, b) => a + b, 0);

export type Dashboard = Awaited<ReturnType<typeof dashboard>>;
