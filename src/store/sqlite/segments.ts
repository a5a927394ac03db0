import type { Campaign, Segment, Store } from '../types.js';
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

interface CampaignRow {
  id: number;
  name: string;
  type: Campaign['type'];
  audience: string;
  tag: string | null;
  subject: string | null;
  body: string;
  status: Campaign['status'];
  created_by_email: string | null;
  created_at: string;
  sent_at: string | null;
}
const SELECT_CAMPAIGN = 'SELECT c.*, u.email AS created_by_email FROM campaigns c LEFT JOIN users u ON u.id = c.created_by';
const toCampaign = (r: CampaignRow): Campaign => ({
  id: r.id, name: r.name, type: r.type, audience: r.audience, tag: r.tag, subject: r.subject, body: r.body, status: r.status,
  createdBy: r.created_by_email, createdAt: r.created_at, sentAt: r.sent_at,
});

export function campaignsRepo(sql: Sql): Store['campaigns'] {
  return {
    async insert(c, at) {
      const res = sql.run('INSERT INTO campaigns (name, type, audience, tag, subject, body, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        c.name, c.type, c.audience, c.tag, c.subject, c.body, c.createdBy, at);
      return Number(res.lastInsertRowid);
    },
    async get(id) {
      const r = sql.get<CampaignRow>(`${SELECT_CAMPAIGN} WHERE c.id = ?`, id);
      return r && toCampaign(r);
    },
    async list() {
      return sql.all<CampaignRow>(`${SELECT_CAMPAIGN} ORDER BY c.id DESC`).map(toCampaign);
    },
  };
}
