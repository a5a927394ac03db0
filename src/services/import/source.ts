import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, openSync, readSync, closeSync, statSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform, type Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { NotFoundError, UsageError } from '../../errors.js';
import { detectEncoding, encodingName, type DetectedEncoding } from '../../io/csv.js';

/** A file to import, hashed: the hash is what identifies (and resumes) an import. */
export interface ImportSource {
  /** What the user named: a path, or '-' for stdin. */
  name: string;
  path: string;
  bytes: number;
  hash: string;
  /** Removes the spooled copy of stdin, if any. */
  cleanup(): void;
}

async function hashFile(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
  return h.digest('hex');
}

/**
 * Opens the input. stdin cannot be hashed before it has been read, so it is first copied to
 * a temporary file while hashing (memory stays flat): a piped import is then identified,
 * and resumable, exactly like a file with the same bytes.
 */
export async function openSource(file: string, stdin: Readable, tmpDir: string): Promise<ImportSource> {
  if (file === '-') {
    const path = join(tmpDir, `crm-import-stdin-${process.pid}-${Date.now()}.csv`);
    const h = createHash('sha256');
    const tee = new Transform({
      transform(chunk: Buffer, _enc, done) {
        h.update(chunk);
        done(null, chunk);
      },
    });
    await pipeline(stdin, tee, createWriteStream(path, { mode: 0o600 }));
    return { name: '-', path, bytes: statSync(path).size, hash: h.digest('hex'), cleanup: () => rmSync(path, { force: true }) };
  }
  let size: number;
  try {
    const st = statSync(file);
    if (st.isDirectory()) throw new UsageError(`${file} is a directory`, 'give a CSV file');
    size = st.size;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new NotFoundError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`, 'check the path');
  }
  return { name: file, path: file, bytes: size, hash: await hashFile(file), cleanup: () => {} };
}

export function readSample(path: string, bytes = 64 * 1024): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const n = readSync(fd, buf, 0, bytes, 0);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** The encoding to read with: --encoding, or detected from the first 64 KB. */
export async function chooseEncoding(sample: Buffer, requested: string | undefined, source: string, wholeFile: boolean): Promise<DetectedEncoding> {
  const detected = detectEncoding(sample, source, wholeFile);
  if (!requested || requested === 'auto') return detected;
  const enc = encodingName(requested);
  if (enc !== 'utf8') {
    const { encodingExists } = await import('../../vendor/iconv.js');
    if (!encodingExists(enc)) throw new UsageError(`unknown encoding '${requested}'`, 'use auto, utf8, win1252, latin1, utf16le, … (any encoding iconv-lite knows)');
  }
  // A BOM of the encoding asked for is still skipped.
  const bom = detected.bom && detected.encoding === enc ? detected.bom : 0;
  return { encoding: enc, bom, detected: false };
}

/** Decoded text of the file, chunk by chunk (1 MB reads), after its BOM. */
export async function* decodedChunks(path: string, enc: DetectedEncoding, onBytes: (n: number) => void): AsyncGenerator<string> {
  let decoder: { write(b: Buffer): string; end(): string | undefined };
  if (enc.encoding === 'utf8') decoder = new StringDecoder('utf8');
  else {
    const { getDecoder } = await import('../../vendor/iconv.js');
    decoder = getDecoder(enc.encoding, { stripBOM: true });
  }
  onBytes(enc.bom);
  for await (const chunk of createReadStream(path, { start: enc.bom, highWaterMark: 1 << 20 })) {
    onBytes((chunk as Buffer).length);
    const text = decoder.write(chunk as Buffer);
    if (text) yield text;
  }
  const tail = decoder.end();
  if (tail) yield tail;
}
