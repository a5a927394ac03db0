import { eraseStatements, recordQueries, SUPPRESS, suppressedQuery } from '../rows/people.js';
import type { Store } from '../types.js';
import type { Sql } from './index.js';

export function peopleRepo(sql: Sql): Store['people'] {
  return {
    async records(leadIds, addresses) {
      const out: Record<string, Record<string, unknown>[]> = {};
      for (const [name, q, params] of recordQueries(leadIds, addresses)) out[name] = sql.db.prepare(q).all(...params) as Record<string, unknown>[];
      return out;
    },
    async erase(leadIds, addresses, name) {
      const changed: Record<string, number> = {};
      for (const [table, q, params] of eraseStatements(leadIds, addresses, name)) changed[table] = (changed[table] ?? 0) + sql.db.prepare(q).run(...params).changes;
      return changed;
    },
    async suppress(hashes, at) {
      for (const h of hashes) sql.run(SUPPRESS, h, at);
    },
    async hasSuppressions() {
      return sql.get<{ any: number }>('SELECT EXISTS (SELECT 1 FROM suppressions) AS "any"')!.any === 1;
    },
    async suppressions() {
      return (sql.all<{ hash: string }>('SELECT hash FROM suppressions')).map((r) => r.hash);
    },
    async suppressed(hashes) {
      if (!hashes.length) return [];
      return sql.db.prepare(suppressedQuery(hashes.length)).all(...hashes).map((r) => (r as { hash: string }).hash);
    },
  };
}
