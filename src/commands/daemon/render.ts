import type { Context } from '../../context.js';
import { printJson } from '../../io/output.js';

export function duration(s: number): string {
  const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
  return [d && `${d}d`, (d || h) && `${h}h`, (d || h || m) && `${m}m`, `${s % 60}s`].filter(Boolean).join(' ');
}

/** What `daemon start` and `daemon restart` print once the daemon runs. */
export function printStarted(ctx: Context, r: { pid: number; log: string }, json: boolean | undefined, verb: 'Started' | 'Restarted'): void {
  if (json) printJson(ctx.io, { started: true, pid: r.pid, logFile: r.log });
  else ctx.io.out(`${verb} the daemon (pid ${r.pid}); log: ${r.log}`);
}
