/** The store contract: the customer portal's magic links and sessions (W1). Only token hashes are kept. */
import type { NewPortalLink, NewPortalSession, PortalContact, PortalLink, PortalSession } from '../../domain/portal.js';

export interface PortalRepo {
  insertLink(l: NewPortalLink, at: string): Promise<number>;
  /** A link by its token's hash, whatever its state (used, expired). */
  linkByHash(tokenHash: string): Promise<PortalLink | undefined>;
  /**
   * Uses a link: one guarded update, so that of two callers with the same token only one gets it.
   * Undefined when it is unknown, used already or expired at `at`.
   */
  useLink(tokenHash: string, at: string): Promise<PortalLink | undefined>;
  /** How many links were made for this email (any case) since `since`. */
  linksSince(email: string, since: string): Promise<number>;
  insertSession(s: NewPortalSession, at: string): Promise<number>;
  /** A session by its token's hash that is neither ended nor expired at `at`. */
  liveSession(tokenHash: string, at: string): Promise<PortalSession | undefined>;
  /** Ends one session (logout). */
  endSession(id: number, reason: string, at: string): Promise<void>;
  /**
   * Ends the live sessions and voids the unused links of a lead (of one contact person when
   * personId is given; null: those of the lead's own email). Returns how many sessions ended.
   */
  revoke(leadId: number, personId: number | null | undefined, at: string): Promise<number>;
  /** Sessions live at `at` (of one lead, if given), newest first. */
  sessions(leadId: number | undefined, at: string): Promise<PortalSession[]>;
  /** Who an email belongs to: contact persons with portal access on, and leads (not deleted) with that email. */
  contactsByEmail(email: string): Promise<PortalContact[]>;
}
