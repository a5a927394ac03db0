/**
 * The store contract: how crm's records are kept, whatever the backend. What the records are
 * (the domain model) lives in src/domain/.
 */
import type { Appointment, AppointmentQuery, NewAppointment } from '../domain/appointments.js';
import type { BoardCardRow, BoardTotalRow } from '../domain/board.js';
import type { Call, CallQuery, CallSummaryRow, NewCall } from '../domain/calls.js';
import type { Campaign, CampaignRecipient, NewCampaignRecipient, Segment } from '../domain/campaigns.js';
import type { DueReminder, FollowUp, FollowUpFields, FollowUpLog, FollowUpQuery, FollowUpReminder, FollowUpRule, FollowUpSeries, RuleCondition } from '../domain/followups.js';
import type { BulkLead, ImportProgress, ImportRecord, NewImport } from '../domain/imports.js';
import type { IntakeForm, IntakeLogEntry, MailboxConfig, MailboxMessage, MailboxPoll, MarketplaceConfig, MarketplaceRun } from '../domain/intake.js';
import type { LeadDerived } from '../domain/derived.js';
import type { Activity, ContactMatch, Lead, LeadFields, LeadQuery, LeadType, NewActivity } from '../domain/leads.js';
import type { Channel, DaemonJobRun, InboxItem, NewOutboxMessage, NotifyChannel, OutboxFailure, OutboxMessage, OutboxStatus } from '../domain/notify.js';
import type { Source, Stage, Tag } from '../domain/pipeline.js';
import type { NewProposalRevision, Proposal, ProposalEvent, ProposalFile, ProposalQuery, ProposalRevision, ProposalTemplate } from '../domain/proposals.js';
import type { DemoRow, FollowUpReportRow, LeadCubeRow, NewReportSchedule, ReportSchedule } from '../domain/reports.js';
import type { LeadScoreState, RoutingGroup, RoutingRule, ScoringRule, WelcomeRule } from '../domain/routing.js';
import type { NewUser, User } from '../domain/users.js';

/**
 * The files a store keeps on this machine beside its records: the daemon's lock, log and
 * address, and the locks of imports running into it. For an SQLite store they sit beside the
 * store file (`<store>.daemon.pid`, `<store>.import-<hash>.lock`…); a server store (PostgreSQL)
 * keeps them in a local state directory named after its location. Only paths: who holds a
 * lock file is read from it (src/io/pidlock.ts), whatever the backend.
 */
export interface StoreFiles {
  /** One daemon per store: its lock (PID file), its log, the address its HTTP endpoint bound, the secrets file a service unit reads. */
  daemon(): { pid: string; log: string; http: string; env: string };
  /** The lock an import of these bytes holds while it runs (`contentHash`: the file's SHA-256, hex). */
  importLock(contentHash: string): string;
  /** Every import lock file present now, live or left by a process that died (stale). */
  importLocks(): string[];
}

/** What a backup file holds, for messages ("… with 1,234 leads"). */
export interface BackupInfo {
  file: string;
  schemaVersion: number;
  leads: number;
  users: number;
  bytes: number;
}

export interface RestoreResult {
  restored: BackupInfo;
  /** The store that was replaced, and the backup of it kept beside it (null: there was none). */
  replaced: BackupInfo | null;
  savedAs: string | null;
}

/**
 * A store handle: one connection (or pool) to the store at `location`.
 *
 * Concurrency: every operation that claims work — outbox.claim, reminders.markSent,
 * ruleMarks.mark/markRef, inboundMessages.mark, campaigns.transition, roundRobin.take,
 * mailboxes.record — is one atomic statement or a guarded conditional update on every backend,
 * so that two processes (or two pooled connections of a server) never both get the same row,
 * whatever transaction isolation they run under.
 */
