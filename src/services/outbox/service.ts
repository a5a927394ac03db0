import { parseCount } from '../leads/normalize.js';
import { ConflictError, NotFoundError } from '../../errors.js';
import type { OutboxMessage, OutboxStatus } from '../../domain/notify.js';
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
