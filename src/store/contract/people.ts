/**
 * The store contract: a person's data across the store (GDPR export and erasure, issue 20).
 * The leads themselves, their timelines, follow-ups, calls, appointments and proposals have
 * repositories of their own; this one reaches the rows that name a person by address or hang
 * off a lead without one: outbox and inbox rows, campaign recipients, the intake log, SMS and
 * mailbox messages, marketplace inquiries, appointment participants, opt-outs.
 */
export type PersonRecords = Record<string, Record<string, unknown>[]>;

export interface PeopleRepo {
  /** Every such row about these leads or sent to these addresses (emails lower-cased, phones as stored), by table. */
  records(leadIds: number[], addresses: string[]): Promise<PersonRecords>;
  /**
   * Inside a transaction: removes what identifies the person from these leads and every row that
   * names them, keeping the rows that reports count (the lead, its calls, follow-ups,
   * appointments, proposals, campaign and outbox tallies) with their text blanked and the lead
   * renamed `name`. Returns how many rows of each table were changed or removed.
   */
  erase(leadIds: number[], addresses: string[], name: string): Promise<Record<string, number>>;
  /** Adds hashes to the suppression list (already there: kept). */
  suppress(hashes: string[], at: string): Promise<void>;
  /** Whether the suppression list holds anything: most stores' is empty, and then no address needs hashing. */
  hasSuppressions(): Promise<boolean>;
  /** Every hash on the suppression list (a bulk import loads it once). */
  suppressions(): Promise<string[]>;
  /** The hashes of these that are on the suppression list. */
  suppressed(hashes: string[]): Promise<string[]>;
}
