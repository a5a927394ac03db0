import { formatTimestamp } from '../../io/format.js';
import type { Column } from '../../io/output.js';
import { formatDuration } from '../../services/time/parse.js';
import type { Call, CallSummaryRow } from '../../domain/calls.js';

/** The stable --json shape of a call (docs/json.md). */
export function callJson(c: Call) {
  return {
    id: c.id, leadId: c.leadId, lead: c.leadName, user: c.user, direction: c.direction, outcome: c.outcome, number: c.number,
    start: c.startAt, end: c.endAt, durationSeconds: c.durationSeconds, recordingUrl: c.recordingUrl, note: c.note,
    followUpId: c.followUpId, createdAt: c.createdAt,
  };
}

export function callColumns(tz: string): Column<Call>[] {
  return [
    { header: 'ID', cell: (c) => c.id },
    { header: 'AT', cell: (c) => formatTimestamp(c.startAt, tz) },
    { header: 'LEAD', cell: (c) => `${c.leadId} ${c.leadName}` },
    { header: 'USER', cell: (c) => c.user },
    { header: 'DIR', cell: (c) => c.direction },
    { header: 'OUTCOME', cell: (c) => c.outcome },
    { header: 'DURATION', cell: (c) => formatDuration(c.durationSeconds) },
    { header: 'NUMBER', cell: (c) => c.number },
    { header: 'NOTE', cell: (c) => c.note },
  ];
}

export function summaryJson(r: CallSummaryRow) {
  return { user: r.user, name: r.name, today: r.today, yesterday: r.yesterday, thisMonth: r.thisMonth, all: r.all, talkSeconds: r.talkSeconds };
}

export const summaryColumns: Column<CallSummaryRow & { id: number }>[] = [
  { header: 'USER', cell: (r) => r.user },
  { header: 'TODAY', cell: (r) => r.today },
  { header: 'YESTERDAY', cell: (r) => r.yesterday },
  { header: 'THIS MONTH', cell: (r) => r.thisMonth },
  { header: 'ALL', cell: (r) => r.all },
  { header: 'TALK TIME', cell: (r) => formatDuration(r.talkSeconds) },
];
