/** The store contract: board. */
import type { BoardCardRow, BoardTotalRow } from '../../domain/board.js';
import type { LeadQuery } from '../../domain/leads.js';

/** The Kanban board (B1): aggregates per stage and pages of cards, computed by the store. */
export interface BoardRepo {
  /** Count and value sum of the leads matching query, per stage and currency. */
  totals(query: LeadQuery): Promise<BoardTotalRow[]>;
  /** A page of cards matching query, most recently updated first (query.limit/offset page it). */
  cards(query: LeadQuery & { ids?: number[]; now: string }): Promise<BoardCardRow[]>;
}
