import type { Column } from '../../io/output.js';
import type { SegmentView } from '../../services/segments/service.js';
import type { Segment } from '../../domain/campaigns.js';

/** The stable --json shape of a segment (docs/json.md). */
export const segmentJson = (s: Segment & { count?: number }) => ({ id: s.id, name: s.name, where: s.where, count: s.count, createdBy: s.createdBy, createdAt: s.createdAt });

export const segmentColumns: Column<SegmentView>[] = [
  { header: 'ID', cell: (s) => s.id },
  { header: 'NAME', cell: (s) => s.name },
  { header: 'COUNT', cell: (s) => (s.count < 0 ? 'invalid' : s.count) },
  { header: 'WHERE', cell: (s) => s.where },
];
