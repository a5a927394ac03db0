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
  imports: {
    create(rec: NewImport): Promise<ImportRecord>;
    get(id: number): Promise<ImportRecord | undefined>;
    /** The most recent import of a file with this content hash. */
    latestByHash(hash: string): Promise<ImportRecord | undefined>;
    list(limit?: number): Promise<ImportRecord[]>;
    progress(id: number, patch: ImportProgress): Promise<void>;
    /** leads.matchContacts for a whole batch: emails already lower-cased; one indexed lookup per value. */
    matchContacts(emailsNorm: string[], phones: string[]): Promise<ContactMatch[]>;
    /** Inserts many new leads (and their 'created' activities) with prepared statements; returns their ids. */
    insertLeads(leads: BulkLead[], at: string, userId: number): Promise<number[]>;
  };
  maintenance: {
    /** An online, consistent copy of the whole store (safe while others write). */
    backup(file: string): Promise<void>;
    /** Every custom field key used by any lead, sorted (export columns). */
    customKeys(): Promise<string[]>;
  };
}
