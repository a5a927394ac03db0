import { writeFileSync } from 'node:fs';
import { UsageError } from '../errors.js';
import type { IO } from '../io/streams.js';

/**
 * Writes a document a command made (a proposal's or an invoice's PDF) where `-o` says: a file
 * (default `fallback`), or stdout for `-o -`, which --json cannot share. The file written, or
 * null when it went to stdout (nothing more to print then).
 */
export function writeDocument(io: IO, bytes: Buffer, output: string | undefined, fallback: string, json: boolean): string | null {
  const file = output ?? fallback;
  if (file === '-') {
    if (json) throw new UsageError('--json and -o - both write to stdout', 'write the PDF to a file with -o FILE');
    io.stdout.write(bytes);
    return null;
  }
  try {
    writeFileSync(file, bytes);
  } catch (err) {
    throw new UsageError(`cannot write '${file}': ${(err as Error).message}`, 'pick a writable path with -o');
  }
  return file;
}
