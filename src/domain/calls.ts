export const CALL_DIRECTIONS = ['in', 'out'] as const;
export type CallDirection = (typeof CALL_DIRECTIONS)[number];

/** `failed`: a dialled call Twilio could not place (a bad or unreachable number). */
export const CALL_OUTCOMES = ['connected', 'rnr', 'call-back', 'busy', 'voicemail', 'wrong-number', 'failed'] as const;
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

/** Twilio's call statuses after which nothing more happens to a call. */
export const TERMINAL_CALL_STATUSES = ['completed', 'busy', 'no-answer', 'canceled', 'failed'] as const;

export const isTerminalCallStatus = (status: string): boolean => (TERMINAL_CALL_STATUSES as readonly string[]).includes(status);

/** The call log's outcome of a Twilio leg that ended: answered → connected; not answered → rnr; failed → failed. */
export function outcomeOfStatus(status: string): CallOutcome {
  if (status === 'completed') return 'connected';
  if (status === 'failed') return 'failed';
  return 'rnr';
}

/**
 * A call through Twilio (K2), by its CallSid: placed by `crm call dial` (out: Twilio rings the rep,
 * then bridges to the lead, the "leg") or received on the Twilio number (in: the leg rings the
 * lead's owner). It enters the call log (callId) once the leg ends, or, without a leg, the call.
 */
export interface TwilioCall {
  sid: string;
  direction: CallDirection;
  /** Null: an inbound call from an unknown number that made no lead. */
  leadId: number | null;
  userId: number | null;
  /** The lead's number (dialled or calling). */
  number: string;
  /** Where the leg rings: the lead's number (out) or the owner's phone (in); null when none. */
  legTo: string | null;
  status: string;
  legSid: string | null;
  legStatus: string | null;
  legSeconds: number | null;
  recordingUrl: string | null;
  callId: number | null;
  /** When it entered the call log (kept after the log entry is deleted: a replayed callback logs nothing). */
  loggedAt: string | null;
  wrappedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export type NewTwilioCall = Pick<TwilioCall, 'sid' | 'direction' | 'leadId' | 'userId' | 'number' | 'legTo' | 'status'>;

export type TwilioCallChange = Partial<Pick<TwilioCall, 'status' | 'legSid' | 'legStatus' | 'legSeconds' | 'recordingUrl' | 'callId' | 'loggedAt' | 'wrappedAt'>>;
