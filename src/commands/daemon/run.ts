import type { Register } from '../shared.js';
import { maskUrlCredentials } from '../../io/mask.js';

export const registerDaemonRun: Register = (daemon, context) => {
  daemon.command('run').description('run the daemon in the foreground, logging to stdout (for systemd, launchd, containers)').action(async (_opts, c) => {
    const ctx = context(c);
    const store = await ctx.store();
    const [{ Daemon }, { acquireLock }] = await Promise.all([import('../../daemon/daemon.js'), import('../../daemon/files.js')]);
    const files = store.files.daemon();
    const release = acquireLock(files.pid, { pid: process.pid, startedAt: new Date().toISOString(), db: store.location });
    const log = (level: string, message: string) => ctx.io.out(`${new Date().toISOString()} ${level.padEnd(5)} ${maskUrlCredentials(message)}`);
    if (ctx.env.CRM_NOW) log('warn', `CRM_NOW is set (${ctx.env.CRM_NOW}): the daemon's clock is frozen there`);
    const d = new Daemon({ store, env: ctx.env, log, clock: ctx.now, pollMs: ctx.env.CRM_DAEMON_POLL_MS ? Number(ctx.env.CRM_DAEMON_POLL_MS) : undefined, httpAddressFile: files.http });
    try {
      const stopped = new Promise<string>((resolve) => {
        process.once('SIGTERM', () => resolve('SIGTERM'));
        process.once('SIGINT', () => resolve('SIGINT'));
      });
      await d.start();
      log('info', `stopping on ${await stopped}`);
      await d.stop();
    } finally {
      release();
    }
  });
};
