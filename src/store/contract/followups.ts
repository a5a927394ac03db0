/** The store contract: followUps, followUpSeries, followUpRules, reminders. */
import type { DueReminder, FollowUp, FollowUpFields, FollowUpLog, FollowUpQuery, FollowUpReminder, FollowUpRule, FollowUpSeries, RuleCondition } from '../../domain/followups.js';
import type { NotifyChannel } from '../../domain/notify.js';

export interface FollowUpsRepo {
  insert(fields: FollowUpFields, at: string): Promise<number>;
  update(id: number, patch: Partial<FollowUpFields>, at: string): Promise<void>;
  get(id: number): Promise<FollowUp | undefined>;
  list(query: FollowUpQuery): Promise<FollowUp[]>;
  /** Replaces the unsent reminders of a follow-up. */
  setReminders(id: number, reminders: { minutesBefore: number; channel: NotifyChannel; dueAt: string }[]): Promise<void>;
  reminders(id: number): Promise<FollowUpReminder[]>;
  addLog(log: { followUpId: number; type: string; at: string; subject: string | null; description: string | null; userId: number }): Promise<number>;
  logs(id: number): Promise<FollowUpLog[]>;
  /** The follow-up of a series occurrence or of a rule and lead (and invoice, for invoice rules), if made already (idempotence). */
  findOccurrence(seriesId: number, occurrence: number): Promise<number | undefined>;
  findByRule(ruleId: number, leadId: number, orderId?: number | null): Promise<number | undefined>;
  /** Merge: moves a lead's follow-ups and recurring series onto another lead. */
  moveToLead(fromLeadId: number, toLeadId: number): Promise<void>;
}

export interface FollowUpSeriesRepo {
  insert(series: Omit<FollowUpSeries, 'id' | 'createdAt'>, at: string): Promise<number>;
  list(opts?: { activeOnly?: boolean }): Promise<FollowUpSeries[]>;
  get(id: number): Promise<FollowUpSeries | undefined>;
}

export interface FollowUpRulesRepo {
  insert(rule: Omit<FollowUpRule, 'id' | 'createdAt'>, at: string): Promise<number>;
  list(): Promise<FollowUpRule[]>;
  byName(name: string): Promise<FollowUpRule | undefined>;
  /**
   * Ids of live, active leads meeting every condition; `now` anchors no-activity, `today` (the
   * team's day, YYYY-MM-DD; default now's UTC day) anchors invoice-overdue (an invoice of the lead).
   */
  matchingLeads(conditions: RuleCondition[], now: string, today?: string): Promise<number[]>;
  /**
   * For a rule with invoice-overdue: each overdue invoice (billed or partially paid, due before
   * today − N days) of a live, active lead meeting the other conditions; most overdue first. Empty
   * for a rule without invoice-overdue.
   */
  matchingInvoices(conditions: RuleCondition[], now: string, today: string): Promise<{ leadId: number; orderId: number }[]>;
}

export interface RemindersRepo {
  /** Unsent reminders due at or before `now` of follow-ups still scheduled or open, oldest first. */
  due(now: string, limit: number): Promise<DueReminder[]>;
  /** Marks a reminder handled; false if it already was (another run got it). */
  markSent(id: number, at: string): Promise<boolean>;
}
