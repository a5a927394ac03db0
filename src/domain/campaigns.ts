export const CAMPAIGN_TYPES = ['email', 'sms', 'whatsapp'] as const;
export type CampaignType = (typeof CAMPAIGN_TYPES)[number];

/** A campaign (M1); a draft until sent. `audience`: leads | customers | all | segment:NAME. */
export interface Campaign {
  id: number;
  name: string;
  type: CampaignType;
  audience: string;
  tag: string | null;
  subject: string | null;
  body: string;
  status: CampaignStatus;
  createdBy: string | null;
  createdAt: string;
  /** When its last message became final (sent, failed for good or cancelled): the send date. */
  sentAt: string | null;
  /** When its first message is due (scheduled or started); null for a draft. */
  sendAt: string | null;
  /** Throttle in messages per second; null: as fast as the daemon delivers. */
  rate: number | null;
  /** When every recipient was resolved and queued; null while a send is under way (or was interrupted). */
  queuedAt: string | null;
  cancelledAt: string | null;
}

export const CAMPAIGN_STATUSES = ['draft', 'sending', 'scheduled', 'sent', 'cancelled'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** Why a resolved recipient got no message. */
/** no-consent: privacy.require-consent is on and the lead's consent for the channel is not granted. */
export type CampaignSkip = 'opted-out' | 'bounced' | 'no-address' | 'no-consent';

/** One resolved recipient of a campaign: queued (with its outbox key) or skipped. */
export interface NewCampaignRecipient {
  leadId: number;
  seq: number;
  status: 'queued' | CampaignSkip;
  address: string | null;
  outboxKey: string | null;
}

/** A recipient with the state of its message: the outbox row's status, 'cancelled', or the skip reason. */
export interface CampaignRecipient {
  leadId: number;
  name: string;
  address: string | null;
  status: 'pending' | 'sending' | 'sent' | 'failed' | 'dead' | 'cancelled' | CampaignSkip;
  attempts: number;
  error: string | null;
  sentAt: string | null;
}

/** A saved filter (L9). */
export interface Segment {
  id: number;
  name: string;
  where: string;
  createdBy: string | null;
  createdAt: string;
}
