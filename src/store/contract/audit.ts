/** The store contract: the audit log (src/domain/audit.ts). */
import type { AuditEntry, AuditQuery, NewAuditEntry } from '../../domain/audit.js';

export interface AuditRepo {
  /**
   * Appends an entry. The log is append-only: no backend offers an update or a delete of it
   * (SQLite refuses them with triggers; PostgreSQL grants the app roles INSERT and SELECT only).
   */
  append(entry: NewAuditEntry): Promise<void>;
  /**
   * Entries matching the query, newest first. On PostgreSQL only an admin reads any (row-level
   * security): anyone else gets none.
   */
  list(query: AuditQuery): Promise<AuditEntry[]>;
}
