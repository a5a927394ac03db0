import { eraseStatements, recordQueries, SUPPRESS, suppressedQuery } from '../rows/people.js';
import type { Store } from '../types.js';
import type { PgSql } from './sql.js';

export function peopleRepo(sql: PgSql): Store['people'] {
  return {
    async records(leadIds, addresses) {
      const out: Record<string, Record<string, unknown>[]> = {};
      // One at a time: a transaction's statements share one connection.
      for (const [name, q, params] of recordQueries(leadIds, addresses)) out[name] = await sql.all(q, ...params);
      return out;
    },
    async erase(leadIds, addresses, name) {
      const changed: Record<string, number> = {};
      for (const [table, q, params] of eraseStatements(leadIds, addresses, name)) changed[table] = (changed[table] ?? 0) + ((await sql.run(q, ...params)).changes ?? 0);
      return changed;
    },
    async suppress(hashes, at) {
      for (const h of hashes) await sql.run(SUPPRESS, h, at);
    },
    async hasSuppressions() {
      return (await sql.get<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM suppressions) AS "any"'))!.any === true;
    },
    async suppressions() {
      return (await sql.all<{ hash: string }>('SELECT hash FROM suppressions')).map((r) => r.hash);
    },
    async suppressed(hashes) {
      if (!hashes.length) return [];
      return (await sql.all<{ hash: string }>(suppressedQuery(hashes.length), ...hashes)).map((r) => r.hash);
    },
  };
}
