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
