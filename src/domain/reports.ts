import type { LeadStatus, LeadType } from './leads.js';

export const SCHEDULE_FORMATS = ['csv', 'json', 'table'] as const;
export type ScheduleFormat = (typeof SCHEDULE_FORMATS)[number];

/** A stored report definition the daemon runs on a cron schedule and emails (R2). */
export interface ReportSchedule {
  id: number;
  name: string;
  report: string;
  /** The report's own options (by, day, from, to, user, category, details, completed, confirmed). */
  options: Record<string, string | boolean>;
  cron: string;
  /** IANA zone of the cron and of the report's days (null: notify.timezone, else the system's). */
  timeZone: string | null;
  /** 'managers', 'admins' or email addresses. */
  recipients: string[];
  format: ScheduleFormat;
  createdBy: number;
  createdAt: string;
  /** The cron slot it last ran for (null: never ran; slots after createdAt are due). */
  lastSlotAt: string | null;
  lastRunAt: string | null;
  lastError: string | null;
}

export type NewReportSchedule = Omit<ReportSchedule, 'id' | 'lastSlotAt' | 'lastRunAt' | 'lastError'>;

export interface LeadCubeRow {
  stageId: number;
  sourceId: number | null;
  type: LeadType;
  status: LeadStatus;
  currency: string;
  /** The furthest open stage reached (null: never moved); DERIVED_FIELDS.furthestStageId in ./derived.ts. */
  furthestStageId: number | null;
  count: number;
  /** How many have a deal value. */
  valued: number;
  valueMinor: number;
  notAttempted: number;
  converted: number;
  /** Sum over converted leads of days from creation to conversion. */
  cycleDays: number;
}

export interface DemoRow {
  id: number;
  leadId: number;
  lead: string;
  businessName: string | null;
  status: string;
  startAt: string;
  durationMinutes: number;
  location: string | null;
  reps: string | null;
}

export interface FollowUpReportRow {
  key: string;
  detail: string | null;
  scheduled: number;
  open: number;
  completed: number;
  cancelled: number;
  total: number;
}
