/**
 * Test data for the store contract suite, written through contract methods only (no SQL), so the
 * suite runs unchanged on any backend `CRM_TEST_STORE` names.
 */
import type { FollowUpFields } from '../../../src/domain/followups.js';
import type { LeadFields } from '../../../src/domain/leads.js';
import type { Store } from '../../../src/store/types.js';

export const T0 = '2026-11-23T09:00:00.000Z';

/** An ISO instant `minutes` after T0 (negative: before). */
export const at = (minutes: number): string => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

export async function stageIds(store: Store): Promise<Record<string, number>> {
  return Object.fromEntries((await store.stages.list()).map((s) => [s.name, s.id]));
}

export async function sourceIds(store: Store): Promise<Record<string, number>> {
  return Object.fromEntries((await store.sources.list()).map((s) => [s.name, s.id]));
}

/** Every field of a new lead, with neutral defaults. */
export function leadFields(stageId: number, overrides: Partial<LeadFields> = {}): LeadFields {
  return {
    type: 'lead', kind: 'person', name: 'A Lead', businessName: null, emails: [], phones: [], sourceId: null, stageId,
    score: 0, valueMinor: null, currency: 'EUR', expectedClose: null, assigneeIds: [], tags: [], birthday: null, address: null,
    custom: {}, status: 'active', lostReason: null, orderId: null, convertedAt: null, convertedBy: null, createdBy: null,
    mergedInto: null, deletedAt: null, ...overrides,
  };
}

/** Inserts a lead in the first stage of the pipeline (or the stage given). */
export async function insertLead(store: Store, overrides: Partial<LeadFields> = {}, when = T0): Promise<number> {
  const stageId = overrides.stageId ?? (await store.stages.list())[0]!.id;
  return store.transaction(() => store.leads.insert(leadFields(stageId, overrides), when));
}

export function followUpFields(leadId: number, overrides: Partial<FollowUpFields> = {}): FollowUpFields {
  return {
    leadId, title: 'Call back', type: 'call', priority: 'medium', status: 'scheduled', category: null, description: null,
    startAt: at(60), endAt: at(90), notifyBefore: [], channels: [], assigneeIds: [], seriesId: null, occurrence: null,
    ruleId: null, createdBy: null, completedAt: null, cancelledAt: null, ...overrides,
  };
}

export async function insertFollowUp(store: Store, leadId: number, overrides: Partial<FollowUpFields> = {}, when = T0): Promise<number> {
  return store.transaction(() => store.followUps.insert(followUpFields(leadId, overrides), when));
}
