/** The store contract: proposalTemplates, proposals. */
import type { NewProposalRevision, Proposal, ProposalEvent, ProposalFile, ProposalQuery, ProposalRevision, ProposalTemplate } from '../../domain/proposals.js';

/** Proposal templates (P1) with their attachment files. */
export interface ProposalTemplatesRepo {
  insert(t: Pick<ProposalTemplate, 'name' | 'subject' | 'body' | 'cc' | 'bcc'> & { createdBy: number }, files: ProposalFile[], at: string): Promise<number>;
  get(id: number): Promise<ProposalTemplate | undefined>;
  byName(name: string): Promise<ProposalTemplate | undefined>;
  list(): Promise<ProposalTemplate[]>;
  /** The template's attachment files, with their bytes. */
  files(id: number): Promise<ProposalFile[]>;
  remove(id: number): Promise<void>;
}

/** Proposals and quotations (P1, P2): each revision kept, and a history of status changes. */
export interface ProposalsRepo {
  /** A new proposal and its revision 1. */
  insert(p: Pick<Proposal, 'leadId' | 'templateId' | 'templateName' | 'status'> & { createdBy: number }, rev: NewProposalRevision, at: string): Promise<number>;
  /** Adds the next revision and makes it the proposal's current one. */
  addRevision(id: number, rev: NewProposalRevision): Promise<number>;
  update(id: number, patch: Partial<Pick<Proposal, 'status' | 'sentAt' | 'decidedAt'>>, at: string): Promise<void>;
  /** Marks the current revision sent (and approved, when an approver is given). */
  markRevisionSent(id: number, revision: number, at: string, approvedBy?: number): Promise<void>;
  get(id: number): Promise<Proposal | undefined>;
  list(query: ProposalQuery): Promise<Proposal[]>;
  revisions(id: number): Promise<ProposalRevision[]>;
  addEvent(e: Omit<ProposalEvent, 'id' | 'user'>): Promise<void>;
  events(id: number): Promise<ProposalEvent[]>;
  /** Merge: moves a lead's proposals onto another lead. */
  moveToLead(fromLeadId: number, toLeadId: number): Promise<void>;
}
