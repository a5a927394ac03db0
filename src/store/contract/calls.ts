/** The store contract: calls. */
import type { Call, CallOutcome, CallQuery, CallSummaryRow, NewCall, NewTwilioCall, TwilioCall, TwilioCallChange } from '../../domain/calls.js';

export interface CallsRepo {
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
  /** The rep's wrap-up of a call: its outcome, note and call-back follow-up, on the call and on its timeline entry. */
  wrapUp(id: number, w: { outcome: CallOutcome; note: string | null; followUpId: number | null }): Promise<void>;
  /** Sets a call's recording link (a Twilio recording that finished after the call was logged). */
  setRecording(id: number, url: string): Promise<void>;
  /** K2: records a call placed or received through Twilio; false (nothing written) when its CallSid is known already. */
  addTwilio(call: NewTwilioCall, at: string): Promise<boolean>;
  /** A Twilio call by its CallSid (the parent call's, not a leg's). */
  twilio(sid: string): Promise<TwilioCall | undefined>;
  /** Changes a Twilio call's fields given (undefined: left as is); updatedAt becomes `at`. */
  updateTwilio(sid: string, change: TwilioCallChange, at: string): Promise<void>;
  /** The Twilio call that made this call log entry. */
  twilioOfCall(callId: number): Promise<TwilioCall | undefined>;
  /** A user's Twilio calls in one direction, newest first (created_at, then sid). */
  twilioOfUser(userId: number, direction: TwilioCall['direction'], limit: number): Promise<TwilioCall[]>;
}
