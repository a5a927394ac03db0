import type { MarketplaceConfig, MarketplaceRun } from '../../domain/intake.js';
import type { Store } from '../types.js';
import type { PgSql } from './sql.js';

interface ConfigRow {
  site: string;
  site_id: string;
  source_id: number | null;
  assignee_ids: string;
  every_minutes: number;
  base_url: string;
  actor_id: number;
  updated_at: string;
}

interface RunRow {
  id: number;
  site: string;
  started_at: string;
  since: string;
  ok: number;
  fetched: number;
  created: number;
  reengaged: number;
  existing: number;
  rejected: number;
  seen: number;
  error: string | null;
}

const toRun = (r: RunRow): MarketplaceRun => ({
  id: r.id, site: r.site, startedAt: r.started_at, since: r.since, ok: r.ok === 1,
  fetched: r.fetched, created: r.created, reengaged: r.reengaged, existing: r.existing, rejected: r.rejected, seen: r.seen, error: r.error,
});

export function marketplacesRepo(sql: PgSql): Store['marketplaces'] {
  return {
    async get(site) {
      const r = await sql.get<ConfigRow>('SELECT * FROM marketplaces WHERE site = ?', site);
      if (!r) return undefined;
      return {
        site: r.site, siteId: r.site_id, sourceId: r.source_id, assigneeIds: JSON.parse(r.assignee_ids) as number[],
        everyMinutes: r.every_minutes, baseUrl: r.base_url, actorId: r.actor_id, updatedAt: r.updated_at,
      } satisfies MarketplaceConfig;
    },
    async put(c) {
      await sql.run(
        `INSERT INTO marketplaces (site, site_id, source_id, assignee_ids, every_minutes, base_url, actor_id, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (site) DO UPDATE SET site_id = excluded.site_id, source_id = excluded.source_id, assignee_ids = excluded.assignee_ids,
           every_minutes = excluded.every_minutes, base_url = excluded.base_url, actor_id = excluded.actor_id, updated_at = excluded.updated_at`,
        c.site, c.siteId, c.sourceId, JSON.stringify(c.assigneeIds), c.everyMinutes, c.baseUrl, c.actorId, c.updatedAt,
      );
    },
    async addRun(r) {
      return sql.insert(
        'INSERT INTO marketplace_runs (site, started_at, since, ok, fetched, created, reengaged, existing, rejected, seen, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        r.site, r.startedAt, r.since, r.ok ? 1 : 0, r.fetched, r.created, r.reengaged, r.existing, r.rejected, r.seen, r.error,
      );
    },
    async lastRun(site, opts = {}) {
      const r = await sql.get<RunRow>(`SELECT * FROM marketplace_runs WHERE site = ?${opts.okOnly ? ' AND ok = 1' : ''} ORDER BY id DESC LIMIT 1`, site);
      return r && toRun(r);
    },
    async seen(site, inqIds) {
      // One statement for the batch: one primary-key lookup per id.
      if (!inqIds.length) return new Set<string>();
      const rows = await sql.all<{ inq_id: string }>('SELECT inq_id FROM marketplace_seen WHERE site = ? AND inq_id = ANY(?::text[])', site, inqIds);
      return new Set(rows.map((r) => r.inq_id));
    },
    async markSeen(site, inqId, leadId, outcome, at) {
      await sql.run('INSERT INTO marketplace_seen (site, inq_id, lead_id, outcome, at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING', site, inqId, leadId, outcome, at);
    },
  };
}

export function roundRobinRepo(sql: PgSql): Store['roundRobin'] {
  return {
    async take(name) {
      // One upsert: two takers at once are serialised on the row (the second waits for the
      // first's commit and increments what it wrote), so they never get the same value.
      const r = await sql.get<{ next: number }>(
        'INSERT INTO round_robin (name, next) VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET next = round_robin.next + 1 RETURNING next',
        name,
      );
      return r!.next - 1;
    },
    async peek(name) {
      return (await sql.get<{ next: number }>('SELECT next FROM round_robin WHERE name = ?', name))?.next ?? 0;
    },
  };
}
