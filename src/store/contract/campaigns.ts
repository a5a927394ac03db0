/** The store contract: segments, campaigns. */
import type { Campaign, CampaignRecipient, NewCampaignRecipient, Segment } from '../../domain/campaigns.js';

/** Saved lead filters (L9). */
export interface SegmentsRepo {
  insert(segment: { name: string; where: string; createdBy: number }, at: string): Promise<number>;
  byName(name: string): Promise<Segment | undefined>;
  list(): Promise<Segment[]>;
  remove(id: number): Promise<void>;
}

/** Campaigns (M1). */
export interface CampaignsRepo {
  insert(c: Pick<Campaign, 'name' | 'type' | 'audience' | 'tag' | 'subject' | 'body'> & { createdBy: number }, at: string): Promise<number>;
  get(id: number): Promise<Campaign | undefined>;
  list(): Promise<Campaign[]>;
  /** Changes a draft's content; false if it is no longer a draft. */
  update(id: number, c: Pick<Campaign, 'name' | 'type' | 'audience' | 'tag' | 'subject' | 'body'>): Promise<boolean>;
  /** Moves a campaign to `status` if it is in one of `from`, setting the given fields; false if it was not. */
  transition(id: number, from: Campaign['status'][], status: Campaign['status'], fields: Partial<Pick<Campaign, 'sendAt' | 'rate' | 'queuedAt' | 'sentAt' | 'cancelledAt'>> & { sentBy?: number }): Promise<boolean>;
  /** Of these leads, the ones already resolved for this campaign (a resumed send skips them). */
  resolved(campaignId: number, leadIds: number[]): Promise<Set<number>>;
  /** Records resolved recipients (existing ones are kept); call in the transaction that queues their messages. */
  addRecipients(campaignId: number, rows: NewCampaignRecipient[], at: string): Promise<void>;
  /** How many recipients were recorded, and the next sequence number (throttle position) to use. */
  nextSeq(campaignId: number): Promise<number>;
  /** Recipients with their message state, by lead id; `status` filters on it. */
  recipients(campaignId: number, q?: { status?: CampaignRecipient['status']; limit?: number }): Promise<CampaignRecipient[]>;
  /** Count of recipients per message state, and the latest time a message became final. */
  tally(campaignId: number): Promise<{ counts: Partial<Record<CampaignRecipient['status'], number>>; lastFinalAt: string | null }>;
  /** Dead-letters the campaign's messages not yet claimed (pending or waiting to retry) as failure 'cancelled'; returns how many. */
  cancelPending(campaignId: number, at: string): Promise<number>;
  /** Email addresses (lower case) whose earlier mail went dead as a bounce (failure 'bounce': a permanent SMTP 5xx answer). */
  bouncedEmails(): Promise<Set<string>>;
  /** The store's secret for signing unsubscribe links (made once, by the migration). */
  secret(): Promise<string>;
}
