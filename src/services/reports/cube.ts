import type { Source, Stage } from '../../domain/pipeline.js';
import type { LeadCubeRow } from '../../domain/reports.js';

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
  /** Of the closed deals that had reached this (open) stage, the share won; null when none. */
  winRatePct: number | null;
  reachedClosed: number;
}

export const pct = (part: number, whole: number): number => (whole === 0 ? 0 : Math.round((part / whole) * 1000) / 10);

/**
 * Every lead figure of the dashboard and the pipeline report, from one grouped pass over
 * the leads (store.reports.leadCube). Only active (not junk or archived) leads count.
 */
export function leadFigures(rows: LeadCubeRow[], stages: Stage[], sources: Source[], hotSourceNames: string[] = []) {
  const stageById = new Map(stages.map((s) => [s.id, s]));
  const hot = new Set(sources.filter((s) => hotSourceNames.some((n) => n.toLowerCase() === s.name.toLowerCase())).map((s) => s.id));
  const totals = { leads: 0, customers: 0, lost: 0, hot: 0, junk: 0, notAttempted: 0 };
  const byStage = new Map<number, StageFigures>(
    stages.map((s) => [s.id, { stage: s.name, outcome: s.outcome, probability: s.probability, count: 0, value: [], winRatePct: null, reachedClosed: 0 }]),
  );
  const open = new Map<string, MoneyByCurrency>();
  const bySource = new Map<string, { source: string; contacts: number; customers: number }>();
  const closed = new Map<string, { currency: string; won: number; lost: number; wonValue: number; wonValued: number; converted: number; cycleDays: number }>();
  // furthest open stage position reached → closed deals [won, lost]
  const reached = new Map<number, { won: number; lost: number }>();

  for (const r of rows) {
    if (r.status === 'junk') totals.junk += r.count;
    if (r.status !== 'active') continue;
    const stage = stageById.get(r.stageId)!;
    if (r.type === 'customer') totals.customers += r.count;
    else {
      totals.leads += r.count;
      if (stage.outcome === 'lost') totals.lost += r.count;
      if (stage.outcome === 'open') {
        totals.notAttempted += r.notAttempted;
        if (r.sourceId !== null && hot.has(r.sourceId)) totals.hot += r.count;
      }
    }
    const fig = byStage.get(r.stageId)!;
    fig.count += r.count;
    if (r.valued > 0) {
      const weighted = Math.round((r.valueMinor * stage.probability) / 100);
      const v = fig.value.find((x) => x.currency === r.currency);
      if (v) {
        v.amountMinor += r.valueMinor;
        v.weightedMinor += weighted;
      } else fig.value.push({ currency: r.currency, amountMinor: r.valueMinor, weightedMinor: weighted });
      if (stage.outcome === 'open') {
        const o = open.get(r.currency) ?? { currency: r.currency, amountMinor: 0, weightedMinor: 0 };
        o.amountMinor += r.valueMinor;
        o.weightedMinor += weighted;
        open.set(r.currency, o);
      }
    }
    const sourceName = sources.find((s) => s.id === r.sourceId)?.name ?? '(none)';
    const src = bySource.get(sourceName) ?? { source: sourceName, contacts: 0, customers: 0 };
    src.contacts += r.count;
    if (r.type === 'customer') src.customers += r.count;
    bySource.set(sourceName, src);
    const c = closed.get(r.currency) ?? { currency: r.currency, won: 0, lost: 0, wonValue: 0, wonValued: 0, converted: 0, cycleDays: 0 };
    c.converted += r.converted;
    c.cycleDays += r.cycleDays;
    if (stage.outcome !== 'open') {
      if (stage.outcome === 'won') {
        c.won += r.count;
        c.wonValue += r.valueMinor;
        c.wonValued += r.valued;
      } else c.lost += r.count;
      const furthest = r.furthestStageId === null ? undefined : stageById.get(r.furthestStageId);
      if (furthest) {
        const x = reached.get(furthest.position) ?? { won: 0, lost: 0 };
        x[stage.outcome === 'won' ? 'won' : 'lost'] += r.count;
        reached.set(furthest.position, x);
      }
    }
    closed.set(r.currency, c);
  }
  // A deal that reached a later stage also passed the earlier ones.
  for (const s of stages) {
    if (s.outcome !== 'open') continue;
    let won = 0;
    let lost = 0;
    for (const [position, x] of reached) {
      if (position >= s.position) {
        won += x.won;
        lost += x.lost;
      }
    }
    const fig = byStage.get(s.id)!;
    fig.reachedClosed = won + lost;
    fig.winRatePct = won + lost === 0 ? null : pct(won, won + lost);
  }
  return {
    totals,
    byStage: [...byStage.values()],
    open: [...open.values()].sort((a, b) => a.currency.localeCompare(b.currency)),
    bySource: [...bySource.values()].sort((a, b) => b.contacts - a.contacts || a.source.localeCompare(b.source)).map((s) => ({ ...s, conversionPct: pct(s.customers, s.contacts) })),
    closed: [...closed.values()].sort((a, b) => a.currency.localeCompare(b.currency)).map((c) => ({
      currency: c.currency,
      won: c.won,
      lost: c.lost,
      winRatePct: pct(c.won, c.won + c.lost),
      averageDealSizeMinor: c.wonValued === 0 ? null : Math.round(c.wonValue / c.wonValued),
      salesCycleDays: c.converted === 0 ? null : Math.round((c.cycleDays / c.converted) * 10) / 10,
    })),
  };
}
