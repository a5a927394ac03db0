import { AUDIT_ACTIONS, type AuditAction, type AuditEntry } from '../../domain/audit.js';
import { UsageError } from '../../errors.js';
import { assertRole } from '../access.js';
import type { ServiceContext } from '../context.js';
import { findUser } from '../lookup.js';
import { dateOrderOf, parseTime, startOfLocalDay } from '../time/parse.js';

/** Appends an entry for what the actor just did (see src/domain/audit.ts: never a contact's email or phone in `detail`). */
export async function audit(ctx: Pick<ServiceContext, 'store' | 'actor' | 'now'>, action: AuditAction, leadId: number | null = null, detail: Record<string, unknown> = {}): Promise<void> {
  await ctx.store.audit.append({ at: ctx.now.toISOString(), userId: ctx.actor.id, action, leadId, detail });
}

export interface AuditFilter {
  /** A user's email. */
  user?: string;
  lead?: number;
  /** A time in any form `crm help dates` shows; a bare date means that day's start. */
  since?: string;
  action?: string;
  limit?: number;
}

/** The audit log, newest first: admins only (on PostgreSQL the database enforces it too). */
export async function listAudit(ctx: ServiceContext, f: AuditFilter, opts: { timeZone: string }): Promise<AuditEntry[]> {
  assertRole(ctx.actor, ['admin'], 'read the audit log');
  const userId = f.user === undefined ? undefined : (await findUser(ctx.store, f.user)).id;
  let since: string | undefined;
  if (f.since !== undefined) {
    const d = await parseTime(f.since, 'since', { now: ctx.now, timeZone: opts.timeZone, dateOrder: await dateOrderOf(ctx.store, ctx.actor) });
    since = (/^\d{4}-\d{2}-\d{2}$/.test(f.since.trim()) ? startOfLocalDay(d, opts.timeZone) : d).toISOString();
  }
  if (f.action !== undefined && !(AUDIT_ACTIONS as readonly string[]).includes(f.action)) {
    throw new UsageError(`unknown audit action '${f.action}'`, `use one of ${AUDIT_ACTIONS.join(', ')}`);
  }
  return ctx.store.audit.list({ userId, leadId: f.lead, since, action: f.action as AuditAction | undefined, limit: f.limit });
}
