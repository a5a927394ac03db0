/** The store contract: support tickets and their messages. */
import type { NewTicketMessage, Ticket, TicketFields, TicketMessage, TicketQuery } from '../../domain/tickets.js';

export interface TicketsRepo {
  insert(t: TicketFields, at: string): Promise<number>;
  get(id: number): Promise<Ticket | undefined>;
  /**
   * Newest first (by id). Filters combine with AND; `statuses` empty or absent: any. `breachedAt`:
   * a first response or resolution missed as of that instant, as slaOf (src/domain/tickets.ts)
   * decides it. `visibleTo`: assigned to that user, or on a lead assigned to them.
   */
  list(q: TicketQuery): Promise<Ticket[]>;
  /** Sets the given fields and updated_at. */
  update(id: number, patch: Partial<TicketFields>, at: string): Promise<void>;
  /** Adds a message; a Message-ID already stored is a ConflictError. */
  addMessage(m: NewTicketMessage): Promise<number>;
  /** A ticket's messages, oldest first. */
  messages(ticketId: number): Promise<TicketMessage[]>;
  /** The ticket holding a message with one of these Message-IDs (angle brackets included), the latest such message's; undefined if none. */
  byMessageId(messageIds: string[]): Promise<number | undefined>;
  /** Merge: moves a lead's tickets onto another lead. */
  moveToLead(fromLeadId: number, toLeadId: number): Promise<void>;
}
