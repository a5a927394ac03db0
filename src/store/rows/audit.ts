/** The audit log's row type, SELECT, filter and mapper, read by both backends. */
import type { AuditAction, AuditEntry, AuditQuery } from '../../domain/audit.js';

export interface AuditRow {
  id: number;
  at: string;
  user_id: number | null;
  user: string | null;
  action: string;
  lead_id: number | null;
  detail: string;
}

export const SELECT = 'SELECT a.id, a.at, a.user_id, u.email AS "user", a.action, a.lead_id, a.detail FROM audit_log a LEFT JOIN users u ON u.id = a.user_id';

export function where(q: AuditQuery): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (q.userId !== undefined) (parts.push('a.user_id = ?'), params.push(q.userId));
  if (q.leadId !== undefined) (parts.push('a.lead_id = ?'), params.push(q.leadId));
  if (q.since !== undefined) (parts.push('a.at >= ?'), params.push(q.since));
  if (q.action !== undefined) (parts.push('a.action = ?'), params.push(q.action));
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

export function toAuditEntry(r: AuditRow): AuditEntry {
  return {
    id: Number(r.id),
    at: r.at,
    userId: r.user_id === null ? null : Number(r.user_id),
    user: r.user,
    action: r.action as AuditAction,
    leadId: r.lead_id === null ? null : Number(r.lead_id),
    detail: JSON.parse(r.detail) as Record<string, unknown>,
  };
}
