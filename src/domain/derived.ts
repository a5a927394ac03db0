/**
 * Derived fields: values a backend keeps so the dashboard, the board and the reports need not
 * scan timelines. What each one means is declared here, once; a backend may keep them however is
 * fast for it (SQLite: columns kept by store code or triggers, see migrations 0006, 0018, 0019)
 * as long as what it returns is what these definitions say. The contract suite
 * (test/store/contract/derived.test.ts) checks every backend against them.
 */
import type { Lead, LeadFields } from './leads.js';
import type { Stage } from './pipeline.js';
import type { LeadCubeRow } from './reports.js';

export const DERIVED_FIELDS = {
  attemptedAt: {
    of: 'lead',
    means:
      'when the lead was first attempted: the time of the first timeline entry recorded for it whose type isContactAttempt (./activity.ts), ' +
      'or the start of the first call logged on it, whichever was recorded first; null: not attempted. Entries moved onto it by a merge do not count.',
  },
  furthestStageId: {
    of: 'lead',
    means:
      'the furthest open stage the lead has reached, by stage position at the time of each move (furthestStageAfterMove); ' +
      'won and lost stages never count (the pipeline marks them); null until its stage first changes.',
  },
  leadStats: {
    of: 'team',
    means:
      'per (stage, source, type, status, currency, furthest stage) over every lead not deleted: how many, how many with a value, the value sum, ' +
      'how many not attempted, how many converted, and the days from creation to conversion summed (leadStatsOf); read by reports.leadCube.',
  },
} as const;

/** A lead's derived fields as a backend keeps them. */
export interface LeadDerived {
  attemptedAt: string | null;
  furthestStageId: number | null;
}

/**
 * The furthest stage after a lead moves from `fromStageId` to `toStageId`: of its furthest so far
 * (or, never moved, the stage it leaves) and the stage it enters, the open one with the highest
 * position; null when neither is open.
 */
export function furthestStageAfterMove(stages: Stage[], furthestStageId: number | null, fromStageId: number, toStageId: number): number | null {
  const byId = new Map(stages.map((s) => [s.id, s]));
  let best: Stage | undefined;
  for (const id of [furthestStageId ?? fromStageId, toStageId]) {
    const s = byId.get(id);
    if (s?.outcome === 'open' && (!best || s.position > best.position)) best = s;
  }
  return best?.id ?? null;
}

/** What leadStatsOf needs of one lead. */
export type LeadStatsInput = Pick<LeadFields, 'stageId' | 'sourceId' | 'type' | 'status' | 'currency' | 'valueMinor' | 'convertedAt' | 'deletedAt'> &
  Pick<Lead, 'createdAt'> & LeadDerived;

const DAY_MS = 86_400_000;

/** lead_stats by its definition: the rows reports.leadCube must return for these leads (deleted ones skipped; order by key). */
export function leadStatsOf(leads: LeadStatsInput[]): LeadCubeRow[] {
  const rows = new Map<string, LeadCubeRow>();
  for (const l of leads) {
    if (l.deletedAt !== null) continue;
    const key = JSON.stringify([l.stageId, l.sourceId, l.type, l.status, l.currency, l.furthestStageId]);
    let r = rows.get(key);
    if (!r) {
      r = {
        stageId: l.stageId, sourceId: l.sourceId, type: l.type, status: l.status, currency: l.currency, furthestStageId: l.furthestStageId,
        count: 0, valued: 0, valueMinor: 0, notAttempted: 0, converted: 0, cycleDays: 0,
      };
      rows.set(key, r);
    }
    r.count++;
    if (l.valueMinor !== null) {
      r.valued++;
      r.valueMinor += l.valueMinor;
    }
    if (l.attemptedAt === null) r.notAttempted++;
    if (l.convertedAt !== null) {
      r.converted++;
      r.cycleDays += (Date.parse(l.convertedAt) - Date.parse(l.createdAt)) / DAY_MS;
    }
  }
  return [...rows.values()].sort(compareCubeKeys);
}

/** Orders cube rows by their key, so two computations of the same cube compare equal. */
export function compareCubeKeys(a: LeadCubeRow, b: LeadCubeRow): number {
  const ka = [a.stageId, a.sourceId ?? 0, a.type, a.status, a.currency, a.furthestStageId ?? 0];
  const kb = [b.stageId, b.sourceId ?? 0, b.type, b.status, b.currency, b.furthestStageId ?? 0];
  for (let i = 0; i < ka.length; i++) {
    if (ka[i]! < kb[i]!) return -1;
    if (ka[i]! > kb[i]!) return 1;
  }
  return 0;
}
