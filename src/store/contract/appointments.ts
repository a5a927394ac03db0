/** The store contract: appointments. */
import type { Appointment, AppointmentQuery, NewAppointment } from '../../domain/appointments.js';

export interface AppointmentsRepo {
  insert(a: NewAppointment, at: string): Promise<number>;
  update(id: number, patch: Partial<Pick<Appointment, 'status' | 'outcome' | 'confirmedAt' | 'completedAt' | 'cancelledAt'>>, at: string): Promise<void>;
  get(id: number): Promise<Appointment | undefined>;
  list(query: AppointmentQuery): Promise<Appointment[]>;
  /** Merge: moves a lead's appointments onto another lead. */
  moveToLead(fromLeadId: number, toLeadId: number): Promise<void>;
}
