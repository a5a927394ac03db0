/** The call log's rows as both backends read them: the same SQL text and columns on SQLite and PostgreSQL. */
import type { Call, CallQuery, TwilioCall, TwilioCallChange } from '../../domain/calls.js';

export interface CallRow {
  id: number;
  lead_id: number;
  lead_name: string;
  user_id: number;
  user: string;
  direction: Call['direction'];
  outcome: Call['outcome'];
  number: string | null;
  start_at: string;
  end_at: string;
  duration_seconds: number;
  recording_url: string | null;
  note: string | null;
  follow_up_id: number | null;
  created_at: string;
}

export const SELECT = `SELECT c.*, l.name AS lead_name, u.email AS user FROM calls c JOIN leads l ON l.id = c.lead_id JOIN users u ON u.id = c.user_id`;

export function where(q: CallQuery): { sql: string; params: unknown[] } {
  const conds = ['l.deleted_at IS NULL'];
  const params: unknown[] = [];
  const inList = (col: string, values: unknown[]) => {
    conds.push(`${col} IN (${values.map(() => '?').join(', ')})`);
    params.push(...values);
  };
  if (q.ids) inList('c.id', q.ids.length ? q.ids : [null]);
  if (q.outcomes?.length) inList('c.outcome', q.outcomes);
  if (q.directions?.length) inList('c.direction', q.directions);
  const eq = (col: string, v: unknown) => {
    conds.push(col);
    params.push(v);
  };
  if (q.leadId !== undefined) eq('c.lead_id = ?', q.leadId);
  if (q.userId !== undefined) eq('c.user_id = ?', q.userId);
  if (q.from !== undefined) eq('c.start_at >= ?', q.from);
  if (q.to !== undefined) eq('c.start_at < ?', q.to);
  if (q.visibleTo !== undefined) {
    conds.push('(c.user_id = ? OR EXISTS (SELECT 1 FROM lead_assignees la WHERE la.lead_id = c.lead_id AND la.user_id = ?))');
    params.push(q.visibleTo, q.visibleTo);
  }
  return { sql: `WHERE ${conds.join(' AND ')}`, params };
}

export const toCall = (r: CallRow): Call => ({
  id: r.id,
  leadId: r.lead_id,
  leadName: r.lead_name,
  userId: r.user_id,
  user: r.user,
  direction: r.direction,
  outcome: r.outcome,
  number: r.number,
  startAt: r.start_at,
  endAt: r.end_at,
  durationSeconds: r.duration_seconds,
  recordingUrl: r.recording_url,
  note: r.note,
  followUpId: r.follow_up_id,
  createdAt: r.created_at,
});

/** twilio_calls as both backends read it. */
export interface TwilioCallRow {
  sid: string;
  direction: TwilioCall['direction'];
  lead_id: number | null;
  user_id: number | null;
  number: string;
  leg_to: string | null;
  status: string;
  leg_sid: string | null;
  leg_status: string | null;
  leg_seconds: number | null;
  recording_url: string | null;
  call_id: number | null;
  logged_at: string | null;
  wrapped_at: string | null;
  created_at: string;
  updated_at: string;
}

export const toTwilioCall = (r: TwilioCallRow): TwilioCall => ({
  sid: r.sid,
  direction: r.direction,
  leadId: r.lead_id === null ? null : Number(r.lead_id),
  userId: r.user_id === null ? null : Number(r.user_id),
  number: r.number,
  legTo: r.leg_to,
  status: r.status,
  legSid: r.leg_sid,
  legStatus: r.leg_status,
  legSeconds: r.leg_seconds === null ? null : Number(r.leg_seconds),
  recordingUrl: r.recording_url,
  callId: r.call_id === null ? null : Number(r.call_id),
  loggedAt: r.logged_at,
  wrappedAt: r.wrapped_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const TWILIO_COLUMNS: Record<keyof TwilioCallChange, string> = {
  status: 'status', legSid: 'leg_sid', legStatus: 'leg_status', legSeconds: 'leg_seconds', recordingUrl: 'recording_url',
  callId: 'call_id', loggedAt: 'logged_at', wrappedAt: 'wrapped_at',
};

/** The UPDATE of a Twilio call's changed fields (the same text on both backends). */
export function twilioUpdate(sid: string, change: TwilioCallChange, at: string): { sql: string; params: unknown[] } {
  const sets: string[] = [];
  const params: unknown[] = [];
  for (const [k, col] of Object.entries(TWILIO_COLUMNS) as [keyof TwilioCallChange, string][]) {
    if (change[k] === undefined) continue;
    sets.push(`${col} = ?`);
    params.push(change[k]);
  }
  sets.push('updated_at = ?');
  params.push(at, sid);
  return { sql: `UPDATE twilio_calls SET ${sets.join(', ')} WHERE sid = ?`, params };
}

export const INSERT_TWILIO = `INSERT INTO twilio_calls (sid, direction, lead_id, user_id, number, leg_to, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sid) DO NOTHING`;
