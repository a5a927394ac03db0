import type { StageOutcome } from './pipeline.js';

/**
 * The longest text one field of a lead takes, whichever way it comes in (a flag, an import
 * cell, a form field): 64 Ki characters.
 */
export const MAX_TEXT_CHARS = 64 * 1024;

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
  /** Keyset paging (lists streamed newest first): only ids smaller than this; pair with sort by id descending. */
  beforeId?: number;
  /** A parsed and resolved --where / segment filter (L9); compiled to parameterised SQL. */
  filter?: LeadFilterNode;
}

/**
 * Segment filter fields with resolved values: stage/source ids, assigned user id, value in minor
 * units, created as YYYY-MM-DD; payment: invoice statuses, a lead matching when one of its
 * invoices has one of them (unpaid is resolved to billed and partially-paid).
 */
export type LeadFilterField = 'stage' | 'source' | 'tag' | 'score' | 'value' | 'status' | 'type' | 'assigned' | 'created' | 'payment';

export type LeadFilterNode =
  | { kind: 'cmp'; field: LeadFilterField; op: '=' | '!=' | '<' | '<=' | '>' | '>='; value: string | number }
  | { kind: 'in'; field: LeadFilterField; not: boolean; values: (string | number)[] }
  | { kind: 'and' | 'or'; left: LeadFilterNode; right: LeadFilterNode };

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

/**
 * A phone as the store keeps a checked number: `+` and digits (E.164), with ` ext. N` when it has
 * an extension. An import keeps a number it cannot place as entered: that one is unverified
 * (shown as such, never texted) until someone fixes it.
 */
export const isVerifiedPhone = (phone: string): boolean => /^\+\d{6,15}(?: ext\. \d{1,10})?$/.test(phone);

/** The number SMS and WhatsApp may use: the first verified one, without its extension. */
export const messagingPhone = (phones: readonly string[]): string | undefined => phones.find(isVerifiedPhone)?.replace(/ ext\. \d+$/, '');
