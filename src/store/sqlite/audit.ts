import { SELECT, toAuditEntry, where, type AuditRow } from '../rows/audit.js';
import type { Store } from '../types.js';
import type { Sql } from './index.js';

export function auditRepo(sql: Sql): Store['audit'] {
  return {
    async append(e) {
      sql.run('INSERT INTO audit_log (at, user_id, action, lead_id, detail) VALUES (?, ?, ?, ?, ?)', e.at, e.userId, e.action, e.leadId, JSON.stringify(e.detail));
    },
    async list(q) {
      const w = where(q);
      return sql.db.prepare(`${SELECT} ${w.sql} ORDER BY a.at DESC, a.id DESC LIMIT ?`).all(...w.params, q.limit ?? -1).map((r) => toAuditEntry(r as AuditRow));
    },
  };
}
