/** The store contract: leads, activities. */
import type { LeadDerived } from '../../domain/derived.js';
import type { Activity, ContactMatch, Lead, LeadFields, LeadQuery, NewActivity } from '../../domain/leads.js';

export interface LeadsRepo {
  insert(fields: LeadFields, at: string): Promise<number>;
  update(id: number, patch: Partial<LeadFields>, at: string): Promise<void>;
  fields(id: number): Promise<LeadFields | undefined>;
  get(id: number): Promise<Lead | undefined>;
  list(query: LeadQuery): Promise<Lead[]>;
  count(query: LeadQuery): Promise<number>;
  /** Stored leads sharing any of these (normalised) emails or E.164 phones. */
  matchContacts(emails: string[], phones: string[]): Promise<ContactMatch[]>;
  /**
   * The ids of the users a lead is assigned to, whoever asks: a rep refused a contact that is
   * on a lead hidden from them is told whom to ask (on PostgreSQL the lead itself stays hidden).
   */
  owners(id: number): Promise<number[]>;
  /** The lead's derived fields as kept (their meaning: DERIVED_FIELDS in src/domain/derived.ts). */
  derived(id: number): Promise<LeadDerived | undefined>;
}

export interface ActivitiesRepo {
  /** Records a timeline entry; one whose type isContactAttempt (src/domain/activity.ts) marks a lead not yet attempted, at its time. */
  add(activity: NewActivity): Promise<number>;
  forLead(leadId: number, limit?: number): Promise<Activity[]>;
  /** Re-homes a lead's activities onto another lead (merge). */
  reassign(fromLeadId: number, toLeadId: number): Promise<void>;
}
