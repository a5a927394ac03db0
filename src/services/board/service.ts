import type { BoardCardRow } from '../../domain/board.js';
import type { LeadQuery } from '../../domain/leads.js';
import type { Stage, StageOutcome } from '../../domain/pipeline.js';
import type { ServiceContext } from '../context.js';
import { addNote, assignLead, buildLeadQuery, loseLead, moveLead } from '../leads/service.js';
import { sortTotals, weighted, type CurrencyTotal } from './totals.js';

/** B1: the Kanban board's data — stage columns with their aggregates and a page of cards each. */

export interface BoardFilter {
  mine?: boolean;
  user?: string;
  source?: string[];
  tag?: string;
  search?: string;
  /** Won and lost columns start expanded (with cards) instead of collapsed. */
  includeClosed?: boolean;
}

export interface BoardStage {
  id: number;
  name: string;
  position: number;
  probability: number;
  outcome: StageOutcome;
}

/** Count, value and weighted value (value × stage probability) of one currency in one column. */
export type BoardTotal = CurrencyTotal;

export interface BoardCard {
  id: number;
  stageId: number;
  name: string;
  businessName: string | null;
  valueMinor: number | null;
  currency: string;
  score: number;
  /** "RK" for Ravi Kumar; one entry per assignee. */
  initials: string[];
  assignees: string[];
  notAttempted: boolean;
  /** Start of the next scheduled or open follow-up that has not ended. */
  nextFollowUpAt: string | null;
  /** A scheduled or open follow-up has ended (missed). */
  overdueFollowUp: boolean;
}

export interface BoardColumn {
  stage: BoardStage;
  count: number;
  /** One entry per currency, largest value first: leads may carry different currencies. */
  totals: BoardTotal[];
  cards: BoardCard[];
  hasMore: boolean;
  collapsed: boolean;
}

export interface Board {
  columns: BoardColumn[];
  /** Leads on the board, all columns. */
  count: number;
}

export const DEFAULT_PAGE = 40;

/** The lead query behind the board: the same filters and visibility rules as `crm lead list`. */
export async function boardQuery(ctx: Pick<ServiceContext, 'store' | 'actor'>, f: BoardFilter): Promise<LeadQuery> {
  const q = await buildLeadQuery(ctx, { mine: f.mine, user: f.user, source: f.source, tag: f.tag, search: f.search, status: 'active' });
  delete q.limit;
  delete q.offset;
  delete q.sort;
  return q;
}

export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return '?';
  const first = [...words[0]!][0] ?? '';
  const last = words.length > 1 ? ([...words[words.length - 1]!][0] ?? '') : '';
  return (first + last).toUpperCase();
}

export function toCard(r: BoardCardRow): BoardCard {
  return {
    id: r.id,
    stageId: r.stageId,
    name: r.name,
    businessName: r.businessName,
    valueMinor: r.valueMinor,
    currency: r.currency,
    score: r.score,
    initials: r.assignees.map((a) => initials(a.name)),
    assignees: r.assignees.map((a) => a.email),
    notAttempted: r.notAttempted,
    nextFollowUpAt: r.nextFollowUpAt,
    overdueFollowUp: r.overdueFollowUp,
  };
}

/**
 * Loads the board: aggregates for every stage in one grouped query, then up to `page` cards
 * (or `loaded[stageId]`, to keep what a reload already showed) for each expanded column.
 */
export async function loadBoard(
  ctx: Pick<ServiceContext, 'store' | 'actor' | 'now'>,
  filter: BoardFilter,
  opts: { page?: number; loaded?: Record<number, number>; expanded?: number[] } = {},
): Promise<Board> {
  const { store } = ctx;
  const q = await boardQuery(ctx, filter);
  const stages = await store.stages.list();
  const rows = await store.board.totals(q);
  const page = opts.page ?? DEFAULT_PAGE;
  const columns: BoardColumn[] = [];
  for (const stage of orderStages(stages)) {
    const mine = rows.filter((r) => r.stageId === stage.id);
    const count = mine.reduce((n, r) => n + r.count, 0);
    const totals = sortTotals(mine.map((r) => ({ currency: r.currency, count: r.count, valueMinor: r.valueMinor, weightedMinor: weighted(r.valueMinor, stage.probability) })));
    const collapsed = stage.outcome !== 'open' && !filter.includeClosed && !opts.expanded?.includes(stage.id);
    let cards: BoardCard[] = [];
    if (!collapsed && count > 0) {
      const limit = Math.max(page, opts.loaded?.[stage.id] ?? 0);
      cards = (await store.board.cards({ ...q, stageIds: [stage.id], limit, now: ctx.now.toISOString() })).map(toCard);
    }
    columns.push({ stage: { id: stage.id, name: stage.name, position: stage.position, probability: stage.probability, outcome: stage.outcome }, count, totals, cards, hasMore: cards.length < count && !collapsed, collapsed });
  }
  return { columns, count: columns.reduce((n, c) => n + c.count, 0) };
}

/** Open stages in pipeline order, then won, then lost (closed columns sit last). */
function orderStages(stages: Stage[]): Stage[] {
  const rank = (s: Stage) => (s.outcome === 'open' ? 0 : s.outcome === 'won' ? 1 : 2);
  return [...stages].sort((a, b) => rank(a) - rank(b) || a.position - b.position || a.id - b.id);
}

/** The next page of one column's cards. */
export async function loadColumnCards(
  ctx: Pick<ServiceContext, 'store' | 'actor' | 'now'>,
  filter: BoardFilter,
  stageId: number,
  offset: number,
  limit = DEFAULT_PAGE,
): Promise<{ cards: BoardCard[]; hasMore: boolean }> {
  const q = await boardQuery(ctx, filter);
  const rows = await ctx.store.board.cards({ ...q, stageIds: [stageId], limit: limit + 1, offset, now: ctx.now.toISOString() });
  return { cards: rows.slice(0, limit).map(toCard), hasMore: rows.length > limit };
}

/** One lead as a card, whatever the board's filter (after a change made from the board). */
export async function cardOf(ctx: Pick<ServiceContext, 'store' | 'now'>, id: number): Promise<BoardCard> {
  const [row] = await ctx.store.board.cards({ ids: [id], deleted: 'include', now: ctx.now.toISOString() });
  return toCard(row!);
}

/** The board's writes go through the leads service, as `crm lead move|lose|assign|note` do. */
export async function moveCard(ctx: ServiceContext, id: number, stage: string): Promise<BoardCard> {
  await moveLead(ctx, id, stage);
  return cardOf(ctx, id);
}

export async function loseCard(ctx: ServiceContext, id: number, reason: string, stage?: string): Promise<BoardCard> {
  await loseLead(ctx, id, reason, stage);
  return cardOf(ctx, id);
}

export async function reassignCard(ctx: ServiceContext, id: number, email: string): Promise<BoardCard> {
  await assignLead(ctx, id, { to: [email] });
  return cardOf(ctx, id);
}

export async function noteCard(ctx: ServiceContext, id: number, text: string): Promise<BoardCard> {
  await addNote(ctx, id, text);
  return cardOf(ctx, id);
}

export async function boardVersion(ctx: Pick<ServiceContext, 'store'>): Promise<string> {
  return ctx.store.changeToken();
}
