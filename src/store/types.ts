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
}
export type NewOutboxMessage = Pick<OutboxMessage, 'key' | 'rule' | 'channel' | 'recipientKind' | 'recipientId' | 'address' | 'leadId' | 'vars'>;

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
    /** Leads created in [createdAfter, createdBefore] with no activity but 'created', active and open, not yet marked for this rule. */
    notAttempted(rule: string, createdAfter: string, createdBefore: string, limit: number): Promise<number[]>;
    /** Marks a lead for a rule; false if it was already marked. */
    mark(rule: string, leadId: number, at: string): Promise<boolean>;
  };
}
