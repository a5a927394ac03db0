/** The store contract: imports, maintenance. */
import type { BulkLead, ImportProgress, ImportRecord, NewImport } from '../../domain/imports.js';
import type { ContactMatch } from '../../domain/leads.js';

export interface ImportsRepo {
  create(rec: NewImport): Promise<ImportRecord>;
  get(id: number): Promise<ImportRecord | undefined>;
  /** The most recent import of a file with this content hash. */
  latestByHash(hash: string): Promise<ImportRecord | undefined>;
  list(limit?: number): Promise<ImportRecord[]>;
  progress(id: number, patch: ImportProgress): Promise<void>;
  /** leads.matchContacts for a whole batch: emails already lower-cased; one indexed lookup per value. */
  matchContacts(emailsNorm: string[], phones: string[]): Promise<ContactMatch[]>;
  /**
   * Many writes follow (a bulk import; call outside a transaction): a backend may tune its
   * connection for them, or do nothing. Durability is never traded away.
   */
  beginBulk(): Promise<void>;
  /**
   * Inserts many new leads, and adds their counts to the lead statistics in one step; call
   * inside a transaction. Returns their ids, in order. No timeline row is written: each lead
   * keeps its import and line, and activities.forLead shows them as its 'created' entry (by
   * its creator, fields.createdBy; data { outcome: 'junk' when created junk else 'new', importId, line }).
   * A lead's createdAt, when given, is its creation time (and its 'created' entry's); `at` otherwise.
   * updated_at is always `at`.
   */
  insertLeads(leads: BulkLead[], at: string): Promise<number[]>;
  /**
   * A dry run's memory of the contacts it has seen (nothing is written to the store): key →
   * owner (> 0 a stored lead's id, < 0 the n-th new row as -n - 1). Private to this handle and
   * gone when it closes; a backend keeps it where it stays small in memory whatever the file's
   * size (SQLite: a temporary table spilled to a temporary file).
   */
  recall(keys: string[]): Promise<Map<string, number>>;
  remember(entries: [string, number][]): Promise<void>;
}

export interface MaintenanceRepo {
  /** Every custom field key used by any lead, sorted (export columns). */
  customKeys(): Promise<string[]>;
}
