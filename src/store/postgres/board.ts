/** The board on PostgreSQL: the port of src/store/sqlite/board.ts. */
import type { BoardCardRow, BoardTotalRow } from '../../domain/board.js';
import type { LeadQuery } from '../../domain/leads.js';
import type { Store } from '../types.js';
import type { PgSql } from './sql.js';
import { where } from './leads.js';

interface CardRow {
  id: number;
  type: BoardCardRow['type'];
  name: string;
  business_name: string | null;
  stage_id: number;
  value_minor: number | null;
  currency: string;
  score: number;
  not_attempted: number;
  next_follow_up: string | null;
  overdue: number;
  updated_at: string;
}

/**
 * The board's reads: one grouped query for every column header, and pages of cards with
 * only the columns a card shows, so a 50,000-lead pipeline opens without loading it whole.
 */
export function boardRepo(sql: PgSql): Store['board'] {
  return {
    async totals(q: LeadQuery) {
      const w = where(q);
      const rows = await sql.all<{ stage_id: number; currency: string; n: number; v: number }>(
        `SELECT l.stage_id, l.currency, count(*) AS n, coalesce(sum(l.value_minor), 0) AS v
           FROM leads l ${w.sql}
          GROUP BY l.stage_id, l.currency`,
        ...w.params,
      );
      return rows.map((r): BoardTotalRow => ({ stageId: r.stage_id, currency: r.currency, count: r.n, valueMinor: r.v }));
    },

    async cards(q) {
      const w = where(q);
      let cond = w.sql;
      const params = [...w.params];
      if (q.ids) {
        if (q.ids.length === 0) return [];
        cond = `${cond ? `${cond} AND` : 'WHERE'} l.id = ANY(?::bigint[])`;
        params.push(q.ids);
      }
      // attempted_at is kept by the store (DERIVED_FIELDS in src/domain/derived.ts), as the dashboard counts "not attempted".
      // The follow-up subqueries run for this page only, on follow_ups_lead (lead_id, start_at).
      // overdue is a scalar subquery with LIMIT 1, not EXISTS: PostgreSQL turns an EXISTS into a
      // hashed subplan over every overdue follow-up of the store, built for each page (100k
      // follow-ups at 50k leads, analysed: 30 ms a column of 40 cards, instead of 1 ms).
      const rows = await sql.all<CardRow>(
        `SELECT l.id, l.type, l.name, l.business_name, l.stage_id, l.value_minor, l.currency, l.score, l.updated_at,
                (l.attempted_at IS NULL)::int AS not_attempted,
                (SELECT min(f.start_at) FROM follow_ups f
                  WHERE f.lead_id = l.id AND f.status IN ('scheduled', 'open') AND f.end_at >= ?) AS next_follow_up,
                coalesce((SELECT 1 FROM follow_ups f
                  WHERE f.lead_id = l.id AND f.status IN ('scheduled', 'open') AND f.end_at < ? LIMIT 1), 0) AS overdue
           FROM leads l ${cond}
          ORDER BY l.updated_at DESC, l.id DESC
          LIMIT ? OFFSET ?`,
        q.now, q.now, ...params, q.limit ?? null, q.offset ?? 0,
      );
      if (rows.length === 0) return [];
      const ids = rows.map((r) => r.id);
      const assignees = new Map<number, BoardCardRow['assignees']>();
      for (const a of await sql.all<{ lead_id: number; id: number; name: string; email: string }>(
        `SELECT la.lead_id, u.id, u.name, u.email FROM lead_assignees la JOIN users u ON u.id = la.user_id
          WHERE la.lead_id = ANY(?::bigint[]) ORDER BY u.name COLLATE "C"`,
        ids,
      )) {
        const list = assignees.get(a.lead_id);
        const user = { id: a.id, name: a.name, email: a.email };
        if (list) list.push(user);
        else assignees.set(a.lead_id, [user]);
      }
      return rows.map((r): BoardCardRow => ({
        id: r.id,
        type: r.type,
        name: r.name,
        businessName: r.business_name,
        stageId: r.stage_id,
        valueMinor: r.value_minor,
        currency: r.currency,
        score: r.score,
        assignees: assignees.get(r.id) ?? [],
        notAttempted: r.not_attempted === 1,
        nextFollowUpAt: r.next_follow_up,
        overdueFollowUp: r.overdue === 1,
        updatedAt: r.updated_at,
      }));
    },
  };
}
