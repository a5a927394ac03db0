import { readFileSync, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { UsageError, type Fix } from '../errors.js';
import { keyed } from '../domain/keyed.js';

const CONTENT_TYPES: Record<string, string> = keyed({
  '.pdf': 'application/pdf', '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.txt': 'text/plain',
  '.md': 'text/markdown', '.csv': 'text/csv', '.html': 'text/html', '.zip': 'application/zip',
  '.doc': 'application/msword', '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.ppt': 'application/vnd.ms-powerpoint', '.pptx': 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  '.xls': 'application/vnd.ms-excel', '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
});

/** The MIME type mailed with a file, by its extension. */
export function contentTypeOf(filename: string): string {
  return CONTENT_TYPES[extname(filename).toLowerCase()] ?? 'application/octet-stream';
}

export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/**
 * A file to mail with a message (a proposal template's files, a welcome's brochure), read when it
 * is configured: missing, unreadable, empty or over `maxBytes` is a UsageError naming the file;
 * `raiseHint` says how to allow a bigger one.
 */
export function readAttachment(path: string, maxBytes: number, raiseHint: string | Fix): { filename: string; contentType: string; content: Buffer } {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new UsageError(`the attachment '${path}' is not a file`, 'give the path of a file to attach');
    size = st.size;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`cannot read the attachment '${path}'`, { id: 'attachment.path' });
  }
  if (size === 0) throw new UsageError(`the attachment '${path}' is empty`, 'attach the file itself');
  if (size > maxBytes) throw new UsageError(`the attachment '${path}' is ${mb(size)}, over the ${mb(maxBytes)} limit`, raiseHint);
  const filename = basename(path);
  return { filename, contentType: contentTypeOf(filename), content: readFileSync(path) };
}
