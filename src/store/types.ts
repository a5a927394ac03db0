/**
 * The store contract. Services see only this interface; each backend (SQLite today,
 * lowdb and PostgreSQL later) implements it under src/store/<backend>/.
 * Every timestamp is a UTC ISO-8601 string; money is an integer in minor units.
 */

export const ROLES = ['admin', 'manager', 'rep', 'marketing'] as const;
export type Role = (typeof ROLES)[number];

export interface User {
  id: number;
  name: string;
  email: string;
  role: Role;
  managerId: number | null;
  active: boolean;
  createdAt: string;
}
export type NewUser = Omit<User, 'id' | 'createdAt' | 'active'> & { active?: boolean; createdAt: string };

export const STAGE_OUTCOMES = ['open', 'won', 'lost'] as const;
export type StageOutcome = (typeof STAGE_OUTCOMES)[number];

export interface Stage {
  id: number;
  name: string;
  position: number;
  probability: number;
  outcome: StageOutcome;
}

export interface Source {
  id: number;
  name: string;
  leads: number;
}

export interface Tag {
  id: number;
  name: string;
  leads: number;
}

export const LEAD_TYPES = ['lead', 'customer'] as const;
export type LeadType = (typeof LEAD_TYPES)[number];
export const LEAD_KINDS = ['person', 'company'] as const;
export type LeadKind = (typeof LEAD_KINDS)[number];
export const LEAD_STATUSES = ['active', 'junk', 'archived'] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

/** The fields of a lead as written: references by id, lists as given. */
export interface LeadFields {
  type: LeadType;
  kind: LeadKind;
  name: string;
  businessName: string | null;
  emails: string[];
  phones: string[];
  sourceId: number | null;
  stageId: number;
  score: number;
  valueMinor: number | null;
  currency: string;
  expectedClose: string | null;
  assigneeIds: number[];
  tags: string[];
  birthday: string | null;
  address: string | null;
  custom: Record<string, string>;
  status: LeadStatus;
  lostReason: string | null;
  orderId: string | null;
  convertedAt: string | null;
  convertedBy: number | null;
  createdBy: number | null;
  mergedInto: number | null;
  deletedAt: string | null;
}

/** A lead as read: references resolved to names. */
export interface Lead {
  id: number;
  type: LeadType;
  kind: LeadKind;
  name: string;
  businessName: string | null;
  emails: string[];
  phones: string[];
  source: string | null;
  stage: string;
  stageOutcome: StageOutcome;
  stageProbability: number;
  score: number;
  valueMinor: number | null;
  currency: string;
  expectedClose: string | null;
  assignees: { id: number; name: string; email: string }[];
  tags: string[];
  birthday: string | null;
  address: string | null;
  custom: Record<string, string>;
  status: LeadStatus;
  lostReason: string | null;
  orderId: string | null;
  convertedAt: string | null;
  createdBy: string | null;
  mergedInto: number | null;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}

export const LEAD_SORT_KEYS = ['id', 'name', 'score', 'value', 'created', 'updated', 'expected-close', 'stage'] as const;
export type LeadSortKey = (typeof LEAD_SORT_KEYS)[number];

export interface LeadQuery {
  type?: LeadType;
  stageIds?: number[];
  sourceIds?: number[];
  tag?: string;
  assigneeId?: number;
  /** Visibility: only leads assigned to this user. */
  visibleTo?: number;
  statuses?: LeadStatus[];
  deleted?: 'exclude' | 'only' | 'include';
  search?: string;
  minScore?: number;
  maxScore?: number;
  sort?: { key: LeadSortKey; desc: boolean };
  limit?: number;
  offset?: number;
  /** Keyset paging (exports): only ids greater than this; pair with sort by id ascending. */
  afterId?: number;
  /** A parsed and resolved --where / segment filter (L9); compiled to parameterised SQL. */
  filter?: LeadFilterNode;
}

/** Segment filter fields with resolved values: stage/source ids, assigned user id, value in minor units, created as YYYY-MM-DD. */
export type LeadFilterField = 'stage' | 'source' | 'tag' | 'score' | 'value' | 'status' | 'type' | 'assigned' | 'created';
export type LeadFilterNode =
  | { kind: 'cmp'; field: LeadFilterField; op: '=' | '!=' | '<' | '<=' | '>' | '>='; value: string | number }
  | { kind: 'in'; field: LeadFilterField; not: boolean; values: (string | number)[] }
  | { kind: 'and' | 'or'; left: LeadFilterNode; right: LeadFilterNode };

