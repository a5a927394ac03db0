/** The store contract: routing, scoring, welcome. */
import type { LeadScoreState, RoutingGroup, RoutingRule, ScoringRule, WelcomeRule } from '../../domain/routing.js';

/** Routing (L8): ordered rules to a user or a round-robin group. */
export interface RoutingRepo {
  rules(): Promise<RoutingRule[]>;
  /** Inserts at `position` (1-based; later rules move down), or last when null. */
  insertRule(rule: { name: string; conditions: string; userId: number | null; group: string | null; createdBy: number }, position: number | null, at: string): Promise<number>;
  /** Removes a rule; the ones after it move up. */
  removeRule(id: number): Promise<void>;
  groups(): Promise<RoutingGroup[]>;
  putGroup(name: string, userIds: number[], at: string): Promise<void>;
  removeGroup(name: string): Promise<void>;
}

/** Scoring (L7): rules, each lead's manual base and rule points, and its recent activity. */
export interface ScoringRepo {
  rules(): Promise<ScoringRule[]>;
  insertRule(rule: { name: string; conditions: string; points: number; days: number; createdBy: number }, at: string): Promise<number>;
  removeRule(id: number): Promise<void>;
  state(leadId: number): Promise<LeadScoreState | undefined>;
  setState(leadId: number, state: LeadScoreState): Promise<void>;
  /** How many timeline entries of each type the lead has at or after `since`. */
  activityCounts(leadId: number, types: string[], since: string): Promise<Record<string, number>>;
  /** Ids of every lead not deleted (recompute --all). */
  liveLeadIds(): Promise<number[]>;
}

/** Welcome messages to new leads (C6). */
export interface WelcomeRepo {
  list(): Promise<WelcomeRule[]>;
  /** Adds or replaces the rule for (source, via, channel). */
  put(rule: Omit<WelcomeRule, 'id' | 'createdAt' | 'createdBy'> & { attachmentData: Buffer | null; createdBy: number }, at: string): Promise<number>;
  remove(id: number): Promise<void>;
  attachmentData(id: number): Promise<Buffer | undefined>;
}
