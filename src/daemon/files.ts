import { closeSync, existsSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { ConflictError } from '../errors.js';

/** The daemon's files sit beside its store: one daemon per store. */
export function daemonFiles(dbFile: string): { pid: string; log: string; http: string } {
  return { pid: `${dbFile}.daemon.pid`, log: `${dbFile}.daemon.log`, http: `${dbFile}.daemon.http.json` };
}

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

/** The running daemon of a store, if any (a PID file whose process is gone is stale). */
export function runningDaemon(pidFile: string): PidInfo | undefined {
  const info = readPid(pidFile);
  return info && alive(info.pid) ? info : undefined;
}

/**
 * Takes the store's daemon lock: the PID file, created exclusively (O_EXCL). A file left by a
 * daemon that died (kill -9) is stale: its process is gone, so it is removed and taken.
 */
export function acquireLock(pidFile: string, info: PidInfo): () => void {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(pidFile, 'wx', 0o644);
      writeSync(fd, `${JSON.stringify(info)}\n`);
      closeSync(fd);
      return () => {
        if (readPid(pidFile)?.pid === info.pid) unlinkSync(pidFile);
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const other = readPid(pidFile);
      if (other && alive(other.pid) && other.pid !== info.pid) {
        throw new ConflictError(`the daemon is already running for ${info.db} (pid ${other.pid}, since ${other.startedAt})`, 'stop it with crm daemon stop, or see crm daemon status');
      }
      if (!other && youngerThan(pidFile, 5_000)) {
        throw new ConflictError(`another daemon is starting for ${info.db}`, 'see crm daemon status in a few seconds');
      }
      // Stale: its process is gone. Remove it and try again.
      if (existsSync(pidFile)) {
        try {
          unlinkSync(pidFile);
        } catch {
          // another process removed it first
        }
      }
    }
  }
  throw new ConflictError(`could not take the daemon lock ${pidFile}`, 'another daemon may be starting; try again');
}

function youngerThan(file: string, ms: number): boolean {
  try {
    return Date.now() - statSync(file).mtimeMs < ms;
  } catch {
    return false;
  }
}
