import { formatTimestamp } from '../../io/format.js';
import type { Column } from '../../io/output.js';
import type { Appointment } from '../../domain/appointments.js';

/** The stable --json shape of an appointment (docs/json.md). */
export function appointmentJson(a: Appointment) {
  return {
    id: a.id, leadId: a.leadId, lead: a.leadName, kind: a.kind, status: a.status, start: a.startAt, end: a.endAt,
    durationMinutes: a.durationMinutes, location: a.location, with: a.participants.map((p) => p.email), outcome: a.outcome,
    createdBy: a.createdBy, createdAt: a.createdAt, updatedAt: a.updatedAt, confirmedAt: a.confirmedAt, completedAt: a.completedAt, cancelledAt: a.cancelledAt,
  };
}

export function appointmentColumns(tz: string): Column<Appointment>[] {
  return [
    { header: 'ID', cell: (a) => a.id },
    { header: 'AT', cell: (a) => formatTimestamp(a.startAt, tz) },
    { header: 'MIN', cell: (a) => a.durationMinutes },
    { header: 'KIND', cell: (a) => a.kind },
    { header: 'STATUS', cell: (a) => a.status },
    { header: 'LEAD', cell: (a) => `${a.leadId} ${a.leadName}` },
    { header: 'LOCATION', cell: (a) => a.location },
    { header: 'WITH', cell: (a) => a.participants.map((p) => p.email).join(',') },
  ];
}
