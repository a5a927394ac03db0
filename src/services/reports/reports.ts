import { PermissionError, UsageError, fieldRef, say, type Field } from '../../errors.js';
import { minorToDecimal } from '../../io/format.js';
import type { Cell, Money } from '../../io/table-formats.js';
import { seesAllLeads } from '../access.js';
import type { ServiceContext } from '../context.js';
import { findUser } from '../lookup.js';
import { leadFigures, pct } from './cube.js';
import { ageingReport, revenueReport, unpaidReport } from '../orders/reports.js';
import { dayPeriod, periodOffset, rangePeriod, type Period } from './period.js';

/** A report is a table: named columns, rows of plain values, and the column a chart draws. */
export interface Report {
  report: string;
  title: string;
  period: { from: string; to: string; label: string } | null;
  columns: { key: string; header: string }[];
  rows: Record<string, Cell>[];
  chart?: { label: string; value: string };
}

export interface ReportOptions {
  by?: string;
  day?: string;
  from?: string;
  to?: string;
  user?: string;
  category?: string;
  details?: boolean;
  completed?: string;
  confirmed?: string;
}

function pick<T extends string>(raw: string | undefined, allowed: readonly T[], field: Field): T {
  const v = (raw ?? '').trim().toLowerCase() as T;
  if (!allowed.includes(v)) throw new UsageError(raw === undefined ? say`${fieldRef(field)} is required` : `cannot group by '${raw}'`, { id: 'use', field, value: allowed.join('|') });
  return v;
}

/** Reps see their own figures; naming another user is refused. */
async function scopeUser(ctx: ServiceContext, email: string | undefined): Promise<number | undefined> {
  const own = seesAllLeads(ctx.actor) ? undefined : ctx.actor.id;
  if (!email) return own;
  const user = await findUser(ctx.store, email);
  if (own !== undefined && user.id !== own) throw new PermissionError(`${ctx.actor.email} is a rep and may see only their own figures`, { id: 'report.own-figures' });
  return user.id;
}

const periodOut = (p: Period | undefined) => (p ? { from: p.from, to: p.to, label: p.label } : null);

export const REPORTS = ['followups', 'conversions', 'leads', 'performance', 'pipeline', 'demos', 'revenue', 'unpaid', 'ageing'] as const;
export type ReportName = (typeof REPORTS)[number];

