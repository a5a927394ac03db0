import type { LeadFields } from './leads.js';

export const IMPORT_STATUSES = ['running', 'done', 'stopped'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

/** What an import did to its rows so far (cumulative across resumed runs). */
export interface ImportCounts {
  rows: number;
  imported: number;
  junk: number;
  reengaged: number;
  updated: number;
  merged: number;
  skipped: number;
  rejected: number;
  /** Rows whose email or phone belongs to an erased person: refused (also counted in rejected) or imported flagged, as privacy.suppressed says. */
  suppressed: number;
}

/** One bulk import (I1), identified by the SHA-256 of its file's bytes. */
export interface ImportRecord extends ImportCounts {
  id: number;
  file: string;
  contentHash: string;
  bytes: number;
  status: ImportStatus;
  options: Record<string, unknown>;
  userId: number | null;
  user: string | null;
  startedAt: string;
  finishedAt: string | null;
  /** The last source line whose row has been applied (committed with the leads). */
  lastLine: number;
  rejectsFile: string | null;
  /** Size of the reject file when lastLine was committed: a resumed run truncates to it. */
  rejectsBytes: number;
}

export type NewImport = Pick<ImportRecord, 'file' | 'contentHash' | 'bytes' | 'options' | 'userId' | 'startedAt' | 'rejectsFile'>;

export type ImportProgress = Partial<ImportCounts & Pick<ImportRecord, 'status' | 'lastLine' | 'rejectsBytes' | 'finishedAt' | 'rejectsFile'>>;

/**
 * A new lead written by a bulk import. It gets no 'created' timeline row of its own: the lead
 * keeps which import and line created it, and its timeline shows that as its 'created' entry
 * (data: outcome 'new' or 'junk' as its status was, importId, line).
 */
export interface BulkLead {
  fields: LeadFields;
  importId: number;
  /** The source line of the row that created it. */
  line: number;
  /** When the lead was created where it came from (ISO-8601 UTC): its created_at and its 'created' entry's time; absent: the import's time. */
  createdAt?: string;
}