export const CAMPAIGN_TYPES = ['email', 'sms', 'whatsapp'] as const;
export type CampaignType = (typeof CAMPAIGN_TYPES)[number];
/** A campaign (M1); a draft until sent. `audience`: leads | customers | all | segment:NAME. */
export interface Campaign {
  id: number;
  name: string;
  type: CampaignType;
  audience: string;
  tag: string | null;
  subject: string | null;
  body: string;
  status: CampaignStatus;
  createdBy: string | null;
  createdAt: string;
  /** When its last message became final (sent, failed for good or cancelled): the send date. */
  sentAt: string | null;
  /** When its first message is due (scheduled or started); null for a draft. */
  sendAt: string | null;
  /** Throttle in messages per second; null: as fast as the daemon delivers. */
  rate: number | null;
  /** When every recipient was resolved and queued; null while a send is under way (or was interrupted). */
  queuedAt: string | null;
  cancelledAt: string | null;
}
export const CAMPAIGN_STATUSES = ['draft', 'sending', 'scheduled', 'sent', 'cancelled'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];
/** Why a resolved recipient got no message. */
export type CampaignSkip = 'opted-out' | 'bounced' | 'no-address';
/** One resolved recipient of a campaign: queued (with its outbox key) or skipped. */
export interface NewCampaignRecipient {
  leadId: number;
  seq: number;
  status: 'queued' | CampaignSkip;
  address: string | null;
  outboxKey: string | null;
}
/** A recipient with the state of its message: the outbox row's status, 'cancelled', or the skip reason. */
export interface CampaignRecipient {
  leadId: number;
  name: string;
  address: string | null;
  status: 'pending' | 'sending' | 'sent' | 'failed' | 'dead' | 'cancelled' | CampaignSkip;
  attempts: number;
  error: string | null;
  sentAt: string | null;
}

/** A saved filter (L9). */
export interface Segment {
  id: number;
  name: string;
  where: string;
  createdBy: string | null;
  createdAt: string;
}

/** A stored lead that shares an email or phone with incoming data. */
export interface ContactMatch {
  id: number;
  status: LeadStatus;
  stageOutcome: StageOutcome;
  deleted: boolean;
  on: 'email' | 'phone';
  value: string;
}

export interface Activity {
  id: number;
  leadId: number;
  type: string;
  at: string;
  userId: number | null;
  user: string | null;
  body: string | null;
  data: Record<string, unknown>;
}
export type NewActivity = Omit<Activity, 'id' | 'user' | 'data' | 'body'> & {
  body?: string | null;
  data?: Record<string, unknown>;
};


// ---- Follow-ups, appointments, calls (F1–F5, A1, K1) ----

export const FOLLOW_UP_TYPES = ['call', 'sms', 'meeting', 'email'] as const;
export type FollowUpType = (typeof FOLLOW_UP_TYPES)[number];
export const FOLLOW_UP_PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;
export type FollowUpPriority = (typeof FOLLOW_UP_PRIORITIES)[number];
export const FOLLOW_UP_STATUSES = ['scheduled', 'open', 'completed', 'cancelled'] as const;
export type FollowUpStatus = (typeof FOLLOW_UP_STATUSES)[number];
export const NOTIFY_CHANNELS = ['email', 'sms', 'whatsapp', 'inbox'] as const;
export type NotifyChannel = (typeof NOTIFY_CHANNELS)[number];

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
  | { field: 'no-activity'; op: '>' | '>='; days: number };

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

export const APPOINTMENT_KINDS = ['demo', 'meeting'] as const;
export type AppointmentKind = (typeof APPOINTMENT_KINDS)[number];
export const APPOINTMENT_STATUSES = ['scheduled', 'confirmed', 'completed', 'cancelled', 'no-show'] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

export interface Appointment {
  id: number;
  leadId: number;
  leadName: string;
  kind: AppointmentKind;
  status: AppointmentStatus;
  startAt: string;
  endAt: string;
  durationMinutes: number;
  location: string | null;
  /** Emails of the people attending on our side (users) or the client's. */
  participants: { email: string; userId: number | null }[];
  outcome: string | null;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  confirmedAt: string | null;
  completedAt: string | null;
  cancelledAt: string | null;
}
export type NewAppointment = Omit<Appointment, 'id' | 'leadName' | 'createdBy' | 'createdAt' | 'updatedAt' | 'confirmedAt' | 'completedAt' | 'cancelledAt' | 'outcome' | 'status'> & { createdBy: number };

