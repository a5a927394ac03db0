/** The store contract: marketplaces, roundRobin, intakeForms, intakeLog, inboundMessages, mailboxes. */
import type { IntakeForm, IntakeLogEntry, MailboxConfig, MailboxMessage, MailboxPoll, MarketplaceConfig, MarketplaceRun } from '../../domain/intake.js';

/** B2B marketplace import (C3): settings per site, runs and the inquiry ids seen. */
export interface MarketplacesRepo {
  get(site: string): Promise<MarketplaceConfig | undefined>;
  put(config: MarketplaceConfig): Promise<void>;
  addRun(run: Omit<MarketplaceRun, 'id'>): Promise<number>;
  lastRun(site: string, opts?: { okOnly?: boolean }): Promise<MarketplaceRun | undefined>;
  /** Of these inquiry ids, the ones already seen (one indexed lookup each). */
  seen(site: string, inqIds: string[]): Promise<Set<string>>;
  markSeen(site: string, inqId: string, leadId: number | null, outcome: string, at: string): Promise<void>;
}

/** Round-robin pointers (marketplace assignment, routing groups): fair across runs and restarts. */
export interface RoundRobinRepo {
  /** The pointer's value, then stores value + 1, atomically (two takers never get the same value). */
  take(name: string): Promise<number>;
  /** The pointer's value without moving it (0 when never taken): `crm routing test`. */
  peek(name: string): Promise<number>;
}

/** Web forms of the HTTP intake endpoint (C4). */
export interface IntakeFormsRepo {
  insert(form: Omit<IntakeForm, 'id' | 'tokenRotatedAt'>): Promise<IntakeForm>;
  byName(name: string): Promise<IntakeForm | undefined>;
  list(): Promise<IntakeForm[]>;
  setTokenHash(id: number, tokenHash: string, at: string): Promise<void>;
  remove(id: number): Promise<void>;
}

/** Every submission and webhook the intake endpoint answered: accepted, spam or refused, and why. */
export interface IntakeLogRepo {
  add(entry: Omit<IntakeLogEntry, 'id'>): Promise<number>;
  /** Newest first. */
  list(query: { channel?: string; ref?: string; limit?: number }): Promise<IntakeLogEntry[]>;
}

/** Inbound message ids already received (Twilio's MessageSid): redeliveries store nothing. */
export interface InboundMessagesRepo {
  /** Records the id; false if it was already there. */
  mark(sid: string, leadId: number | null, at: string): Promise<boolean>;
  has(sid: string): Promise<boolean>;
}

/** Mailbox parsing (C5): the IMAP mailbox's settings and cursor, the messages handled, the polls. */
export interface MailboxesRepo {
  get(name: string): Promise<MailboxConfig | undefined>;
  /** Inserts or updates the settings; the cursor (uidValidity, lastUid) is left as it is. */
  put(config: Omit<MailboxConfig, 'uidValidity' | 'lastUid'>): Promise<void>;
  setCursor(name: string, uidValidity: number | null, lastUid: number): Promise<void>;
  addPoll(poll: Omit<MailboxPoll, 'id'>): Promise<number>;
  lastPoll(name: string, opts?: { okOnly?: boolean }): Promise<MailboxPoll | undefined>;
  /**
   * Messages are kept per scope (user@host:port/folder, so a re-configured mailbox starts
   * afresh). Of these UIDs under this UIDVALIDITY, the ones already handled.
   */
  handled(scope: string, uidValidity: number, uids: number[]): Promise<Set<number>>;
  /** The first message handled with this Message-ID, in any scope and under any UIDVALIDITY. */
  byKey(messageKey: string): Promise<MailboxMessage | undefined>;
  /** Records a handled message (call in the transaction of its lead); a second record of the same UID is ignored. */
  record(m: MailboxMessage): Promise<void>;
  /** Handled messages not yet marked seen or moved on the server. */
  pending(scope: string): Promise<MailboxMessage[]>;
  markDone(scope: string, uidValidity: number, uids: number[]): Promise<void>;
}
