/** The store contract: calls. */
import type { Call, CallQuery, CallSummaryRow, NewCall } from '../../domain/calls.js';

export interface CallsRepo {
  /** Records a call; it marks a lead not yet attempted, at the call's start. */
  insert(call: NewCall, at: string): Promise<number>;
  get(id: number): Promise<Call | undefined>;
  list(query: CallQuery): Promise<Call[]>;
  /** Deletes calls and their timeline entries; returns the ids removed. */
  delete(ids: number[]): Promise<number[]>;
  /** Per-user counts with the day and month boundaries given as UTC instants. */
  summary(bounds: { todayStart: string; tomorrowStart: string; yesterdayStart: string; monthStart: string }, visibleTo?: number): Promise<CallSummaryRow[]>;
  /** Merge: moves a lead's calls onto another lead. */
  moveToLead(fromLeadId: number, toLeadId: number): Promise<void>;
}
