/**
 * The audit log: who viewed, exported or erased a contact, who made a backup or restored one,
 * whose role changed, and every call an AI agent made through `crm mcp`. Append only: nothing
 * in crm updates or deletes an entry. Entries name a lead by id, never a contact's email or
 * phone, so that an erased person leaves no trace in it.
 */
export const AUDIT_ACTIONS = ['contact.view', 'contact.export', 'contact.erase', 'backup', 'restore', 'user.role', 'mcp.call'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface NewAuditEntry {
  at: string;
  /** Who acted (null: nobody signed in, e.g. the daemon's own jobs). */
  userId: number | null;
  action: AuditAction;
  leadId: number | null;
  /** What else is worth keeping: a tool's name, a file, a role (never a contact's email or phone). */
  detail: Record<string, unknown>;
}

export interface AuditEntry extends NewAuditEntry {
  id: number;
  /** The acting user's email, when there was one. */
  user: string | null;
}

export interface AuditQuery {
  userId?: number;
  leadId?: number;
  /** At or after this instant (UTC ISO-8601). */
  since?: string;
  action?: AuditAction;
  limit?: number;
}
