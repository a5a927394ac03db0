import type { ConsentChannel, ConsentEntry } from '../../domain/consent.js';
import { consentStatements, grantedQuery, HISTORY, type HistoryRow } from '../rows/consent.js';
import type { Store } from '../types.js';
import type { Sql } from './index.js';

export const entryOf = (r: HistoryRow): ConsentEntry => ({
  id: Number(r.id), leadId: Number(r.lead_id), channel: r.channel as ConsentChannel, state: r.state as ConsentEntry['state'],
  source: r.source as ConsentEntry['source'], at: r.at, userId: r.user_id === null ? null : Number(r.user_id), user: r.user_email, note: r.note,
});

/** `transaction`: the store's, so an entry and its opt-out are written together (joining the caller's if open). */
export function consentRepo(sql: Sql, transaction: <T>(fn: () => Promise<T>) => Promise<T>): Store['consent'] {
  return {
    async record(entries) {
      if (!entries.length) return;
      await transaction(async () => {
        for (const e of entries) for (const [q, params] of consentStatements(e)) sql.run(q, ...params);
      });
    },
    async history(leadId) {
      return sql.all<HistoryRow>(HISTORY, leadId).map(entryOf);
    },
    async granted(leadIds: number[], channel: ConsentChannel) {
      const out = new Set<number>();
      // Chunks stay far below SQLite's limit on bound parameters.
      for (let i = 0; i < leadIds.length; i += 5000) {
        const ids = leadIds.slice(i, i + 5000);
        for (const r of sql.all<{ lead_id: number }>(grantedQuery(ids.length), ...ids, channel)) out.add(Number(r.lead_id));
      }
      return out;
    },
  };
}
