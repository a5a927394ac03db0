/**
 * Erasure reaching the files the store tracks (issue 20): the reject and warnings files of bulk
 * imports hold rows of the people in them. Each is rewritten without the records that name the
 * person (an email, a phone however it was written, or one of their lead ids in the warnings'
 * crm_lead_id column): a temporary file beside it, 0600, renamed over it, so a crash leaves the
 * old file or the new one, never half of one. A file gone from disk is reported, not an error.
 */
import { chmodSync, closeSync, createReadStream, existsSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { createInterface } from 'node:readline';
import { openPrivate, PRIVATE_FILE } from '../../io/private.js';
import type { ImportRecord } from '../../domain/imports.js';

/** The reject and warnings files an import may have written (whether or not they exist). */
export function importFilesOf(rec: Pick<ImportRecord, 'id' | 'rejectsFile'>, dataDir: string): string[] {
  const own = join(dataDir, 'imports');
  const files = [join(own, `import-${rec.id}-rejects.csv`), join(own, `import-${rec.id}-warnings.csv`)];
  if (rec.rejectsFile) files.unshift(rec.rejectsFile, join(dirname(rec.rejectsFile), `${basename(rec.rejectsFile).replace(/\.csv$/i, '')}.warnings.csv`));
  return [...new Set(files)];
}

export interface PersonMatcher {
  emails: string[];
  phones: string[];
  leadIds: number[];
}

/** The cells of one CSV record (crm writes them: comma-separated, quotes doubled). */
function cellsOf(record: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < record.length; i++) {
    const ch = record[i]!;
    if (quoted) {
      if (ch === '"' && record[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') (cells.push(cell), (cell = ''));
    else cell += ch;
  }
  cells.push(cell);
  return cells;
}

/** Whether a record names the person: an email anywhere in it, a cell whose digits are one of their phones (with or without the country code), or their lead id in crm_lead_id. */
export function namesPerson(record: string, m: PersonMatcher, leadIdColumn: number): boolean {
  const lower = record.toLowerCase();
  if (m.emails.some((e) => lower.includes(e.toLowerCase()))) return true;
  const cells = cellsOf(record);
  if (leadIdColumn >= 0 && m.leadIds.includes(Number(cells[leadIdColumn]))) return true;
  const phones = m.phones.map((p) => p.replace(/\D/g, '')).filter((d) => d.length >= 6);
  if (!phones.length) return false;
  for (const c of cells) {
    for (const part of c.split(/[;,/|]/)) {
      const d = part.replace(/\D/g, '');
      if (d.length >= 6 && phones.some((p) => p.endsWith(d) || d.endsWith(p))) return true;
    }
  }
  return false;
}

export interface FileErasure {
  file: string;
  /** Records removed (0: the file did not name the person and was left as it was). */
  lines: number;
}

/** Rewrites one file without the person's records; null when the file is not there. */
export async function eraseFromFile(file: string, m: PersonMatcher): Promise<FileErasure | null> {
  if (!existsSync(file)) return null;
  const tmp = `${file}.erase-${process.pid}.tmp`;
  const fd = openPrivate(tmp, 'w');
  let removed = 0;
  try {
    let header: string[] | undefined;
    let leadIdColumn = -1;
    let pending = '';
    const rl = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
    for await (const line of rl) {
      // A quoted cell may hold line breaks: a record ends where its quotes are balanced.
      pending = pending ? `${pending}\n${line}` : line;
      if ((pending.match(/"/g)?.length ?? 0) % 2 === 1) continue;
      const record = pending;
      pending = '';
      if (!header) {
        header = cellsOf(record);
        leadIdColumn = header.indexOf('crm_lead_id');
        writeSync(fd, `${record}\n`);
        continue;
      }
      if (namesPerson(record, m, leadIdColumn)) removed++;
      else writeSync(fd, `${record}\n`);
    }
    if (pending) {
      if (namesPerson(pending, m, leadIdColumn)) removed++;
      else writeSync(fd, `${pending}\n`);
    }
  } catch (err) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
  closeSync(fd);
  if (!removed) {
    rmSync(tmp, { force: true });
    return { file, lines: 0 };
  }
  chmodSync(tmp, PRIVATE_FILE);
  renameSync(tmp, file);
  return { file, lines: removed };
}
