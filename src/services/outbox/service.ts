import { parseCount } from '../leads/normalize.js';
import { ConflictError, NotFoundError, UsageError, fieldRef } from '../../errors.js';
import type { OutboxMessage, OutboxStatus } from '../../domain/notify.js';
import { parseChannels } from '../notify/rules.js';
import { parseDuration } from '../time/parse.js';
import { assertRole } from '../access.js';
import type { ServiceContext } from '../context.js';

/** The outbox holds addresses of the whole team: admins and managers read it. */
export async function listOutbox(ctx: ServiceContext, f: { status?: OutboxStatus[]; limit?: string | number }): Promise<OutboxMessage[]> {
  assertRole(ctx.actor, ['admin', 'manager'], 'read the outbox');
  const limit = f.limit === undefined ? 100 : parseCount(f.limit, 'limit', 1);
  return ctx.store.outbox.list({ statuses: f.status, limit });
}

export async function showOutbox(ctx: ServiceContext, id: number): Promise<OutboxMessage> {
  assertRole(ctx.actor, ['admin', 'manager'], 'read the outbox');
  const m = await ctx.store.outbox.get(id);
  if (!m) throw new NotFoundError(`no notification with id ${id}`, { id: 'outbox.list' });
  return m;
}

/** Makes a failed or dead message due now with a fresh attempt count (after fixing what was wrong). */
export async function retryOutbox(ctx: ServiceContext, id: number): Promise<OutboxMessage> {
  assertRole(ctx.actor, ['admin'], 'retry notifications');
  return ctx.store.transaction(async () => {
    const m = await showOutbox(ctx, id);
    if (m.status !== 'failed' && m.status !== 'dead') throw new ConflictError(`notification ${id} is ${m.status}, not failed or dead`, 'only failed or dead notifications are retried');
    await ctx.store.outbox.retry(id, ctx.now.toISOString());
    return (await ctx.store.outbox.get(id))!;
  });
}

/** Which failed or dead messages to retry: by status (neither: both), rule, channel, and last failure within `since`. */
export interface RetryFilter {
  dead?: boolean;
  failed?: boolean;
  rule?: string;
  channel?: string;
  /** A duration back from now (1d, 2h): failed or dead since then. */
  since?: string;
}

/**
 * Makes every failed or dead message matching the filter due now with a fresh attempt count, in
 * one transaction; `dryRun` only lists them. Returns the messages (as they were, for a dry run).
 */
export async function retryOutboxWhere(ctx: ServiceContext, f: RetryFilter, o: { dryRun?: boolean } = {}): Promise<OutboxMessage[]> {
  assertRole(ctx.actor, ['admin'], 'retry notifications');
  if (!f.dead && !f.failed && f.rule === undefined && f.channel === undefined && f.since === undefined) {
    throw new UsageError('no notification chosen: give an id or a filter (dead, failed, rule, channel, since)', { id: 'outbox.dead' });
  }
  const statuses: OutboxStatus[] = f.dead || f.failed ? [...(f.failed ? ['failed' as const] : []), ...(f.dead ? ['dead' as const] : [])] : ['failed', 'dead'];
  const [channel] = f.channel === undefined ? [undefined] : parseChannels([f.channel]);
  const since = f.since === undefined ? undefined : new Date(ctx.now.getTime() - parseDuration(f.since, fieldRef('since')) * 1000).toISOString();
  return ctx.store.transaction(async () => {
    const found = await ctx.store.outbox.list({ statuses, rule: f.rule?.trim(), channel, since, limit: null });
    if (o.dryRun) return found;
    const out: OutboxMessage[] = [];
    for (const m of found) {
      await ctx.store.outbox.retry(m.id, ctx.now.toISOString());
      out.push((await ctx.store.outbox.get(m.id))!);
    }
    return out;
  });
}
