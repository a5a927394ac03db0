import type { Source, Stage, StageOutcome, Tag } from '../../domain/pipeline.js';
import type { Store } from '../types.js';
import type { PgSql } from './sql.js';

interface StageRow {
  id: number;
  name: string;
  position: number;
  probability: number;
  outcome: StageOutcome;
}

export function taxonomyRepos(sql: PgSql): Pick<Store, 'stages' | 'sources' | 'tags'> {
  const stages: Store['stages'] = {
    async list() {
      return sql.all<StageRow>('SELECT id, name, position, probability, outcome FROM stages ORDER BY position, id');
    },
    async insert(s) {
      const id = await sql.insert('INSERT INTO stages (name, position, probability, outcome) VALUES (?, ?, ?, ?)', s.name, s.position, s.probability, s.outcome);
      return { ...s, id } satisfies Stage;
    },
    async update(id, patch) {
      if (patch.name !== undefined) await sql.run('UPDATE stages SET name = ? WHERE id = ?', patch.name, id);
      if (patch.probability !== undefined) await sql.run('UPDATE stages SET probability = ? WHERE id = ?', patch.probability, id);
      if (patch.outcome !== undefined) await sql.run('UPDATE stages SET outcome = ? WHERE id = ?', patch.outcome, id);
      if (patch.position !== undefined) await sql.run('UPDATE stages SET position = ? WHERE id = ?', patch.position, id);
    },
    async reorder(ids) {
      // One statement: positions 1…n in the order given.
      if (ids.length) await sql.run('UPDATE stages s SET position = o.n FROM unnest(?::bigint[]) WITH ORDINALITY AS o(id, n) WHERE s.id = o.id', ids);
    },
    async remove(id) {
      await sql.run('DELETE FROM stages WHERE id = ?', id);
    },
    async countLeads(id) {
      return (await sql.get<{ n: number }>('SELECT count(*) AS n FROM leads WHERE stage_id = ?', id))!.n;
    },
    async moveLeads(fromId, toId) {
      return (await sql.run('UPDATE leads SET stage_id = ? WHERE stage_id = ?', toId, fromId)).changes;
    },
  };

  const named = (table: 'sources' | 'tags', countSql: string) => ({
    async list() {
      return sql.all<Source | Tag>(`SELECT t.id, t.name, (${countSql}) AS leads FROM ${table} t ORDER BY t.name COLLATE NOCASE, t.id`);
    },
    async names() {
      return (await sql.all<{ name: string }>(`SELECT name FROM ${table} ORDER BY name COLLATE NOCASE, id`)).map((r) => r.name);
    },
    async byName(name: string) {
      return sql.get<Source | Tag>(`SELECT t.id, t.name, (${countSql}) AS leads FROM ${table} t WHERE t.name = ? COLLATE NOCASE`, name);
    },
    async insert(name: string) {
      const id = await sql.insert(`INSERT INTO ${table} (name) VALUES (?)`, name);
      return { id, name, leads: 0 };
    },
    async rename(id: number, name: string) {
      await sql.run(`UPDATE ${table} SET name = ? WHERE id = ?`, name, id);
    },
    async remove(id: number) {
      await sql.run(`DELETE FROM ${table} WHERE id = ?`, id);
    },
  });

  return {
    stages,
    // From the live counters (lead_stats, kept by triggers): a count over a million leads per source would be seconds.
    sources: named('sources', 'SELECT coalesce(sum(ls.count), 0) FROM lead_stats ls WHERE ls.source_id = t.id'),
    tags: named('tags', 'SELECT count(*) FROM lead_tags lt JOIN leads l ON l.id = lt.lead_id WHERE lt.tag_id = t.id AND l.deleted_at IS NULL'),
  };
}
