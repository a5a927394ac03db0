/** The store contract: consent per channel (issue 20). */
import type { ConsentChannel, ConsentEntry, NewConsentEntry } from '../../domain/consent.js';

export interface ConsentRepo {
  /**
   * Appends entries, oldest first, and sets each lead's opt-out of the channel to match (withdrawn:
   * opted out, as optOuts.list answers; granted: not), in one step: consent and opt-outs never
   * disagree. optOuts.set on a lead's consent channel appends an entry too (source 'by-hand').
   */
  record(entries: NewConsentEntry[]): Promise<void>;
  /** A lead's entries, oldest first, with the recording user's email. */
  history(leadId: number): Promise<ConsentEntry[]>;
  /** Of these leads, the ones whose latest entry for the channel is 'granted'. */
  granted(leadIds: number[], channel: ConsentChannel): Promise<Set<number>>;
}
