/** Routing, scoring and welcome rules on PostgreSQL: the port of src/store/sqlite/routing.ts. */
import type { RoutingRule, ScoringRule, WelcomeRule } from '../../domain/routing.js';
import type { Store } from '../types.js';
import type { PgSql } from './sql.js';

interface RoutingRow {
  id: number;
  name: string;
  position: number;
  conditions: string;
  user_id: number | null;
  group_name: string | null;
  created_by: number | null;
  created_at: string;
}

export function routingRepo(sql: PgSql): Store['routing'] {
  return {
    async rules() {
      return (await sql.all<RoutingRow>('SELECT * FROM routing_rules ORDER BY position, id')).map((r): RoutingRule => ({
        id: r.id, name: r.name, position: r.position, conditions: r.conditions, userId: r.user_id, group: r.group_name, createdBy: r.created_by, createdAt: r.created_at,
      }));
    },
    async insertRule(rule, position, at) {
      const last = (await sql.get<{ n: number }>('SELECT coalesce(max(position), 0) AS n FROM routing_rules'))!.n;
      const pos = position === null || position > last ? last + 1 : Math.max(1, position);
      // Two steps so the shift never collides with itself (positions are not unique, but stay tidy).
      await sql.run('UPDATE routing_rules SET position = position + 1 WHERE position >= ?', pos);
      return sql.insert(
        'INSERT INTO routing_rules (name, position, conditions, user_id, group_name, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        rule.name, pos, rule.conditions, rule.userId, rule.group, rule.createdBy, at,
      );
    },
    async removeRule(id) {
      const r = await sql.get<{ position: number }>('SELECT position FROM routing_rules WHERE id = ?', id);
      if (!r) return;
      await sql.run('DELETE FROM routing_rules WHERE id = ?', id);
      await sql.run('UPDATE routing_rules SET position = position - 1 WHERE position > ?', r.position);
    },
    async groups() {
      return (await sql.all<{ name: string; user_ids: string; created_at: string }>('SELECT * FROM routing_groups ORDER BY lower(name COLLATE "C")'))
        .map((g) => ({ name: g.name, userIds: JSON.parse(g.user_ids) as number[], createdAt: g.created_at }));
    },
    async putGroup(name, userIds, at) {
      await sql.run(
        'INSERT INTO routing_groups (name, user_ids, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET user_ids = excluded.user_ids',
        name, JSON.stringify(userIds), at,
      );
    },
    async removeGroup(name) {
      await sql.run('DELETE FROM routing_groups WHERE name = ?', name);
    },
  };
}

interface ScoringRow {
  id: number;
  name: string;
  conditions: string;
  points: number;
  days: number;
  created_by: number | null;
  created_at: string;
}

export function scoringRepo(sql: PgSql): Store['scoring'] {
  return {
    async rules() {
      return (await sql.all<ScoringRow>('SELECT * FROM scoring_rules ORDER BY id')).map((r): ScoringRule => ({
        id: r.id, name: r.name, conditions: r.conditions, points: r.points, days: r.days, createdBy: r.created_by, createdAt: r.created_at,
      }));
    },
    async insertRule(rule, at) {
      return sql.insert('INSERT INTO scoring_rules (name, conditions, points, days, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)', rule.name, rule.conditions, rule.points, rule.days, rule.createdBy, at);
    },
    async removeRule(id) {
      await sql.run('DELETE FROM scoring_rules WHERE id = ?', id);
    },
    async state(leadId) {
      return sql.get<{ base: number; points: number; at: string }>('SELECT base, points, at FROM lead_scores WHERE lead_id = ?', leadId);
    },
    async setState(leadId, s) {
      await sql.run(
        'INSERT INTO lead_scores (lead_id, base, points, at) VALUES (?, ?, ?, ?) ON CONFLICT (lead_id) DO UPDATE SET base = excluded.base, points = excluded.points, at = excluded.at',
        leadId, s.base, s.points, s.at,
      );
    },
    async activityCounts(leadId, types, since) {
      const counts: Record<string, number> = Object.fromEntries(types.map((t) => [t, 0]));
      if (!types.length) return counts;
      const rows = await sql.all<{ type: string; n: number }>(
        `SELECT type, count(*) AS n FROM activities WHERE lead_id = ? AND at >= ? AND type IN (${types.map(() => '?').join(', ')}) GROUP BY type`,
        leadId, since, ...types,
      );
      for (const r of rows) counts[r.type] = r.n;
      return counts;
    },
    async liveLeadIds() {
      return (await sql.all<{ id: number }>('SELECT id FROM leads WHERE deleted_at IS NULL ORDER BY id')).map((r) => r.id);
    },
  };
}

interface WelcomeRow {
  id: number;
  source: string;
  via: string;
  channel: WelcomeRule['channel'];
  template: string;
  attach_name: string | null;
  attach_type: string | null;
  attach_size: number | null;
  created_by: number | null;
  created_at: string;
}

export function welcomeRepo(sql: PgSql): Store['welcome'] {
  return {
    async list() {
      const rows = await sql.all<WelcomeRow>('SELECT id, source, via, channel, template, attach_name, attach_type, attach_size, created_by, created_at FROM welcome_rules ORDER BY lower(source COLLATE "C"), via COLLATE "C", channel COLLATE "C"');
      return rows.map((r): WelcomeRule => ({
        id: r.id, source: r.source, via: r.via, channel: r.channel, template: r.template,
        attachment: r.attach_name ? { filename: r.attach_name, contentType: r.attach_type ?? 'application/octet-stream', size: r.attach_size ?? 0 } : null,
        createdBy: r.created_by, createdAt: r.created_at,
      }));
    },
    async put(w, at) {
      await sql.run('DELETE FROM welcome_rules WHERE source = ? AND via = ? AND channel = ?', w.source, w.via, w.channel);
      return sql.insert(
        'INSERT INTO welcome_rules (source, via, channel, template, attach_name, attach_type, attach_size, attach_data, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        w.source, w.via, w.channel, w.template, w.attachment?.filename ?? null, w.attachment?.contentType ?? null, w.attachment?.size ?? null, w.attachmentData, w.createdBy, at,
      );
    },
    async remove(id) {
      await sql.run('DELETE FROM welcome_rules WHERE id = ?', id);
    },
    async attachmentData(id) {
      return (await sql.get<{ d: Buffer | null }>('SELECT attach_data AS d FROM welcome_rules WHERE id = ?', id))?.d ?? undefined;
    },
  };
}
