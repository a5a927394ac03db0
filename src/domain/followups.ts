import type { NotifyChannel } from './notify.js';

// ---- Follow-ups, appointments, calls (F1–F5, A1, K1) ----
export const FOLLOW_UP_TYPES = ['call', 'sms', 'meeting', 'email'] as const;
export type FollowUpType = (typeof FOLLOW_UP_TYPES)[number];

export const FOLLOW_UP_PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;
export type FollowUpPriority = (typeof FOLLOW_UP_PRIORITIES)[number];

export const FOLLOW_UP_STATUSES = ['scheduled', 'open', 'completed', 'cancelled'] as const;
export type FollowUpStatus = (typeof FOLLOW_UP_STATUSES)[number];

export interface FollowUpFields {
  leadId: number;
  title: string;
  type: FollowUpType;
  priority: FollowUpPriority;
  status: FollowUpStatus;
  category: string | null;
  description: string | null;
  startAt: string;
  endAt: string;
  /** Minutes before the start at which to remind. */
  notifyBefore: number[];
  channels: NotifyChannel[];
  assigneeIds: number[];
  seriesId: number | null;
  occurrence: number | null;
  ruleId: number | null;
  /** The invoice (order id) a rule's follow-up is about (rules with invoice-overdue); null otherwise. */
  orderId?: number | null;
  createdBy: number | null;
  completedAt: string | null;
  cancelledAt: string | null;
}

export interface FollowUpReminder {
  id: number;
  followUpId: number;
  minutesBefore: number;
  channel: NotifyChannel;
  dueAt: string;
  sentAt: string | null;
}

export interface FollowUpLog {
  id: number;
  followUpId: number;
  type: string;
  at: string;
  subject: string | null;
  description: string | null;
  user: string | null;
}

export interface FollowUp extends FollowUpFields {
  id: number;
  leadName: string;
  assignees: { id: number; name: string; email: string }[];
  createdAt: string;
  updatedAt: string;
}

export interface FollowUpQuery {
  leadId?: number;
  statuses?: FollowUpStatus[];
  /** Overlapping [from, to): starts before `to` and ends at or after `from`. */
  startFrom?: string;
  startBefore?: string;
  /** Ends before this instant (overdue). */
  endBefore?: string;
  assigneeId?: number;
  /** Visibility: follow-ups assigned to this user or on a lead assigned to them. */
  visibleTo?: number;
  limit?: number;
}

export interface FollowUpSeries {
  id: number;
  leadId: number;
  everyDays: number;
  until: string | null;
  timeZone: string;
  /** The first occurrence's fields; occurrence k starts k × everyDays local days later. */
  template: Omit<FollowUpFields, 'seriesId' | 'occurrence' | 'ruleId' | 'status' | 'completedAt' | 'cancelledAt'>;
  active: boolean;
  createdAt: string;
}

/** One condition of an advance rule (F4), compiled to parameterised SQL by the store. */
export type RuleCondition =
  | { field: 'stage' | 'source' | 'tag'; op: '=' | '!='; value: string }
  | { field: 'score'; op: '=' | '!=' | '<' | '<=' | '>' | '>='; value: number }
  /** More than (or at least) this many days since the lead's last timeline entry. */
  | { field: 'no-activity'; op: '>' | '>='; days: number }
  /** An invoice of the lead billed and not fully paid, due more than (or at least) this many days ago. */
  | { field: 'invoice-overdue'; op: '>' | '>='; days: number };

/**
 * The invoice-overdue cut-off: with `>` an invoice matches when due before this day, with `>=` on
 * or before it (`today` is the team's day, notify.timezone; 14 days overdue = due on today − 14).
 */
export function overdueCutoff(today: string, c: { op: '>' | '>='; days: number }): { op: '<' | '<='; day: string } {
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - c.days);
  return { op: c.op === '>' ? '<' : '<=', day: d.toISOString().slice(0, 10) };
}

export interface FollowUpRule {
  id: number;
  name: string;
  where: string;
  conditions: RuleCondition[];
  title: string;
  type: FollowUpType;
  priority: FollowUpPriority;
  /** 'owner' (the lead's assignees) or user ids. */
  assign: 'owner' | number[];
  dueInMinutes: number;
  durationMinutes: number;
  createdBy: number | null;
  createdAt: string;
}

/** A follow-up reminder whose time has come, with what its message needs. */
export interface DueReminder extends FollowUpReminder {
  leadId: number;
  title: string;
  startAt: string;
  assigneeIds: number[];
}
