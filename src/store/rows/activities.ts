/**
 * A lead's timeline as both backends read it (the same SQL text on SQLite and PostgreSQL): its
 * rows in activities, and for a lead created by a bulk import (leads.import_id set), the
 * 'created' entry the import did not write as a row (migrations: SQLite 0021, PostgreSQL 0005),
 * made from the lead's columns: at its creation time, by its creator, data { outcome, importId,
 * line } as an import's entry had. That entry has id 0 (it is no row; nothing takes an entry's id
 * as input) and sorts after the lead's other entries of the same time, first in time order.
 */
import type { Activity } from '../../domain/leads.js';

export interface ActivityRow {
  id: number;
  lead_id: number;
  type: string;
  at: string;
  user_id: number | null;
  user: string | null;
  body: string | null;
  data: string | null;
  import_id: number | null;
  import_line: number | null;
  import_junk: number | null;
}

/** Parameters: the lead's id, the lead's id again, the limit. */
export const FOR_LEAD = `
  SELECT t.* FROM (
    SELECT a.id, a.lead_id, a.type, a.at, a.user_id, u.email AS "user", a.body, a.data, NULL AS import_id, NULL AS import_line, NULL AS import_junk
      FROM activities a LEFT JOIN users u ON u.id = a.user_id
     WHERE a.lead_id = ?
    UNION ALL
    SELECT 0, l.id, 'created', l.created_at, l.created_by, u.email, NULL, NULL, l.import_id, l.import_line, l.import_junk
      FROM leads l LEFT JOIN users u ON u.id = l.created_by
     WHERE l.id = ? AND l.import_id IS NOT NULL
  ) t ORDER BY t.at DESC, t.id DESC LIMIT ?`;

export function toActivity(r: ActivityRow): Activity {
  const data =
    r.data !== null
      ? (JSON.parse(r.data) as Record<string, unknown>)
      : { outcome: Number(r.import_junk) === 1 ? 'junk' : 'new', importId: Number(r.import_id), line: Number(r.import_line) };
  return { id: Number(r.id), leadId: Number(r.lead_id), type: r.type, at: r.at, userId: r.user_id === null ? null : Number(r.user_id), user: r.user, body: r.body, data };
}

/**
 * Before a merge re-homes a lead's rows: its import's 'created' entry becomes a row of the lead
 * it goes to (as the row an import used to write would have moved), and the lead no longer
 * shows it. Parameters: the target's id, the merged lead's id; then (second statement) its id.
 */
export const MATERIALISE_CREATED = `
  INSERT INTO activities (lead_id, type, at, user_id, body, data)
    SELECT CAST(? AS bigint), 'created', l.created_at, l.created_by, NULL,
           '{"outcome":"' || CASE WHEN l.import_junk = 1 THEN 'junk' ELSE 'new' END || '","importId":' || l.import_id || ',"line":' || l.import_line || '}'
      FROM leads l WHERE l.id = ? AND l.import_id IS NOT NULL`;
export const FORGET_IMPORT = 'UPDATE leads SET import_id = NULL, import_line = NULL, import_junk = NULL WHERE id = ?';
