/** The store contract: outbox, inbox, optOuts, userPhones, jobs, ruleMarks. */
import type { Channel, DaemonJobRun, OptOutChannel, InboxItem, NewOutboxMessage, OutboxFailure, OutboxMessage, OutboxStatus } from '../../domain/notify.js';

export interface OutboxRepo {
  /** Inserts the messages whose key is new (a key already stored is skipped); returns how many were inserted. */
  enqueue(messages: NewOutboxMessage[], at: string): Promise<number>;
  /** Whether any message is due (a read, no lock): the daemon's once-a-second poll. */
  hasDue(now: string): Promise<boolean>;
  /**
   * Claims up to `limit` due messages (pending, failed whose retry is due, sending whose lease
   * expired), oldest due first: status → sending, attempts + 1, lease until `leaseUntil`.
   * Atomic: two handles claiming at once never get the same message.
   */
  claim(now: string, leaseUntil: string, limit: number): Promise<OutboxMessage[]>;
  /** Makes every 'sending' message due now: only for a daemon holding the store's lock (they were left by one that died). */
  recover(now: string): Promise<number>;
  /** Gives claimed messages back unattempted (the daemon is stopping): pending again, due now. */
  release(ids: number[], now: string): Promise<void>;
  /** Records these delivered messages as sent, in one statement where the backend can (PostgreSQL: one round trip for a batch of deliveries). */
  markSentMany(marks: { id: number; at: string }[]): Promise<void>;
  /**
   * Records an error (text for people) and its kind (OUTBOX_FAILURES in src/domain/notify.ts; when
   * not given, failureKindOfText(error)); `retryAt` null means dead (no more attempts).
   */
  markFailed(id: number, error: string, at: string, retryAt: string | null, failure?: OutboxFailure): Promise<void>;
  /**
   * Holds a claimed message whose channel is not configured: failed with the error, due again at
   * `retryAt`, the attempt not counted (nothing was tried), failure kind 'error'.
   */
  hold(id: number, error: string, at: string, retryAt: string): Promise<void>;
  /** Makes every failed message waiting for a retry due now (the settings changed); returns how many. */
  wakeFailed(now: string): Promise<number>;
  get(id: number): Promise<OutboxMessage | undefined>;
  byKey(key: string): Promise<OutboxMessage | undefined>;
  /**
   * Newest first. `rule`, `channel` match exactly; `since`: updated at or after it (for failed and
   * dead messages: their last failure). No `limit`: 100; null: all.
   */
  list(query: { statuses?: OutboxStatus[]; limit?: number | null; rule?: string; channel?: Channel; since?: string }): Promise<OutboxMessage[]>;
  depth(): Promise<Record<OutboxStatus, number>>;
  /** Makes a failed or dead message due now with a fresh attempt count. */
  retry(id: number, at: string): Promise<void>;
  /** Deletes sent messages older than `before`; returns how many. */
  prune(before: string): Promise<number>;
}

export interface InboxRepo {
  add(item: Omit<InboxItem, 'id' | 'readAt'>): Promise<void>;
  list(userId: number, query: { all?: boolean; limit?: number }): Promise<InboxItem[]>;
  /** Marks one item (or all with id null) read; returns how many changed. */
  markRead(userId: number, id: number | null, at: string): Promise<number>;
}

export interface OptOutsRepo {
  /**
   * `call` on a lead is its do-not-call flag. On a lead's consent channels (email, sms, whatsapp,
   * call) a change is a consent entry (consent.record, source 'by-hand', no user).
   */
  set(kind: 'user' | 'lead', refId: number, channel: OptOutChannel, optedOut: boolean, at: string): Promise<void>;
  list(kind: 'user' | 'lead', refId: number): Promise<OptOutChannel[]>;
}

export interface UserPhonesRepo {
  get(userId: number): Promise<string | undefined>;
  set(userId: number, phone: string | null): Promise<void>;
}

export interface JobsRepo {
  all(): Promise<DaemonJobRun[]>;
  get(name: string): Promise<DaemonJobRun | undefined>;
  record(name: string, at: string, status: 'ok' | 'error' | 'baseline', error?: string | null): Promise<void>;
}

export interface RuleMarksRepo {
  /** Leads created in [createdAfter, createdBefore], active and open, not attempted yet (leads.attempted_at: no call, note, stage move…, as the dashboard counts), not yet marked for this rule. */
  notAttempted(rule: string, createdAfter: string, createdBefore: string, limit: number): Promise<number[]>;
  /** Marks a lead for a rule; false if it was already marked. */
  mark(rule: string, leadId: number, at: string): Promise<boolean>;
  /** Marks anything else (a follow-up, an appointment, a day) for a rule; false if it was already marked. */
  markRef(rule: string, ref: string, at: string): Promise<boolean>;
  /** Whether markRef was done for this rule and ref. */
  isMarked(rule: string, ref: string): Promise<boolean>;
}
