import type { Column } from '../../io/output.js';
import type { CampaignProgress } from '../../services/campaigns/send.js';
import type { Campaign, CampaignRecipient } from '../../domain/campaigns.js';

/** The stable --json shape of a campaign (docs/json.md). */
export const campaignJson = (c: Campaign & { recipients?: number; progress?: CampaignProgress | null }) => ({
  id: c.id, name: c.name, type: c.type, to: c.audience, tag: c.tag, subject: c.subject, body: c.body, status: c.status,
  recipients: c.recipients, createdBy: c.createdBy, createdAt: c.createdAt, sendAt: c.sendAt, rate: c.rate, queuedAt: c.queuedAt, sentAt: c.sentAt,
  cancelledAt: c.cancelledAt, ...(c.progress !== undefined ? { progress: c.progress } : {}),
});

/** A stored UTC time to the minute, or null. */
export const when = (iso: string | null) => (iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : null);

const minute = (iso: string) => iso.slice(0, 16).replace('T', ' ');

export const campaignColumns: Column<Campaign>[] = [
  { header: 'ID', cell: (x) => x.id },
  { header: 'NAME', cell: (x) => x.name },
  { header: 'TYPE', cell: (x) => x.type },
  { header: 'TO', cell: (x) => (x.tag ? `${x.audience} tag:${x.tag}` : x.audience) },
  { header: 'STATUS', cell: (x) => x.status },
  { header: 'SENT', cell: (x) => (x.sentAt ? minute(x.sentAt) : x.sendAt && x.status === 'scheduled' ? `at ${minute(x.sendAt)}` : '') },
];

/** A recipient row, keyed by its lead for -q. */
export type RecipientRow = CampaignRecipient & { id: number };

export const recipientColumns: Column<RecipientRow>[] = [
  { header: 'LEAD', cell: (x) => x.leadId },
  { header: 'NAME', cell: (x) => x.name },
  { header: 'ADDRESS', cell: (x) => x.address ?? '' },
  { header: 'STATUS', cell: (x) => x.status },
  { header: 'SENT', cell: (x) => (x.sentAt ? minute(x.sentAt) : '') },
  { header: 'ERROR', cell: (x) => x.error ?? '' },
];

export const recipientJson = (x: RecipientRow) => ({ leadId: x.leadId, name: x.name, address: x.address, status: x.status, attempts: x.attempts, error: x.error, sentAt: x.sentAt });
