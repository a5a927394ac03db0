export const PROPOSAL_STATUSES = ['draft', 'pending-approval', 'sent', 'viewed', 'accepted', 'rejected', 'expired'] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

/** A file mailed with every proposal of a template (a brochure). */
export interface ProposalFile {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface ProposalTemplate {
  id: number;
  name: string;
  subject: string;
  body: string;
  cc: string[];
  bcc: string[];
  /** Names and sizes of the attachment files (their bytes: proposalTemplates.files). */
  attachments: { filename: string; contentType: string; bytes: number }[];
  createdBy: string | null;
  createdAt: string;
}

/** One line of a quotation; amounts in minor units of the proposal's currency, rounded per line. */
export interface ProposalItem {
  description: string;
  /** Decimal as written (e.g. "2.5"). */
  quantity: string;
  unitPriceMinor: number;
  /** Percentages as written (e.g. "10", "12.5"). */
  discountPct: string;
  taxPct: string;
  /** quantity × unit price. */
  grossMinor: number;
  discountMinor: number;
  /** gross − discount. */
  netMinor: number;
  taxMinor: number;
  /** net + tax. */
  totalMinor: number;
}

export interface ProposalTotals {
  subtotalMinor: number;
  discountMinor: number;
  taxMinor: number;
  totalMinor: number;
}

export interface NewProposalRevision extends ProposalTotals {
  subject: string;
  body: string;
  cc: string[];
  bcc: string[];
  currency: string;
  items: ProposalItem[];
  /** Last valid day, YYYY-MM-DD (null: no expiry). */
  validUntil: string | null;
  createdBy: number;
  createdAt: string;
}

export interface ProposalRevision extends Omit<NewProposalRevision, 'createdBy'> {
  proposalId: number;
  revision: number;
  createdBy: string | null;
  sentAt: string | null;
  approvedBy: string | null;
  approvedAt: string | null;
}

/** A proposal with its current revision's content. */
export interface Proposal extends ProposalTotals {
  id: number;
  leadId: number;
  leadName: string;
  templateId: number | null;
  templateName: string;
  status: ProposalStatus;
  revision: number;
  subject: string;
  body: string;
  cc: string[];
  bcc: string[];
  currency: string;
  items: ProposalItem[];
  validUntil: string | null;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  sentAt: string | null;
  decidedAt: string | null;
}

export interface ProposalQuery {
  statuses?: ProposalStatus[];
  leadId?: number;
  /** Visibility: only proposals of leads assigned to this user. */
  visibleTo?: number;
  /** Current revision valid until a day before this one (YYYY-MM-DD). */
  validBefore?: string;
  /** Current revision valid until on or before this day (YYYY-MM-DD). */
  validOnOrBefore?: string;
  limit?: number;
}

export interface ProposalEvent {
  id: number;
  proposalId: number;
  revision: number;
  /** created, sent, approval-requested, approved, viewed, accepted, rejected, expired, revised, reminded. */
  event: string;
  status: ProposalStatus;
  at: string;
  userId: number | null;
  user: string | null;
  note: string | null;
}
