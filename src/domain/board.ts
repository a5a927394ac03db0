import type { LeadType } from './leads.js';

// ---- Kanban board (B1) ----
export interface BoardTotalRow {
  stageId: number;
  currency: string;
  count: number;
  /** Sum of the values in minor units (leads without a value count as 0). */
  valueMinor: number;
}

/** What a board card shows: a lead reduced to its card. */
export interface BoardCardRow {
  id: number;
  type: LeadType;
  name: string;
  businessName: string | null;
  stageId: number;
  valueMinor: number | null;
  currency: string;
  score: number;
  assignees: { id: number; name: string; email: string }[];
  /** Not attempted yet: leads.attempted_at is empty (the dashboard's definition). */
  notAttempted: boolean;
  /** Start of the first scheduled or open follow-up that has not ended yet. */
  nextFollowUpAt: string | null;
  /** A scheduled or open follow-up that has ended: missed. */
  overdueFollowUp: boolean;
  updatedAt: string;
}
