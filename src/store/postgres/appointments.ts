/**
 * Appointments (demos, meetings) on PostgreSQL: the port of src/store/sqlite/appointments.ts.
 * Orders here and in the sibling ports (followups, calls, proposals, routing): a NOCASE column sorts
 * as SQLite's NOCASE does (ASCII letters folded, then code points): lower() under "C", where the ICU
 * nocase collation (kept for equality) would sort linguistically; binary text sorts COLLATE "C".
 */
import type { Appointment } from '../../domain/appointments.js';
import type { Store } from '../types.js';
import type { PgSql } from './sql.js';

interface AppointmentRow {
  id: number;
  lead_id: number;
  lead_name: string;
  kind: Appointment['kind'];
  status: Appointment['status'];
  start_at: string;
  end_at: string;
  duration_minutes: number;
  location: string | null;
  outcome: string | null;
  created_by_email: string | null;
  created_at: string;
  updated_at: string;
  confirmed_at: string | null;
  completed_at: string | null;
  cancelled_at: string | null;
  participants: Appointment['participants'];
}

/** With its participants by email (one round trip; SQLite reads them in a second query). */
const SELECT = `SELECT a.*, l.name AS lead_name, u.email AS created_by_email,
    coalesce((SELECT json_agg(json_build_object('email', p.email, 'userId', p.user_id) ORDER BY lower(p.email COLLATE "C"))
                FROM appointment_participants p WHERE p.appointment_id = a.id), '[]') AS participants
  FROM appointments a JOIN leads l ON l.id = a.lead_id LEFT JOIN users u ON u.id = a.created_by`;

const PATCH_COLUMNS = { status: 'status', outcome: 'outcome', confirmedAt: 'confirmed_at', completedAt: 'completed_at', cancelledAt: 'cancelled_at' } as const;

export function appointmentsRepo(sql: PgSql): Store['appointments'] {
  function hydrate(rows: AppointmentRow[]): Appointment[] {
    return rows.map((r) => ({
      id: r.id,
      leadId: r.lead_id,
      leadName: r.lead_name,
      kind: r.kind,
      status: r.status,
      startAt: r.start_at,
      endAt: r.end_at,
      durationMinutes: r.duration_minutes,
      location: r.location,
      participants: r.participants,
      outcome: r.outcome,
      createdBy: r.created_by_email,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      confirmedAt: r.confirmed_at,
      completedAt: r.completed_at,
      cancelledAt: r.cancelled_at,
    }));
  }
  return {
    async insert(a, at) {
      const id = await sql.insert(
        `INSERT INTO appointments (lead_id, kind, status, start_at, end_at, duration_minutes, location, created_by, created_at, updated_at)
         VALUES (?, ?, 'scheduled', ?, ?, ?, ?, ?, ?, ?)`,
        a.leadId, a.kind, a.startAt, a.endAt, a.durationMinutes, a.location, a.createdBy, at, at,
      );
      for (const p of a.participants) {
        await sql.run('INSERT INTO appointment_participants (appointment_id, email, user_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING', id, p.email, p.userId);
      }
      return id;
    },
    async update(id, patch, at) {
      const cols: string[] = ['updated_at = ?'];
      const vals: unknown[] = [at];
      for (const [key, col] of Object.entries(PATCH_COLUMNS) as [keyof typeof PATCH_COLUMNS, string][]) {
        if (patch[key] === undefined) continue;
        cols.push(`${col} = ?`);
        vals.push(patch[key]);
      }
      await sql.run(`UPDATE appointments SET ${cols.join(', ')} WHERE id = ?`, ...vals, id);
    },
    async get(id) {
      return hydrate(await sql.all<AppointmentRow>(`${SELECT} WHERE a.id = ?`, id))[0];
    },
    async moveToLead(fromLeadId, toLeadId) {
      await sql.run('UPDATE appointments SET lead_id = ? WHERE lead_id = ?', toLeadId, fromLeadId);
    },
    async list(q) {
      const conds = ['l.deleted_at IS NULL'];
      const params: unknown[] = [];
      if (q.leadId !== undefined) {
        conds.push('a.lead_id = ?');
        params.push(q.leadId);
      }
      if (q.statuses?.length) {
        conds.push(`a.status IN (${q.statuses.map(() => '?').join(', ')})`);
        params.push(...q.statuses);
      }
      if (q.startFrom !== undefined) {
        conds.push('a.start_at >= ?');
        params.push(q.startFrom);
      }
      if (q.startBefore !== undefined) {
        conds.push('a.start_at < ?');
        params.push(q.startBefore);
      }
      if (q.visibleTo !== undefined) {
        conds.push(`(a.created_by = ? OR EXISTS (SELECT 1 FROM appointment_participants p WHERE p.appointment_id = a.id AND p.user_id = ?)
          OR EXISTS (SELECT 1 FROM lead_assignees la WHERE la.lead_id = a.lead_id AND la.user_id = ?))`);
        params.push(q.visibleTo, q.visibleTo, q.visibleTo);
      }
      // LIMIT NULL is no limit (SQLite's LIMIT -1).
      return hydrate(await sql.all<AppointmentRow>(`${SELECT} WHERE ${conds.join(' AND ')} ORDER BY a.start_at, a.id LIMIT ?`, ...params, q.limit ?? null));
    },
  };
}
