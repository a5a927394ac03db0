import type { Segment, Store } from '../types.js';
import type { Sql } from './index.js';

interface SegmentRow {
  id: number;
  name: string;
  where_text: string;
  created_by_email: string | null;
  created_at: string;
}

const SELECT = 'SELECT g.*, u.email AS created_by_email FROM segments g LEFT JOIN users u ON u.id = g.created_by';
const toSegment = (r: SegmentRow): Segment => ({ id: r.id, name: r.name, where: r.where_text, createdBy: r.created_by_email, createdAt: r.created_at });

export function segmentsRepo(sql: Sql): Store['segments'] {
  return {
    async insert(s, at) {
      const res = sql.db.prepare('INSERT INTO segments (name, where_text, created_by, created_at) VALUES (?, ?, ?, ?)').run(s.name, s.where, s.createdBy, at);
      return Number(res.lastInsertRowid);
    },
    async byName(name) {
      const r = sql.get<SegmentRow>(`${SELECT} WHERE g.name = ? COLLATE NOCASE`, name);
      return r && toSegment(r);
    },
    async list() {
      return sql.all<SegmentRow>(`${SELECT} ORDER BY g.name COLLATE NOCASE`).map(toSegment);
    },
    async remove(id) {
      sql.run('DELETE FROM segments WHERE id = ?', id);
    },
  };
}
