import { SELECT, toAuditEntry, where, type AuditRow } from '../rows/audit.js';
import type { Store } from '../types.js';
import type { PgSql } from './sql.js';

export function auditRepo(sql: PgSql): Store['audit'] {
  return {
    // No RETURNING: a rep may append an entry but not read it back (row-level security).
    async append(e) {
      await sql.run('INSERT INTO audit_log (at, user_id, action, lead_id, detail) VALUES (?, ?, ?, ?, ?)', e.at, e.userId, e.action, e.leadId, JSON.stringify(e.detail));
    },
    async list(q) {
      const w = where(q);
      const limit = q.limit === undefined ? '' : ` LIMIT ${Math.trunc(q.limit)}`;
      return (await sql.all<AuditRow>(`${SELECT} ${w.sql} ORDER BY a.at DESC, a.id DESC${limit}`, ...w.params)).map(toAuditEntry);
    },
  };
}
