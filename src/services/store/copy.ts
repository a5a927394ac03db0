import { liveHolder } from '../../io/pidlock.js';
import { copyStore as copyStoreAt } from '../../store/index.js';
import type { CopyResult } from '../../store/copy.js';
import { assertRole } from '../access.js';
import type { ServiceContext } from '../context.js';

export interface StoreCopy extends CopyResult {
  /** Rows of every table, added up. */
  rows: number;
  /** The source's daemon was running: what it writes after the copy's snapshot is not in the copy. */
  daemonRunning: boolean;
}

/**
 * Growing into a team store: every record of the acting store (leads and their timelines,
 * follow-ups, proposals, the outbox, settings…) into a new or empty store at `to`, SQLite or
 * PostgreSQL, ids kept, each table's row count checked. Admins only (the copy holds every
 * secret of the store).
 */
export async function copyStore(ctx: ServiceContext, to: string, onTable?: (t: { table: string; rows: number }) => void): Promise<StoreCopy> {
  assertRole(ctx.actor, ['admin'], 'copy the store');
  const result = await copyStoreAt(ctx.store.location, to, { onTable, actorId: ctx.actor.id });
  return {
    ...result,
    rows: result.tables.reduce((n, t) => n + t.rows, 0),
    daemonRunning: liveHolder(ctx.store.files.daemon().pid) !== undefined,
  };
}
