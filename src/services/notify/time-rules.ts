import type { Store } from '../../store/types.js';
import { effectiveSetting } from '../settings/service.js';
import { enqueueForEvent } from './enqueue.js';
import { findRule, ruleConfig } from './rules.js';

/** How far back the not-attempted rule looks (older untouched leads were either announced or predate the rule). */
const LOOKBACK_MS = 7 * 24 * 3600_000;

/**
 * The time-based lead rule (N4): a lead with no activity other than 'created' N minutes after it
 * was created is announced to its rep, once (a rule mark, written with the outbox rows in one
 * transaction). Run every minute by the daemon; `now` is injected, so tests walk a day through it.
 */
export async function runNotAttempted(store: Store, now: Date, env: Record<string, string | undefined> = {}): Promise<number> {
  const settings = await store.settings.all();
  const rule = findRule('not-attempted');
  if (!ruleConfig(rule, settings).on) return 0;
  const minutes = Number(effectiveSetting(settings, env, 'notify.not-attempted-minutes'));
  const before = new Date(now.getTime() - minutes * 60_000);
  const after = new Date(before.getTime() - LOOKBACK_MS);
  let total = 0;
  for (;;) {
    const ids = await store.ruleMarks.notAttempted(rule.id, after.toISOString(), before.toISOString(), 100);
    if (ids.length === 0) break;
    for (const id of ids) {
      await store.transaction(async () => {
        if (!(await store.ruleMarks.mark(rule.id, id, now.toISOString()))) return;
        await enqueueForEvent(store, { type: 'lead.not-attempted', leadId: id, at: now.toISOString(), key: `lead${id}/not-attempted`, vars: { minutes: String(minutes) } });
        total++;
      });
    }
    if (ids.length < 100) break;
  }
  return total;
}
