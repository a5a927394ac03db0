import { closeSync, existsSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { ConflictError } from '../errors.js';
import { openPrivate } from './private.js';

/** What a lock file holds: who holds it, since when, for which store. */
export interface PidInfo {
  pid: number;
  startedAt: string;
  db: string;
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function readPid(file: string): PidInfo | undefined {
  try {
    const info = JSON.parse(readFileSync(file, 'utf8')) as PidInfo;
    return typeof info.pid === 'number' ? info : undefined;
  } catch {
    return undefined;
  }
}

/** Who holds a lock file, if it is held: a file whose process is gone is stale. */
export function liveHolder(file: string): PidInfo | undefined {
  const info = readPid(file);
  return info && alive(info.pid) ? info : undefined;
}

/** What a refused lock says: held by a live process, or being taken right now. */
export interface LockMessages {
  held(other: PidInfo): ConflictError;
  starting(): ConflictError;
}

/**
 * Takes a lock file, created exclusively (O_EXCL) with the holder's PidInfo in it. A file left
 * by a process that died (kill -9) is stale: its process is gone, so it is removed and taken.
 * Returns the release function (which removes the file only while it is still ours).
 */
export function acquirePidLock(file: string, info: PidInfo, messages: LockMessages): () => void {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openPrivate(file, 'wx');
      writeSync(fd, `${JSON.stringify(info)}\n`);
      closeSync(fd);
      return () => {
        if (readPid(file)?.pid === info.pid) unlinkSync(file);
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const other = readPid(file);
      if (other && alive(other.pid) && other.pid !== info.pid) throw messages.held(other);
      // Created but not written yet: its taker is between open and write.
      if (!other && youngerThan(file, 5_000)) throw messages.starting();
      // Stale: its process is gone. Remove it and try again.
      if (existsSync(file)) {
        try {
          unlinkSync(file);
        } catch {
          // another process removed it first
        }
      }
    }
  }
  throw messages.starting();
}

function youngerThan(file: string, ms: number): boolean {
  try {
    return Date.now() - statSync(file).mtimeMs < ms;
  } catch {
    return false;
  }
}
