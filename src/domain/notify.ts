export const NOTIFY_CHANNELS = ['email', 'sms', 'whatsapp', 'inbox'] as const;
export type NotifyChannel = (typeof NOTIFY_CHANNELS)[number];

export const CHANNELS = ['email', 'sms', 'whatsapp', 'inbox', 'webhook'] as const;
export type Channel = (typeof CHANNELS)[number];

/** What a person may be opted out of: the channels, and `call` (do not call: dialling is refused). */
export const OPT_OUT_CHANNELS = [...CHANNELS, 'call'] as const;
export type OptOutChannel = (typeof OPT_OUT_CHANNELS)[number];

export const OUTBOX_STATUSES = ['pending', 'sending', 'sent', 'failed', 'dead'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/**
 * Why a message failed, recorded with its error text (which is for people): `bounce` a mail
 * server refused the message or recipient for good (an SMTP 5xx answer: the address is not
 * mailed again by campaigns), `cancelled` its campaign was cancelled before it was sent,
 * `opted-out` the recipient opted out of the channel after it was queued, `error` anything else.
 * The sender decides the kind (src/services/notify/channels.ts for SMTP); nothing reads it back
 * from the text.
 */
export const OUTBOX_FAILURES = ['bounce', 'cancelled', 'opted-out', 'error'] as const;
export type OutboxFailure = (typeof OUTBOX_FAILURES)[number];

/**
 * The kind of a failure recorded with its text only: failures stored before kinds existed
 * (SQLite migration 0019 backfills with the same prefixes) and callers that give none.
 */
export function failureKindOfText(error: string): OutboxFailure {
  if (error.startsWith('SMTP error: 5')) return 'bounce';
  if (error.startsWith('cancelled:')) return 'cancelled';
  if (error.startsWith('the recipient opted out of ')) return 'opted-out';
  return 'error';
}

/** A notification to deliver (N2). `vars` are the template's placeholder values, captured with the event. */
export interface OutboxMessage {
  id: number;
  key: string;
  rule: string;
  channel: Channel;
  recipientKind: 'user' | 'lead' | 'webhook';
  recipientId: number | null;
  address: string | null;
  leadId: number | null;
  vars: Record<string, string>;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
  sentAt: string | null;
  /** Files mailed with the message (a scheduled report, a proposal's PDF); absent for plain notifications. */
  attachments?: OutboxAttachment[];
  /** Pre-rendered content (campaigns, proposals): sent as is, no template; absent for notifications. */
  content?: OutboxContent;
}

export interface OutboxAttachment {
  filename: string;
  contentType: string;
  /** The file's text (reports are CSV, JSON or plain text), or base64 when `encoding` says so. */
  content: string;
  encoding?: 'base64';
}

/** A message rendered when it was queued. Email uses every field; SMS/WhatsApp only `text`. */
export interface OutboxContent {
  subject: string;
  text: string;
  html?: string;
  /** Extra email headers, e.g. List-Unsubscribe and List-Unsubscribe-Post (RFC 8058). */
  headers?: Record<string, string>;
  /** A campaign email's unsubscribe link and token: List-Unsubscribe is built from them at delivery, with the sender of then. */
  unsubscribe?: { url: string; token: string };
  cc?: string[];
  bcc?: string[];
  replyTo?: string;
  /** The Message-ID to send with (a ticket reply's, recorded so that the answer finds its ticket); default: derived from the key. */
  messageId?: string;
}

export type NewOutboxMessage = Pick<OutboxMessage, 'key' | 'rule' | 'channel' | 'recipientKind' | 'recipientId' | 'address' | 'leadId' | 'vars' | 'attachments' | 'content'> & {
  /** Not before this instant (a scheduled or throttled send); default: due at once. */
  notBefore?: string;
};

export interface InboxItem {
  id: number;
  userId: number;
  outboxId: number | null;
  rule: string;
  leadId: number | null;
  subject: string;
  body: string;
  createdAt: string;
  readAt: string | null;
}

export interface DaemonJobRun {
  name: string;
  lastRunAt: string | null;
  lastStatus: string | null;
  lastError: string | null;
  runs: number;
}
