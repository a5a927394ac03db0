export const APPOINTMENT_KINDS = ['demo', 'meeting'] as const;
export type AppointmentKind = (typeof APPOINTMENT_KINDS)[number];

export const APPOINTMENT_STATUSES = ['scheduled', 'confirmed', 'completed', 'cancelled', 'no-show'] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

export interface Appointment {
  id: number;
  leadId: number;
  leadName: string;
  kind: AppointmentKind;
  status: AppointmentStatus;
  startAt: string;
  endAt: string;
  durationMinutes: number;
  location: string | null;
  /** Emails of the people attending on our side (users) or the client's. */
  participants: { email: string; userId: number | null }[];
  outcome: string | null;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  confirmedAt: string | null;
  completedAt: string | null;
  cancelledAt: string | null;
}

export type NewAppointment = Omit<Appointment, 'id' | 'leadName' | 'createdBy' | 'createdAt' | 'updatedAt' | 'confirmedAt' | 'completedAt' | 'cancelledAt' | 'outcome' | 'status'> & { createdBy: number };

export interface AppointmentQuery {
  leadId?: number;
  statuses?: AppointmentStatus[];
  startFrom?: string;
  startBefore?: string;
  visibleTo?: number;
  limit?: number;
}
