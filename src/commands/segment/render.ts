import type { Column } from '../../io/output.js';
import type { SegmentView } from '../../services/segments/service.js';
import type { Segment } from '../../domain/campaigns.js';

/** The stable --json shape of a segment (docs/json.md). */
export const segmentJson = (s: Segment & { count?: number; broken?: string }) => ({ id: s.id, name: s.name, where: s.where, count: s.count, ...(s.broken ? { broken: s.broken } : {}), createdBy: s.createdBy, createdAt: s.createdAt });

export const segmentColumns: Column<SegmentView>[] = [
  { header: 'ID', cell: (s) => s.id },
  { header: 'NAME', cell: (s) => s.name },
  { header: 'COUNT', cell: (s) => (s.broken ? 'broken' : s.count) },
  { header: 'WHERE', cell: (s) => s.where },
];