export interface AppointmentQuery {
  leadId?: number;
  statuses?: AppointmentStatus[];
  startFrom?: string;
  startBefore?: string;
  visibleTo?: number;
  limit?: number;
}

export const CALL_DIRECTIONS = ['in', 'out'] as const;
export type CallDirection = (typeof CALL_DIRECTIONS)[number];
export const CALL_OUTCOMES = ['connected', 'rnr', 'call-back', 'busy', 'voicemail', 'wrong-number'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

export interface Call {
  id: number;
  leadId: number;
  leadName: string;
  userId: number;
  user: string;
  direction: CallDirection;
  outcome: CallOutcome;
  number: string | null;
  startAt: string;
  endAt: string;
  durationSeconds: number;
  recordingUrl: string | null;
  note: string | null;
  followUpId: number | null;
  createdAt: string;
}
export type NewCall = Omit<Call, 'id' | 'leadName' | 'user' | 'createdAt'>;

export interface CallQuery {
  ids?: number[];
  leadId?: number;
  userId?: number;
  outcomes?: CallOutcome[];
  directions?: CallDirection[];
  from?: string;
  to?: string;
  /** Visibility: calls made by this user or on a lead assigned to them. */
  visibleTo?: number;
  limit?: number;
}

export interface CallSummaryRow {
  userId: number;
  user: string;
  name: string;
  today: number;
  yesterday: number;
  thisMonth: number;
  all: number;
  /** Seconds talked, all time. */
  talkSeconds: number;
}

export const IMPORT_STATUSES = ['running', 'done', 'stopped'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

/** What an import did to its rows so far (cumulative across resumed runs). */
export interface ImportCounts {
  rows: number;
  imported: number;
  junk: number;
  reengaged: number;
  updated: number;
  merged: number;
  skipped: number;
  rejected: number;
}

/** One bulk import (I1), identified by the SHA-256 of its file's bytes. */
export interface ImportRecord extends ImportCounts {
  id: number;
  file: string;
  contentHash: string;
  bytes: number;
  status: ImportStatus;
  options: Record<string, unknown>;
  userId: number | null;
  user: string | null;
  startedAt: string;
  finishedAt: string | null;
  /** The last source line whose row has been applied (committed with the leads). */
  lastLine: number;
  rejectsFile: string | null;
  /** Size of the reject file when lastLine was committed: a resumed run truncates to it. */
  rejectsBytes: number;
}
export type NewImport = Pick<ImportRecord, 'file' | 'contentHash' | 'bytes' | 'options' | 'userId' | 'startedAt' | 'rejectsFile'>;
export type ImportProgress = Partial<ImportCounts & Pick<ImportRecord, 'status' | 'lastLine' | 'rejectsBytes' | 'finishedAt' | 'rejectsFile'>>;

/** A new lead written by a bulk import, with the data of its 'created' activity. */
export interface BulkLead {
  fields: LeadFields;
  activity: Record<string, unknown>;
}

export const CHANNELS = ['email', 'sms', 'whatsapp', 'inbox', 'webhook'] as const;
export type Channel = (typeof CHANNELS)[number];
export const OUTBOX_STATUSES = ['pending', 'sending', 'sent', 'failed', 'dead'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/** A notification to deliver (N2). `vars` are the template's placeholder values, captured with the event. */
export interface OutboxMessage {
  id: number;
  key: string;
  rule: string;
  channel: Channel;
  recipientKind: 'user' | 'lead' | 'webhook';
  recipientId: number | null;
  address: string | null;
  leadId: number | null;
  vars: Record<string, string>;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
  sentAt: string | null;
  /** Files mailed with the message (a scheduled report, a proposal's PDF); absent for plain notifications. */
  attachments?: OutboxAttachment[];
  /** Pre-rendered content (campaigns, proposals): sent as is, no template; absent for notifications. */
  content?: OutboxContent;
}
export interface OutboxAttachment {
  filename: string;
  contentType: string;
  /** The file's text (reports are CSV, JSON or plain text), or base64 when `encoding` says so. */
  content: string;
  encoding?: 'base64';
}
/** A message rendered when it was queued. Email uses every field; SMS/WhatsApp only `text`. */
export interface OutboxContent {
  subject: string;
  text: string;
  html?: string;
  /** Extra email headers, e.g. List-Unsubscribe and List-Unsubscribe-Post (RFC 8058). */
  headers?: Record<string, string>;
  cc?: string[];
  bcc?: string[];
  replyTo?: string;
}
export type NewOutboxMessage = Pick<OutboxMessage, 'key' | 'rule' | 'channel' | 'recipientKind' | 'recipientId' | 'address' | 'leadId' | 'vars' | 'attachments' | 'content'> & {
  /** Not before this instant (a scheduled or throttled send); default: due at once. */
  notBefore?: string;
};

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

/** A follow-up reminder whose time has come, with what its message needs. */
export interface DueReminder extends FollowUpReminder {
  leadId: number;
  title: string;
  startAt: string;
  assigneeIds: number[];
}

export interface InboxItem {
  id: number;
  userId: number;
  outboxId: number | null;
  rule: string;
  leadId: number | null;
  subject: string;
  body: string;
  createdAt: string;
  readAt: string | null;
}

export interface DaemonJobRun {
  name: string;
  lastRunAt: string | null;
  lastStatus: string | null;
  lastError: string | null;
  runs: number;
}

export interface Store {
  readonly backend: string;
  readonly location: string;
  /** Runs fn in one write transaction; nested calls join the outer one. */
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * For a process running several flows at once (the daemon: HTTP requests, jobs, deliveries):
   * from now on a transaction started by one flow waits for another flow's to finish instead of
   * joining it, while a transaction inside a transaction of the same flow still joins it.
   */
  serializeTransactions(): void;
  close(): void;

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
  };
  activities: {
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
     * Tunes this connection for a bulk import (call outside a transaction): statement journals
     * and temporary data in memory, a bigger page cache, rarer checkpoints. Durability settings
     * (journal mode, synchronous) are not touched.
     */
    tuneForBulk(): Promise<void>;
    /**
     * Inserts many new leads (and their 'created' activities) with prepared statements, and adds
     * their counts to lead_stats with one grouped statement; call inside a transaction. Returns their ids.
     */
    insertLeads(leads: BulkLead[], at: string, userId: number): Promise<number[]>;
    /**
     * A dry run's memory of the contacts it has seen: key → owner (> 0 a stored lead's id, < 0 the
     * n-th new row as -n - 1), kept in a temporary table private to this connection (spilled to a
     * temporary file, never in the store), so it stays small in memory whatever the file's size.
     */
    scratchGet(keys: string[]): Promise<Map<string, number>>;
    scratchPut(entries: [string, number][]): Promise<void>;
  };
  maintenance: {
    /** An online, consistent copy of the whole store (safe while others write). */
    backup(file: string): Promise<void>;
    /** Every custom field key used by any lead, sorted (export columns). */
    customKeys(): Promise<string[]>;
  };
  outbox: {
    /** Inserts the messages whose key is new (a key already stored is skipped); returns how many were inserted. */
    enqueue(messages: NewOutboxMessage[], at: string): Promise<number>;
    /** Whether any message is due (a read, no lock): the daemon's once-a-second poll. */
    hasDue(now: string): Promise<boolean>;
    /** Claims up to `limit` due messages (pending, failed whose retry is due, sending whose lease expired): status → sending, attempts + 1, lease until `leaseUntil`. */
    claim(now: string, leaseUntil: string, limit: number): Promise<OutboxMessage[]>;
    /** Makes every 'sending' message due now: only for a daemon holding the store's lock (they were left by one that died). */
    recover(now: string): Promise<number>;
    /** Gives claimed messages back unattempted (the daemon is stopping): pending again, due now. */
    release(ids: number[], now: string): Promise<void>;
    markSent(id: number, at: string): Promise<void>;
    /** Records an error; `retryAt` null means dead (no more attempts). */
    markFailed(id: number, error: string, at: string, retryAt: string | null): Promise<void>;
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
    /** Changes whenever another connection or process commits to the store. */
    version(): Promise<string>;
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
    /** Dead-letters the campaign's messages not yet claimed (pending or waiting to retry); returns how many. */
    cancelPending(campaignId: number, at: string): Promise<number>;
    /** Email addresses (lower case) whose earlier mail went dead on a permanent SMTP 5xx answer. */
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
    /** The pointer's value, then stores value + 1 (call inside a transaction). */
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

export interface IntakeForm {
  id: number;
  name: string;
  /** SHA-256 (hex) of the form's token; the token itself is shown once and never stored. */
  tokenHash: string;
  /** Submitted field name → lead field (name, email, phone, company, message, subject, address, custom:<key>, ignore). */
  fields: Record<string, string>;
  sourceId: number | null;
  tags: string[];
  honeypot: string | null;
  /** Token bucket per client IP: rateCount submissions per rateSeconds. */
  rateCount: number;
  rateSeconds: number;
  redirect: string | null;
  /** The one browser origin allowed to post JSON (CORS), e.g. https://acme.example. */
  origin: string | null;
  /** Who the form's leads are created as (who added it, or the first admin if deactivated). */
  actorId: number;
  createdAt: string;
  tokenRotatedAt: string | null;
}

export interface IntakeLogEntry {
  id: number;
  at: string;
  /** form, sms, whatsapp. */
  channel: string;
  /** The form's name, or the Twilio number written to. */
  ref: string | null;
  remote: string | null;
  /** The HTTP status answered. */
  status: number;
  result: 'accepted' | 'spam' | 'refused' | 'duplicate' | 'opt-out' | 'opt-in';
  reason: string | null;
  leadId: number | null;
  /** receiveInquiry's outcome: created, junk, re-engaged, existing. */
  outcome: string | null;
}

export const PROPOSAL_STATUSES = ['draft', 'pending-approval', 'sent', 'viewed', 'accepted', 'rejected', 'expired'] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

/** A file mailed with every proposal of a template (a brochure). */
export interface ProposalFile {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface ProposalTemplate {
  id: number;
  name: string;
  subject: string;
  body: string;
  cc: string[];
  bcc: string[];
  /** Names and sizes of the attachment files (their bytes: proposalTemplates.files). */
  attachments: { filename: string; contentType: string; bytes: number }[];
  createdBy: string | null;
  createdAt: string;
}

/** One line of a quotation; amounts in minor units of the proposal's currency, rounded per line. */
export interface ProposalItem {
  description: string;
  /** Decimal as written (e.g. "2.5"). */
  quantity: string;
  unitPriceMinor: number;
  /** Percentages as written (e.g. "10", "12.5"). */
  discountPct: string;
  taxPct: string;
  /** quantity × unit price. */
  grossMinor: number;
  discountMinor: number;
  /** gross − discount. */
  netMinor: number;
  taxMinor: number;
  /** net + tax. */
  totalMinor: number;
}

export interface ProposalTotals {
  subtotalMinor: number;
  discountMinor: number;
  taxMinor: number;
  totalMinor: number;
}

export interface NewProposalRevision extends ProposalTotals {
  subject: string;
  body: string;
  cc: string[];
  bcc: string[];
  currency: string;
  items: ProposalItem[];
  /** Last valid day, YYYY-MM-DD (null: no expiry). */
  validUntil: string | null;
  createdBy: number;
  createdAt: string;
}

export interface ProposalRevision extends Omit<NewProposalRevision, 'createdBy'> {
  proposalId: number;
  revision: number;
  createdBy: string | null;
  sentAt: string | null;
  approvedBy: string | null;
  approvedAt: string | null;
}

/** A proposal with its current revision's content. */
export interface Proposal extends ProposalTotals {
  id: number;
  leadId: number;
  leadName: string;
  templateId: number | null;
  templateName: string;
  status: ProposalStatus;
  revision: number;
  subject: string;
  body: string;
  cc: string[];
  bcc: string[];
  currency: string;
  items: ProposalItem[];
  validUntil: string | null;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  sentAt: string | null;
  decidedAt: string | null;
}

export interface ProposalQuery {
  statuses?: ProposalStatus[];
  leadId?: number;
  /** Visibility: only proposals of leads assigned to this user. */
  visibleTo?: number;
  /** Current revision valid until a day before this one (YYYY-MM-DD). */
  validBefore?: string;
  /** Current revision valid until on or before this day (YYYY-MM-DD). */
  validOnOrBefore?: string;
  limit?: number;
}

export interface ProposalEvent {
  id: number;
  proposalId: number;
  revision: number;
  /** created, sent, approval-requested, approved, viewed, accepted, rejected, expired, revised, reminded. */
  event: string;
  status: ProposalStatus;
  at: string;
  userId: number | null;
  user: string | null;
  note: string | null;
}

export interface MailboxConfig {
  name: string;
  host: string;
  port: number;
  tls: boolean;
  user: string;
  folder: string;
  everyMinutes: number;
  /** Folder handled messages are moved to; null: they are marked seen. */
  moveTo: string | null;
  sourceId: number | null;
  /** The user the daemon's polls act as (who configured the mailbox). */
  actorId: number;
  /** UIDVALIDITY of the folder at the last poll (null: never polled). */
  uidValidity: number | null;
  /** Highest UID seen under uidValidity. */
  lastUid: number;
  updatedAt: string;
}

export type MailboxOutcome = 'created' | 'junk' | 're-engaged' | 'existing' | 'skipped' | 'rejected' | 'seen';

export interface MailboxMessage {
  /** user@host:port/folder */
  scope: string;
  uidValidity: number;
  uid: number;
  /** The Message-ID, or a hash of the source when it has none. */
  messageKey: string;
  leadId: number | null;
  outcome: MailboxOutcome;
  reason: string | null;
  at: string;
  /** Marked seen or moved on the server. */
  done: boolean;
}

export interface MailboxPoll {
  id: number;
  mailbox: string;
  startedAt: string;
  ok: boolean;
  /** Messages fetched (new or unseen). */
  fetched: number;
  created: number;
  reengaged: number;
  /** From a known contact: the message went on that lead's timeline. */
  existing: number;
  junk: number;
  /** Auto-replies, bounces and our own mail. */
  skipped: number;
  /** Nothing to make a lead from (no valid address, no name). */
  rejected: number;
  /** Handled by an earlier poll (the same UID, or the same Message-ID after a UIDVALIDITY change). */
  seen: number;
  uidValidity: number | null;
  lastUid: number | null;
  error: string | null;
}

/** A routing rule (L8): its conditions as written (`source=Website,country=India`) and its target. */
export interface RoutingRule {
  id: number;
  name: string;
  position: number;
  conditions: string;
  userId: number | null;
  group: string | null;
  createdBy: number | null;
  createdAt: string;
}

export interface RoutingGroup {
  name: string;
  userIds: number[];
  createdAt: string;
}

/** A scoring rule (L7): points added (or subtracted) when its conditions hold; `days` is the window of activity conditions. */
export interface ScoringRule {
  id: number;
  name: string;
  conditions: string;
  points: number;
  days: number;
  createdBy: number | null;
  createdAt: string;
}

/** A lead's score parts: leads.score = clamp(base + points, 0, 100). */
export interface LeadScoreState {
  base: number;
  points: number;
  at: string;
}

/** A welcome message rule (C6); source/via '' = any. */
export interface WelcomeRule {
  id: number;
  source: string;
  via: string;
  channel: 'email' | 'sms' | 'whatsapp';
  template: string;
  attachment: { filename: string; contentType: string; size: number } | null;
  createdBy: number | null;
  createdAt: string;
}

export interface MarketplaceConfig {
  site: string;
  siteId: string;
  sourceId: number | null;
  assigneeIds: number[];
  everyMinutes: number;
  baseUrl: string;
  /** The user the import acts as (who configured it): leads' creator, timelines' author. */
  actorId: number;
  updatedAt: string;
}

export interface MarketplaceRun {
  id: number;
  site: string;
  startedAt: string;
  since: string;
  ok: boolean;
  fetched: number;
  /** New leads (junk included). */
  created: number;
  /** Lost, junk or archived leads reopened by the inquiry (L3). */
  reengaged: number;
  /** Skipped: the email (or phone) belongs to a lead already. */
  existing: number;
  /** Skipped: the inquiry failed lead validation (recorded as seen, not retried). */
  rejected: number;
  /** Skipped: imported by an earlier run. */
  seen: number;
  error: string | null;
}

export interface LeadCubeRow {
  stageId: number;
  sourceId: number | null;
  type: LeadType;
  status: LeadStatus;
  currency: string;
  /** The furthest open stage reached before the current one (null: none recorded). */
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
