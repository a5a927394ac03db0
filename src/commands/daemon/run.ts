import type { StartReport } from '../../daemon/control.js';
import type { CrmError } from '../../errors.js';
import { errorText, hintText } from '../hints.js';
import type { Register } from '../shared.js';
import { maskUrlCredentials } from '../../io/mask.js';


/** Tells the starting command, if one waits, and lets it go; resolves once the message is sent. */
function report(message: StartReport): Promise<void> {
  if (!process.send || !process.connected) return Promise.resolve();
  return new Promise((resolve) => {
    process.send!(message, undefined, {}, () => {
      process.disconnect?.();
      resolve();
    });
  });
}

export const registerDaemonRun: Register = (daemon, context) => {
  daemon.command('run').description('run the daemon in the foreground, logging to stdout (for systemd, launchd, containers)').action(async (_opts, c) => {
    const ctx = context(c);
    let release: (() => void) | undefined;
    try {
      const store = await ctx.store();
      const [{ Daemon }, { acquireLock }] = await Promise.all([import('../../daemon/daemon.js'), import('../../daemon/files.js')]);
      const files = store.files.daemon();
      release = acquireLock(files.pid, { pid: process.pid, startedAt: new Date().toISOString(), db: store.location });
      const log = (level: string, message: string) => ctx.io.out(`${new Date().toISOString()} ${level.padEnd(5)} ${maskUrlCredentials(message)}`);
      if (ctx.env.CRM_NOW) log('warn', `CRM_NOW is set (${ctx.env.CRM_NOW}): the daemon's clock is frozen there`);
      const d = new Daemon({
        store, env: ctx.env, log, clock: ctx.now, pollMs: ctx.env.CRM_DAEMON_POLL_MS ? Number(ctx.env.CRM_DAEMON_POLL_MS) : undefined, httpAddressFile: files.http,
        ready: (http) => void report({ ready: true, http }),
      });
      const stopped = new Promise<string>((resolve) => {
        process.once('SIGTERM', () => resolve('SIGTERM'));
        process.once('SIGINT', () => resolve('SIGINT'));
      });
      await d.start();
      log('info', `stopping on ${await stopped}`);
      await d.stop();
    } catch (err) {
      const e = err as CrmError;
      await report({ error: { exitCode: typeof e.exitCode === 'number' ? e.exitCode : 1, message: errorText(e), hint: hintText(e) } });
      throw err;
    } finally {
      release?.();
    }
  });
};
