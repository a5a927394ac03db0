/** The store contract: reports, reportSchedules. */
import type { LeadType } from '../../domain/leads.js';
import type { DemoRow, FollowUpReportRow, LeadCubeRow, NewReportSchedule, ReportSchedule } from '../../domain/reports.js';

/** Aggregates for the dashboard and reports; `userId` scopes to one user's records. */
export interface ReportsRepo {
  /** Every (non-deleted) lead grouped by stage, source, type, status, currency and furthest stage. */
  leadCube(q: { userId?: number }): Promise<LeadCubeRow[]>;
  leadsCreated(q: { userId?: number; from: string; to: string }): Promise<number>;
  leadsBy(q: { by: 'user' | 'source' | 'stage'; userId?: number; from: string; to: string }): Promise<{ key: string; leads: number; customers: number }[]>;
  birthdays(q: { userId?: number; monthDays: string[] }): Promise<{ id: number; name: string; type: LeadType; birthday: string }[]>;
  followUpsByStatus(q: { userId?: number; startFrom?: string; startTo?: string; openOnly?: boolean }): Promise<Record<'scheduled' | 'open' | 'completed' | 'cancelled', number>>;
  overdueFollowUps(q: { userId?: number; now: string }): Promise<number>;
  callCounts(q: { userId?: number; ranges: { from: string; to: string }[] }): Promise<number[]>;
  demos(q: { userId?: number; from: string; to: string }): Promise<{ scheduled: number; completed: number }>;
  demoList(q: { userId?: number; status: string; from: string; to: string; field: 'start' | 'completed' }): Promise<DemoRow[]>;
  conversions(q: { userId?: number; from?: string; to?: string; details?: boolean }): Promise<{
    byUser: { userId: number; user: string; name: string; conversions: number }[];
    details: { id: number; name: string; businessName: string | null; user: string; convertedAt: string; orderId: string | null; previousType: string }[];
  }>;
  followUpsBy(q: { by: 'user' | 'contact'; userId?: number; from?: string; to?: string; category?: string }): Promise<FollowUpReportRow[]>;
  hourly(q: { userId?: number; from: string; to: string; offsetMinutes: number }): Promise<{ hour: number; calls: number; emails: number; meetings: number; won: number; currency: string | null; revenueMinor: number }[]>;
}

export interface ReportSchedulesRepo {
  insert(s: NewReportSchedule): Promise<ReportSchedule>;
  list(): Promise<ReportSchedule[]>;
  byName(name: string): Promise<ReportSchedule | undefined>;
  remove(id: number): Promise<void>;
  /** Records a run: the slot it was for (kept when null, e.g. run-now), when, and its error. */
  recordRun(id: number, slotAt: string | null, at: string, error: string | null): Promise<void>;
}