export async function runReport(ctx: ServiceContext, name: string, o: ReportOptions, timeZone: string): Promise<Report> {
  const { store, now } = ctx;
  const r = store.reports;
  switch (name) {
    case 'followups': {
      const by = pick(o.by, ['user', 'contact'] as const, 'by');
      const period = rangePeriod(o, now, timeZone, 'all');
      const rows = await r.followUpsBy({ by, userId: await scopeUser(ctx, o.user), from: period?.from, to: period?.to, category: o.category });
      return {
        report: 'followups', title: `Follow-ups by ${by}${o.category ? ` (${o.category})` : ''}`, period: periodOut(period),
        columns: [{ key: 'key', header: by === 'user' ? 'USER' : 'CONTACT' }, ...(by === 'contact' ? [{ key: 'detail', header: 'BUSINESS' }] : []),
          { key: 'scheduled', header: 'SCHEDULED' }, { key: 'open', header: 'OPEN' }, { key: 'completed', header: 'COMPLETED' }, { key: 'cancelled', header: 'CANCELLED' }, { key: 'total', header: 'TOTAL' }],
        rows: rows.map((x) => ({ ...x })), chart: { label: 'key', value: 'total' },
      };
    }
    case 'conversions': {
      const period = rangePeriod(o, now, timeZone, 'all');
      const { byUser, details } = await r.conversions({ userId: await scopeUser(ctx, o.user), from: period?.from, to: period?.to, details: Boolean(o.details) });
      if (o.details) {
        return {
          report: 'conversions', title: 'Lead → customer conversions (details)', period: periodOut(period),
          columns: [{ key: 'id', header: 'ID' }, { key: 'name', header: 'CONTACT' }, { key: 'businessName', header: 'BUSINESS' }, { key: 'user', header: 'CONVERTED BY' }, { key: 'convertedAt', header: 'CONVERTED' }, { key: 'previousType', header: 'FROM' }, { key: 'orderId', header: 'ORDER' }],
          rows: details.map((x) => ({ ...x })),
        };
      }
      return {
        report: 'conversions', title: 'Lead → customer conversions by user', period: periodOut(period),
        columns: [{ key: 'user', header: 'USER' }, { key: 'name', header: 'NAME' }, { key: 'conversions', header: 'CONVERSIONS' }],
        rows: byUser.map(({ user, name, conversions }) => ({ user, name, conversions })), chart: { label: 'user', value: 'conversions' },
      };
    }
    case 'leads': {
      const raw = o.by === 'status' ? 'stage' : o.by;
      const by = pick(raw, ['user', 'source', 'stage'] as const, 'by');
      const period = rangePeriod(o, now, timeZone, 'today')!;
      const rows = await r.leadsBy({ by, userId: await scopeUser(ctx, o.user), from: period.from, to: period.to });
      return {
        report: 'leads', title: `Leads created by ${o.by === 'status' ? 'status' : by}`, period: periodOut(period),
        columns: [{ key: 'key', header: by.toUpperCase() }, { key: 'leads', header: 'LEADS' }, { key: 'customers', header: 'NOW CUSTOMERS' }, { key: 'conversionPct', header: 'CONVERSION %' }],
        rows: rows.map((x) => ({ ...x, conversionPct: pct(x.customers, x.leads) })), chart: { label: 'key', value: 'leads' },
      };
    }
    case 'performance': {
      const period = o.day ? dayPeriod(o.day, now, timeZone) : dayPeriod('today', now, timeZone);
      const rows = await r.hourly({ userId: await scopeUser(ctx, o.user), from: period.from, to: period.to, offsetMinutes: periodOffset(period, timeZone) });
      const hours = new Map<number, Record<string, Cell>>();
      for (const x of rows) {
        const h = hours.get(x.hour) ?? { hour: `${String(x.hour).padStart(2, '0')}:00`, calls: 0, emails: 0, meetings: 0, won: 0, revenue: [] as Money[] };
        h.calls = Number(h.calls) + x.calls;
        h.emails = Number(h.emails) + x.emails;
        h.meetings = Number(h.meetings) + x.meetings;
        h.won = Number(h.won) + x.won;
        if (x.currency && x.revenueMinor) (h.revenue as Money[]).push({ currency: x.currency, amountMinor: x.revenueMinor });
        hours.set(x.hour, h);
      }
      return {
        report: 'performance', title: 'Hourly performance', period: periodOut(period),
        columns: [{ key: 'hour', header: 'HOUR' }, { key: 'calls', header: 'CALLS' }, { key: 'emails', header: 'EMAILS' }, { key: 'meetings', header: 'MEETINGS' }, { key: 'won', header: 'DEALS WON' }, { key: 'revenue', header: 'REVENUE' }],
        rows: [...hours.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v), chart: { label: 'hour', value: 'calls' },
      };
    }
    case 'pipeline': {
      const figures = leadFigures(await r.leadCube({ userId: await scopeUser(ctx, o.user) }), await store.stages.list(), await store.sources.list());
      const money = (list: { currency: string; amountMinor: number }[]): Money[] => list.map((v) => ({ currency: v.currency, amountMinor: v.amountMinor }));
      const rows: Report['rows'] = figures.byStage.map((s) => ({
        stage: s.stage, outcome: s.outcome, probability: s.probability, count: s.count,
        value: money(s.value), weighted: money(s.value.map((v) => ({ currency: v.currency, amountMinor: v.weightedMinor }))),
        winRatePct: s.winRatePct,
      }));
      const summary = figures.closed.map(({ averageDealSizeMinor, ...c }) => ({
        ...c, averageDealSize: averageDealSizeMinor === null ? null : Number(minorToDecimal(averageDealSizeMinor, c.currency)), averageDealSizeMinor,
      }));
      return {
        report: 'pipeline', title: 'Pipeline: value, weighted forecast and win rate by stage', period: null,
        columns: [{ key: 'stage', header: 'STAGE' }, { key: 'probability', header: 'PROB %' }, { key: 'count', header: 'LEADS' }, { key: 'value', header: 'VALUE' }, { key: 'weighted', header: 'WEIGHTED' }, { key: 'winRatePct', header: 'WIN RATE %' }],
        rows, chart: { label: 'stage', value: 'count' },
        ...{ summary, stages: figures.byStage, open: figures.open },
      } as Report & { summary: typeof summary };
    }
    case 'demos': {
      if (!!o.completed === !!o.confirmed) throw new UsageError(say`give one of ${fieldRef('completed')} DAY or ${fieldRef('confirmed')} DAY`, { id: 'report.demos' });
      const period = dayPeriod((o.completed ?? o.confirmed)!, now, timeZone);
      const rows = await r.demoList({
        userId: await scopeUser(ctx, o.user), status: o.completed ? 'completed' : 'confirmed', from: period.from, to: period.to, field: o.completed ? 'completed' : 'start',
      });
      return {
        report: 'demos', title: o.completed ? 'Demos completed' : 'Demos confirmed', period: periodOut(period),
        columns: [{ key: 'id', header: 'ID' }, { key: 'lead', header: 'LEAD' }, { key: 'businessName', header: 'BUSINESS' }, { key: 'startAt', header: 'AT' }, { key: 'durationMinutes', header: 'MIN' }, { key: 'location', header: 'WHERE' }, { key: 'reps', header: 'REPS' }],
        rows: rows.map((x) => ({ ...x })),
      };
    }
    case 'revenue':
      return revenueReport(ctx, o.by, rangePeriod(o, now, timeZone, 'all'), timeZone);
    case 'unpaid':
      return unpaidReport(ctx, timeZone);
    case 'ageing':
      return ageingReport(ctx, timeZone);
    default:
      throw new UsageError(`unknown report '${name}'`, `reports are: ${REPORTS.join(', ')}`);
  }
}
