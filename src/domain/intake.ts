export interface IntakeForm {
  id: number;
  name: string;
  /** SHA-256 (hex) of the form's token; the token itself is shown once and never stored. */
  tokenHash: string;
  /** Submitted field name → lead field (name, email, phone, company, message, subject, address, custom:<key>, ignore). */
  fields: Record<string, string>;
  sourceId: number | null;
  tags: string[];
  honeypot: string | null;
  /** Token bucket per client IP: rateCount submissions per rateSeconds. */
  rateCount: number;
  rateSeconds: number;
  redirect: string | null;
  /** The one browser origin allowed to post JSON (CORS), e.g. https://acme.example. */
  origin: string | null;
  /** Who the form's leads are created as (who added it, or the first admin if deactivated). */
  actorId: number;
  createdAt: string;
  tokenRotatedAt: string | null;
}

export interface IntakeLogEntry {
  id: number;
  at: string;
  /** form, sms, whatsapp. */
  channel: string;
  /** The form's name, or the Twilio number written to. */
  ref: string | null;
  remote: string | null;
  /** The HTTP status answered. */
  status: number;
  result: 'accepted' | 'spam' | 'refused' | 'duplicate' | 'opt-out' | 'opt-in';
  reason: string | null;
  leadId: number | null;
  /** receiveInquiry's outcome: created, junk, re-engaged, existing. */
  outcome: string | null;
}

export interface MailboxConfig {
  name: string;
  host: string;
  port: number;
  tls: boolean;
  user: string;
  folder: string;
  everyMinutes: number;
  /** Folder handled messages are moved to; null: they are marked seen. */
  moveTo: string | null;
  sourceId: number | null;
  /** The user the daemon's polls act as (who configured the mailbox). */
  actorId: number;
  /** UIDVALIDITY of the folder at the last poll (null: never polled). */
  uidValidity: number | null;
  /** Highest UID seen under uidValidity. */
  lastUid: number;
  updatedAt: string;
}

/** ticket: a reply to a ticket's mail, landed on the ticket. */
export type MailboxOutcome = 'created' | 'junk' | 're-engaged' | 'existing' | 'skipped' | 'rejected' | 'seen' | 'ticket';

export interface MailboxMessage {
  /** user@host:port/folder */
  scope: string;
  uidValidity: number;
  uid: number;
  /** The Message-ID, or a hash of the source when it has none. */
  messageKey: string;
  leadId: number | null;
  outcome: MailboxOutcome;
  reason: string | null;
  at: string;
  /** Marked seen or moved on the server. */
  done: boolean;
}

export interface MailboxPoll {
  id: number;
  mailbox: string;
  startedAt: string;
  ok: boolean;
  /** Messages fetched (new or unseen). */
  fetched: number;
  created: number;
  reengaged: number;
  /** From a known contact: the message went on that lead's timeline. */
  existing: number;
  junk: number;
  /** Auto-replies, bounces and our own mail. */
  skipped: number;
  /** Nothing to make a lead from (no valid address, no name). */
  rejected: number;
  /** Handled by an earlier poll (the same UID, or the same Message-ID after a UIDVALIDITY change). */
  seen: number;
  uidValidity: number | null;
  lastUid: number | null;
  error: string | null;
}

export interface MarketplaceConfig {
  site: string;
  siteId: string;
  sourceId: number | null;
  assigneeIds: number[];
  everyMinutes: number;
  baseUrl: string;
  /** The user the import acts as (who configured it): leads' creator, timelines' author. */
  actorId: number;
  updatedAt: string;
}

export interface MarketplaceRun {
  id: number;
  site: string;
  startedAt: string;
  since: string;
  ok: boolean;
  fetched: number;
  /** New leads (junk included). */
  created: number;
  /** Lost, junk or archived leads reopened by the inquiry (L3). */
  reengaged: number;
  /** Skipped: the email (or phone) belongs to a lead already. */
  existing: number;
  /** Skipped: the inquiry failed lead validation (recorded as seen, not retried). */
  rejected: number;
  /** Skipped: imported by an earlier run. */
  seen: number;
  error: string | null;
}
