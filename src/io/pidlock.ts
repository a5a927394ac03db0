import { closeSync, existsSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { ConflictError } from '../errors.js';
import { openPrivate } from './private.js';

/** What a lock file holds: who holds it, since when, for which store. */
export interface PidInfo {
  pid: number;
  startedAt: string;
  db: string;
  /**
   * The process's identity where /proc tells it (Linux): the boot and the start time in clock
   * ticks since boot. A pid reused by another process after a crash has another one.
   */
  proc?: string;
}

/** A process with this pid exists (perhaps a zombie, perhaps not the one you mean: see holds). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** What /proc says of a pid: gone (null), or its state letter and identity; undefined where there is no /proc (macOS). */
function procStat(pid: number): { state: string; proc: string } | null | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return existsSync('/proc/self/stat') ? null : undefined;
  }
  // pid (comm) state ppid … starttime (field 22): comm may hold spaces and parentheses.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0] ?? '', proc: `${bootId()}:${fields[19] ?? ''}` };
}

let boot: string | undefined;
function bootId(): string {
  if (boot === undefined) {
    try {
      boot = readFileSync('/proc/sys/kernel/random/boot_id', 'latin1').trim();
    } catch {
      boot = '';
    }
  }
  return boot;
}

/** This process's identity, to be written in its lock files. */
export function ownProc(): string | undefined {
  return procStat(process.pid)?.proc;
}

/**
 * The process a lock file names still holds it: it runs (a zombie, killed and not yet reaped,
 * does not), and it is the same process, not another that got its pid after a crash: the same
 * start time, where the file recorded one (a file from an older crm did not).
 * Without /proc (macOS), a live pid is the holder.
 */
export function holds(info: Pick<PidInfo, 'pid' | 'proc'>): boolean {
  if (!alive(info.pid)) return false;
  const st = procStat(info.pid);
  if (st === undefined) return true;
  if (st === null || st.state === 'Z' || st.state === 'X' || st.state === 'x') return false;
  return !info.proc || st.proc === info.proc;
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
  return info && holds(info) ? info : undefined;
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
      const proc = info.pid === process.pid ? ownProc() : undefined;
      writeSync(fd, `${JSON.stringify(proc ? { ...info, proc } : info)}\n`);
      closeSync(fd);
      return () => {
        if (readPid(file)?.pid === info.pid) unlinkSync(file);
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const other = readPid(file);
      if (other && holds(other) && other.pid !== info.pid) throw messages.held(other);
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
