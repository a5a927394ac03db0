/**
 * The JSON store's file format: one document, written whole, laid out for people and for `git
 * diff`. Tables in name order, each record on a line of its own, records by primary key, keys in
 * the schema's column order:
 *
 *   {
 *     "crm": "json-store",
 *     "schemaVersion": 31,
 *     "tables": {
 *       "activities": [
 *         {"id":1,"lead_id":1,"kind":"note",…},
 *         {"id":2,…}
 *       ],
 *       …
 *     }
 *   }
 *
 * A change to one lead changes its line (and the lines of what changed with it), nothing else.
 * Byte values (a proposal's PDF, an attachment) are written as {"$base64":"…"}.
 */
import { closeSync, fdatasyncSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { StoreError } from '../../errors.js';
import { PRIVATE_FILE } from '../../io/private.js';

export const FORMAT = 'json-store';

export interface Snapshot {
  schemaVersion: number;
  /** Rows of each table, as objects keyed by column name. */
  tables: Record<string, Record<string, unknown>[]>;
}

/** A value as the file keeps it: bytes as base64, everything else as SQLite gave it. */
function fileValue(_key: string, v: unknown): unknown {
  if (v && typeof v === 'object' && (v as { type?: string }).type === 'Buffer' && Array.isArray((v as { data?: unknown }).data)) {
    return { $base64: Buffer.from((v as { data: number[] }).data).toString('base64') };
  }
  return v;
}

/** A record's line in the file (without the indentation). */
export function recordLine(row: Record<string, unknown>): string {
  return JSON.stringify(row, fileValue);
}

/** One table's text from its records' lines: `"name": [` … `]`, a record a line. */
export function linesText(name: string, lines: readonly string[]): string {
  if (lines.length === 0) return `    ${JSON.stringify(name)}: []`;
  return `    ${JSON.stringify(name)}: [\n      ${lines.join(',\n      ')}\n    ]`;
}

/** One table's text. */
export function tableText(name: string, rows: readonly Record<string, unknown>[]): string {
  return linesText(name, rows.map(recordLine));
}

/** A part of the document as written: text, or bytes taken as they are from the file before. */
export type Part = string | Buffer;

/**
 * The whole document from each table's text (tableText), in name order, as the parts written
 * one after another: the tables' own parts are at the odd positions 1, 3, 5… (see `sections`).
 */
export function documentParts(schemaVersion: number, tables: readonly Part[]): Part[] {
  const parts: Part[] = [`{\n  "crm": "${FORMAT}",\n  "schemaVersion": ${schemaVersion},\n  "tables": {\n`];
  tables.forEach((t, i) => parts.push(t, i < tables.length - 1 ? ',\n' : '\n'));
  parts.push('  }\n}\n');
  return parts;
}

/** Where each table's text lies in the file documentParts made: [start, end) byte offsets, in table order. */
export function sections(parts: readonly Part[]): [number, number][] {
  const out: [number, number][] = [];
  let at = 0;
  parts.forEach((p, i) => {
    const n = typeof p === 'string' ? Buffer.byteLength(p) : p.length;
    if (i % 2 === 1) out.push([at, at + n]);
    at += n;
  });
  return out;
}

/** The whole document as one string. */
export function documentText(schemaVersion: number, tables: readonly string[]): string {
  return documentParts(schemaVersion, tables).join('');
}

/** Reads a document; a file that is not one gets a StoreError naming the file and, for bad JSON, where. */
export function parseDocument(file: string, text: string): Snapshot {
  let doc: unknown;
  try {
    doc = JSON.parse(text, (_k, v) => (v && typeof v === 'object' && typeof v.$base64 === 'string' && Object.keys(v).length === 1 ? Buffer.from(v.$base64, 'base64') : v));
  } catch (err) {
    const msg = (err as Error).message;
    const pos = /position (\d+)/.exec(msg);
    const where = pos ? ` at line ${text.slice(0, Number(pos[1])).split('\n').length}` : '';
    throw new StoreError(`${file} is not valid JSON${where}: ${msg}`, 'fix the file by hand, or restore a backup of it');
  }
  const d = doc as { crm?: unknown; schemaVersion?: unknown; tables?: unknown };
  if (!d || typeof d !== 'object' || d.crm !== FORMAT || typeof d.schemaVersion !== 'number' || !d.tables || typeof d.tables !== 'object') {
    throw new StoreError(`${file} is a JSON file but not a crm store (no "crm": "${FORMAT}", "schemaVersion" and "tables")`, { id: 'store.other-file' });
  }
  for (const [name, rows] of Object.entries(d.tables as Record<string, unknown>)) {
    if (!Array.isArray(rows) || rows.some((r) => !r || typeof r !== 'object' || Array.isArray(r))) {
      throw new StoreError(`${file}: table "${name}" must be a list of records ({…})`, 'fix the file by hand, or restore a backup of it');
    }
  }
  return { schemaVersion: d.schemaVersion, tables: d.tables as Snapshot['tables'] };
}

/**
 * Writes `text` over `file` atomically: a temporary file beside it (0600 whatever the umask),
 * flushed to disk, renamed over the file, the directory flushed. A reader sees the old document
 * or the new one, never a part; a crash leaves at worst the temporary file, which the next write
 * replaces.
 */
export function writeAtomically(file: string, text: string | readonly Part[], opts: { sync?: boolean } = {}): void {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  rmSync(tmp, { force: true });
  const fd = openSync(tmp, 'wx', PRIVATE_FILE);
  try {
    // Part by part (a table's text each): the document is never joined into one large string.
    for (const part of typeof text === 'string' ? [text] : text) {
      const buf = typeof part === 'string' ? Buffer.from(part, 'utf8') : part;
      let off = 0;
      while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    }
    if (opts.sync !== false) fdatasyncSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
  closeSync(fd);
  try {
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  if (opts.sync === false) return;
  try {
    const dfd = openSync(dirname(file), 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch {
    // some file systems cannot flush a directory: the rename is done all the same
  }
}