export interface Store {
  readonly backend: string;
  readonly location: string;
  /** Where this store's daemon and import locks live (see StoreFiles). */
  readonly files: StoreFiles;
  /**
   * Runs fn in one write transaction. The transaction belongs to the flow (the async call chain)
   * that opened it: calls made inside fn, however deep, join it; a transaction opened meanwhile
   * by another flow of this process (an HTTP request, a job, a delivery) never joins it — it
   * waits its turn and commits or rolls back on its own.
   */
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * Changes whenever another connection or process commits to the store (not on this handle's
   * own writes): the board redraws when it does. Opaque; compare for equality only.
   */
  changeToken(): Promise<string>;
  /**
   * An online, consistent copy of the whole store in `file` (safe while others write), written
   * under a temporary name and renamed when complete; a ConflictError if `file` is the store
   * itself. A backend that cannot make one throws a StoreError saying so.
   */
  backup(file: string): Promise<BackupInfo>;
  /** Closes the connection; waits for nothing else. A second call does nothing. */
  close(): Promise<void>;

  settings: {
    get(key: string): Promise<string | undefined>;
    set(key: string, value: string | null): Promise<void>;
    all(): Promise<Record<string, string>>;
  };
  users: {
    insert(user: NewUser): Promise<User>;
    byId(id: number): Promise<User | undefined>;
    byEmail(email: string): Promise<User | undefined>;
    list(): Promise<User[]>;
    update(id: number, patch: Partial<Pick<User, 'name' | 'email' | 'role' | 'managerId' | 'active'>>): Promise<User>;
    count(): Promise<number>;
  };
  stages: {
    list(): Promise<Stage[]>;
    insert(stage: Omit<Stage, 'id'>): Promise<Stage>;
    update(id: number, patch: Partial<Omit<Stage, 'id'>>): Promise<void>;
    /** Rewrites positions to follow the order of ids. */
    reorder(ids: number[]): Promise<void>;
    remove(id: number): Promise<void>;
    countLeads(id: number): Promise<number>;
    /** Moves every lead of one stage to another (used before removing a stage). */
    moveLeads(fromId: number, toId: number): Promise<number>;
  };
  sources: {
    list(): Promise<Source[]>;
    byName(name: string): Promise<Source | undefined>;
    insert(name: string): Promise<Source>;
    rename(id: number, name: string): Promise<void>;
    remove(id: number): Promise<void>;
  };
  tags: {
    list(): Promise<Tag[]>;
    byName(name: string): Promise<Tag | undefined>;
    insert(name: string): Promise<Tag>;
    rename(id: number, name: string): Promise<void>;
    remove(id: number): Promise<void>;
  };
  leads: {
    insert(fields: LeadFields, at: string): Promise<number>;
    update(id: number, patch: Partial<LeadFields>, at: string): Promise<void>;
    fields(id: number): Promise<LeadFields | undefined>;
    get(id: number): Promise<Lead | undefined>;
    list(query: LeadQuery): Promise<Lead[]>;
    count(query: LeadQuery): Promise<number>;
    /** Stored leads sharing any of these (normalised) emails or E.164 phones. */
    matchContacts(emails: string[], phones: string[]): Promise<ContactMatch[]>;
    /** The lead's derived fields as kept (their meaning: DERIVED_FIELDS in src/domain/derived.ts). */
    derived(id: number): Promise<LeadDerived | undefined>;
  };
  activities: {
    /** Records a timeline entry; one whose type isContactAttempt (src/domain/activity.ts) marks a lead not yet attempted, at its time. */
    add(activity: NewActivity): Promise<number>;
    forLead(leadId: number, limit?: number): Promise<Activity[]>;
    /** Re-homes a lead's activities onto another lead (merge). */
    reassign(fromLeadId: number, toLeadId: number): Promise<void>;
  };
  followUps: {
    insert(fields: FollowUpFields, at: string): Promise<number>;
    update(id: number, patch: Partial<FollowUpFields>, at: string): Promise<void>;
    get(id: number): Promise<FollowUp | undefined>;
    list(query: FollowUpQuery): Promise<FollowUp[]>;
    /** Replaces the unsent reminders of a follow-up. */
    setReminders(id: number, reminders: { minutesBefore: number; channel: NotifyChannel; dueAt: string }[]): Promise<void>;
    reminders(id: number): Promise<FollowUpReminder[]>;
    addLog(log: { followUpId: number; type: string; at: string; subject: string | null; description: string | null; userId: number }): Promise<number>;
    logs(id: number): Promise<FollowUpLog[]>;
    /** The follow-up of a series occurrence or of a rule and lead, if made already (idempotence). */
    findOccurrence(seriesId: number, occurrence: number): Promise<number | undefined>;
    findByRule(ruleId: number, leadId: number): Promise<number | undefined>;
    /** Merge: moves a lead's follow-ups and recurring series onto another lead. */
    moveToLead(fromLeadId: number, toLeadId: number): Promise<void>;
  };
  followUpSeries: {
    insert(series: Omit<FollowUpSeries, 'id' | 'createdAt'>, at: string): Promise<number>;
    list(opts?: { activeOnly?: boolean }): Promise<FollowUpSeries[]>;
    get(id: number): Promise<FollowUpSeries | undefined>;
  };
  followUpRules: {
    insert(rule: Omit<FollowUpRule, 'id' | 'createdAt'>, at: string): Promise<number>;
    list(): Promise<FollowUpRule[]>;
    byName(name: string): Promise<FollowUpRule | undefined>;
    /** Ids of live, active leads meeting every condition; `now` anchors no-activity. */
    matchingLeads(conditions: RuleCondition[], now: string): Promise<number[]>;
  };
  appointments: {
    insert(a: NewAppointment, at: string): Promise<number>;
    update(id: number, patch: Partial<Pick<Appointment, 'status' | 'outcome' | 'confirmedAt' | 'completedAt' | 'cancelledAt'>>, at: string): Promise<void>;
    get(id: number): Promise<Appointment | undefined>;
    list(query: AppointmentQuery): Promise<Appointment[]>;
    /** Merge: moves a lead's appointments onto another lead. */
    moveToLead(fromLeadId: number, toLeadId: number): Promise<void>;
  };
  calls: {
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
  };
  /** Aggregates for the dashboard and reports; `userId` scopes to one user's records. */
  reports: {
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
  };
  imports: {
    create(rec: NewImport): Promise<ImportRecord>;
    get(id: number): Promise<ImportRecord | undefined>;
    /** The most recent import of a file with this content hash. */
    latestByHash(hash: string): Promise<ImportRecord | undefined>;
    list(limit?: number): Promise<ImportRecord[]>;
    progress(id: number, patch: ImportProgress): Promise<void>;
    /** leads.matchContacts for a whole batch: emails already lower-cased; one indexed lookup per value. */
    matchContacts(emailsNorm: string[], phones: string[]): Promise<ContactMatch[]>;
    /**
     * Many writes follow (a bulk import; call outside a transaction): a backend may tune its
     * connection for them, or do nothing. Durability is never traded away.
     */
    beginBulk(): Promise<void>;
    /**
     * Inserts many new leads (and their 'created' activities), and adds their counts to the
     * lead statistics in one step; call inside a transaction. Returns their ids.
     */
    insertLeads(leads: BulkLead[], at: string, userId: number): Promise<number[]>;
    /**
     * A dry run's memory of the contacts it has seen (nothing is written to the store): key →
     * owner (> 0 a stored lead's id, < 0 the n-th new row as -n - 1). Private to this handle and
     * gone when it closes; a backend keeps it where it stays small in memory whatever the file's
     * size (SQLite: a temporary table spilled to a temporary file).
     */
    recall(keys: string[]): Promise<Map<string, number>>;
    remember(entries: [string, number][]): Promise<void>;
  };
  maintenance: {
    /** Every custom field key used by any lead, sorted (export columns). */
    customKeys(): Promise<string[]>;
  };
  outbox: {
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
    markSent(id: number, at: string): Promise<void>;
    /**
     * Records an error (text for people) and its kind (OUTBOX_FAILURES in src/domain/notify.ts; when
     * not given, failureKindOfText(error)); `retryAt` null means dead (no more attempts).
     */
    markFailed(id: number, error: string, at: string, retryAt: string | null, failure?: OutboxFailure): Promise<void>;
    get(id: number): Promise<OutboxMessage | undefined>;
    byKey(key: string): Promise<OutboxMessage | undefined>;
    list(query: { statuses?: OutboxStatus[]; limit?: number }): Promise<OutboxMessage[]>;
    depth(): Promise<Record<OutboxStatus, number>>;
    /** Makes a failed or dead message due now with a fresh attempt count. */
    retry(id: number, at: string): Promise<void>;
    /** Deletes sent messages older than `before`; returns how many. */
    prune(before: string): Promise<number>;
  };
  inbox: {
    add(item: Omit<InboxItem, 'id' | 'readAt'>): Promise<void>;
    list(userId: number, query: { all?: boolean; limit?: number }): Promise<InboxItem[]>;
    /** Marks one item (or all with id null) read; returns how many changed. */
    markRead(userId: number, id: number | null, at: string): Promise<number>;
  };
  optOuts: {
    set(kind: 'user' | 'lead', refId: number, channel: Channel, optedOut: boolean, at: string): Promise<void>;
    list(kind: 'user' | 'lead', refId: number): Promise<Channel[]>;
  };
  userPhones: {
    get(userId: number): Promise<string | undefined>;
    set(userId: number, phone: string | null): Promise<void>;
  };
  jobs: {
    all(): Promise<DaemonJobRun[]>;
    get(name: string): Promise<DaemonJobRun | undefined>;
    record(name: string, at: string, status: 'ok' | 'error' | 'baseline', error?: string | null): Promise<void>;
  };
  ruleMarks: {
    /** Leads created in [createdAfter, createdBefore], active and open, not attempted yet (leads.attempted_at: no call, note, stage move…, as the dashboard counts), not yet marked for this rule. */
    notAttempted(rule: string, createdAfter: string, createdBefore: string, limit: number): Promise<number[]>;
    /** Marks a lead for a rule; false if it was already marked. */
    mark(rule: string, leadId: number, at: string): Promise<boolean>;
    /** Marks anything else (a follow-up, an appointment, a day) for a rule; false if it was already marked. */
    markRef(rule: string, ref: string, at: string): Promise<boolean>;
    /** Whether markRef was done for this rule and ref. */
    isMarked(rule: string, ref: string): Promise<boolean>;
  };
  reminders: {
    /** Unsent reminders due at or before `now` of follow-ups still scheduled or open, oldest first. */
    due(now: string, limit: number): Promise<DueReminder[]>;
    /** Marks a reminder handled; false if it already was (another run got it). */
    markSent(id: number, at: string): Promise<boolean>;
  };
  reportSchedules: {
    insert(s: NewReportSchedule): Promise<ReportSchedule>;
    list(): Promise<ReportSchedule[]>;
    byName(name: string): Promise<ReportSchedule | undefined>;
    remove(id: number): Promise<void>;
    /** Records a run: the slot it was for (kept when null, e.g. run-now), when, and its error. */
    recordRun(id: number, slotAt: string | null, at: string, error: string | null): Promise<void>;
  };
  /** The Kanban board (B1): aggregates per stage and pages of cards, computed by the store. */
  board: {
    /** Count and value sum of the leads matching query, per stage and currency. */
    totals(query: LeadQuery): Promise<BoardTotalRow[]>;
    /** A page of cards matching query, most recently updated first (query.limit/offset page it). */
    cards(query: LeadQuery & { ids?: number[]; now: string }): Promise<BoardCardRow[]>;
  };
  /** Saved lead filters (L9). */
  segments: {
    insert(segment: { name: string; where: string; createdBy: number }, at: string): Promise<number>;
    byName(name: string): Promise<Segment | undefined>;
    list(): Promise<Segment[]>;
    remove(id: number): Promise<void>;
  };
  /** Campaigns (M1). */
  campaigns: {
    insert(c: Pick<Campaign, 'name' | 'type' | 'audience' | 'tag' | 'subject' | 'body'> & { createdBy: number }, at: string): Promise<number>;
    get(id: number): Promise<Campaign | undefined>;
    list(): Promise<Campaign[]>;
    /** Changes a draft's content; false if it is no longer a draft. */
    update(id: number, c: Pick<Campaign, 'name' | 'type' | 'audience' | 'tag' | 'subject' | 'body'>): Promise<boolean>;
    /** Moves a campaign to `status` if it is in one of `from`, setting the given fields; false if it was not. */
    transition(id: number, from: Campaign['status'][], status: Campaign['status'], fields: Partial<Pick<Campaign, 'sendAt' | 'rate' | 'queuedAt' | 'sentAt' | 'cancelledAt'>> & { sentBy?: number }): Promise<boolean>;
    /** Of these leads, the ones already resolved for this campaign (a resumed send skips them). */
    resolved(campaignId: number, leadIds: number[]): Promise<Set<number>>;
    /** Records resolved recipients (existing ones are kept); call in the transaction that queues their messages. */
    addRecipients(campaignId: number, rows: NewCampaignRecipient[], at: string): Promise<void>;
    /** How many recipients were recorded, and the next sequence number (throttle position) to use. */
    nextSeq(campaignId: number): Promise<number>;
    /** Recipients with their message state, by lead id; `status` filters on it. */
    recipients(campaignId: number, q?: { status?: CampaignRecipient['status']; limit?: number }): Promise<CampaignRecipient[]>;
    /** Count of recipients per message state, and the latest time a message became final. */
    tally(campaignId: number): Promise<{ counts: Partial<Record<CampaignRecipient['status'], number>>; lastFinalAt: string | null }>;
    /** Dead-letters the campaign's messages not yet claimed (pending or waiting to retry) as failure 'cancelled'; returns how many. */
    cancelPending(campaignId: number, at: string): Promise<number>;
    /** Email addresses (lower case) whose earlier mail went dead as a bounce (failure 'bounce': a permanent SMTP 5xx answer). */
    bouncedEmails(): Promise<Set<string>>;
    /** The store's secret for signing unsubscribe links (made once, by the migration). */
    secret(): Promise<string>;
  };
  /** B2B marketplace import (C3): settings per site, runs and the inquiry ids seen. */
  marketplaces: {
    get(site: string): Promise<MarketplaceConfig | undefined>;
    put(config: MarketplaceConfig): Promise<void>;
    addRun(run: Omit<MarketplaceRun, 'id'>): Promise<number>;
    lastRun(site: string, opts?: { okOnly?: boolean }): Promise<MarketplaceRun | undefined>;
    /** Of these inquiry ids, the ones already seen (one indexed lookup each). */
    seen(site: string, inqIds: string[]): Promise<Set<string>>;
    markSeen(site: string, inqId: string, leadId: number | null, outcome: string, at: string): Promise<void>;
  };
  /** Round-robin pointers (marketplace assignment, routing groups): fair across runs and restarts. */
  roundRobin: {
    /** The pointer's value, then stores value + 1, atomically (two takers never get the same value). */
    take(name: string): Promise<number>;
    /** The pointer's value without moving it (0 when never taken): `crm routing test`. */
    peek(name: string): Promise<number>;
  };
  /** Web forms of the HTTP intake endpoint (C4). */
  intakeForms: {
    insert(form: Omit<IntakeForm, 'id' | 'tokenRotatedAt'>): Promise<IntakeForm>;
    byName(name: string): Promise<IntakeForm | undefined>;
    list(): Promise<IntakeForm[]>;
    setTokenHash(id: number, tokenHash: string, at: string): Promise<void>;
    remove(id: number): Promise<void>;
  };
  /** Every submission and webhook the intake endpoint answered: accepted, spam or refused, and why. */
  intakeLog: {
    add(entry: Omit<IntakeLogEntry, 'id'>): Promise<number>;
    /** Newest first. */
    list(query: { channel?: string; ref?: string; limit?: number }): Promise<IntakeLogEntry[]>;
  };
  /** Inbound message ids already received (Twilio's MessageSid): redeliveries store nothing. */
  inboundMessages: {
    /** Records the id; false if it was already there. */
    mark(sid: string, leadId: number | null, at: string): Promise<boolean>;
    has(sid: string): Promise<boolean>;
  };
  /** Proposal templates (P1) with their attachment files. */
  proposalTemplates: {
    insert(t: Pick<ProposalTemplate, 'name' | 'subject' | 'body' | 'cc' | 'bcc'> & { createdBy: number }, files: ProposalFile[], at: string): Promise<number>;
    get(id: number): Promise<ProposalTemplate | undefined>;
    byName(name: string): Promise<ProposalTemplate | undefined>;
    list(): Promise<ProposalTemplate[]>;
    /** The template's attachment files, with their bytes. */
    files(id: number): Promise<ProposalFile[]>;
    remove(id: number): Promise<void>;
  };
  /** Proposals and quotations (P1, P2): each revision kept, and a history of status changes. */
  proposals: {
    /** A new proposal and its revision 1. */
    insert(p: Pick<Proposal, 'leadId' | 'templateId' | 'templateName' | 'status'> & { createdBy: number }, rev: NewProposalRevision, at: string): Promise<number>;
    /** Adds the next revision and makes it the proposal's current one. */
    addRevision(id: number, rev: NewProposalRevision): Promise<number>;
    update(id: number, patch: Partial<Pick<Proposal, 'status' | 'sentAt' | 'decidedAt'>>, at: string): Promise<void>;
    /** Marks the current revision sent (and approved, when an approver is given). */
    markRevisionSent(id: number, revision: number, at: string, approvedBy?: number): Promise<void>;
    get(id: number): Promise<Proposal | undefined>;
    list(query: ProposalQuery): Promise<Proposal[]>;
    revisions(id: number): Promise<ProposalRevision[]>;
    addEvent(e: Omit<ProposalEvent, 'id' | 'user'>): Promise<void>;
    events(id: number): Promise<ProposalEvent[]>;
    /** Merge: moves a lead's proposals onto another lead. */
    moveToLead(fromLeadId: number, toLeadId: number): Promise<void>;
  };
  /** Mailbox parsing (C5): the IMAP mailbox's settings and cursor, the messages handled, the polls. */
  mailboxes: {
    get(name: string): Promise<MailboxConfig | undefined>;
    /** Inserts or updates the settings; the cursor (uidValidity, lastUid) is left as it is. */
    put(config: Omit<MailboxConfig, 'uidValidity' | 'lastUid'>): Promise<void>;
    setCursor(name: string, uidValidity: number | null, lastUid: number): Promise<void>;
    addPoll(poll: Omit<MailboxPoll, 'id'>): Promise<number>;
    lastPoll(name: string, opts?: { okOnly?: boolean }): Promise<MailboxPoll | undefined>;
    /**
     * Messages are kept per scope (user@host:port/folder, so a re-configured mailbox starts
     * afresh). Of these UIDs under this UIDVALIDITY, the ones already handled.
     */
    handled(scope: string, uidValidity: number, uids: number[]): Promise<Set<number>>;
    /** The first message handled with this Message-ID, in any scope and under any UIDVALIDITY. */
    byKey(messageKey: string): Promise<MailboxMessage | undefined>;
    /** Records a handled message (call in the transaction of its lead); a second record of the same UID is ignored. */
    record(m: MailboxMessage): Promise<void>;
    /** Handled messages not yet marked seen or moved on the server. */
    pending(scope: string): Promise<MailboxMessage[]>;
    markDone(scope: string, uidValidity: number, uids: number[]): Promise<void>;
  };
  /** Routing (L8): ordered rules to a user or a round-robin group. */
  routing: {
    rules(): Promise<RoutingRule[]>;
    /** Inserts at `position` (1-based; later rules move down), or last when null. */
    insertRule(rule: { name: string; conditions: string; userId: number | null; group: string | null; createdBy: number }, position: number | null, at: string): Promise<number>;
    /** Removes a rule; the ones after it move up. */
    removeRule(id: number): Promise<void>;
    groups(): Promise<RoutingGroup[]>;
    putGroup(name: string, userIds: number[], at: string): Promise<void>;
    removeGroup(name: string): Promise<void>;
  };
  /** Scoring (L7): rules, each lead's manual base and rule points, and its recent activity. */
  scoring: {
    rules(): Promise<ScoringRule[]>;
    insertRule(rule: { name: string; conditions: string; points: number; days: number; createdBy: number }, at: string): Promise<number>;
    removeRule(id: number): Promise<void>;
    state(leadId: number): Promise<LeadScoreState | undefined>;
    setState(leadId: number, state: LeadScoreState): Promise<void>;
    /** How many timeline entries of each type the lead has at or after `since`. */
    activityCounts(leadId: number, types: string[], since: string): Promise<Record<string, number>>;
    /** Ids of every lead not deleted (recompute --all). */
    liveLeadIds(): Promise<number[]>;
  };
  /** Welcome messages to new leads (C6). */
  welcome: {
    list(): Promise<WelcomeRule[]>;
    /** Adds or replaces the rule for (source, via, channel). */
    put(rule: Omit<WelcomeRule, 'id' | 'createdAt' | 'createdBy'> & { attachmentData: Buffer | null; createdBy: number }, at: string): Promise<number>;
    remove(id: number): Promise<void>;
    attachmentData(id: number): Promise<Buffer | undefined>;
  };
}
