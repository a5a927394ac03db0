import type { StartReport } from '../../daemon/control.js';
import type { CrmError } from '../../errors.js';
import { errorText, hintText } from '../hints.js';
import { examples, type Register } from '../shared.js';
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
  daemon.command('run').description('run the daemon in the foreground, logging to stdout (for systemd, launchd, containers)').addHelpText('after', examples('crm daemon run', 'crm daemon run --standby'))
    .option('--standby', 'when another daemon holds the store, wait and take over when it stops (a hot standby on another machine)')
    .action(async (opts: { standby?: boolean }, c) => {
    const ctx = context(c);
    try {
      const store = await ctx.store();
      const [{ Daemon }, { holderText }, { superviseDaemon }] = await Promise.all([import('../../daemon/daemon.js'), import('../../daemon/files.js'), import('../../daemon/supervise.js')]);
      const files = store.files.daemon();
      const log = (level: string, message: string) => ctx.io.out(`${new Date().toISOString()} ${level.padEnd(5)} ${maskUrlCredentials(message)}`);
      const stopped = new Promise<string>((resolve) => {
        process.once('SIGTERM', () => resolve('SIGTERM'));
        process.once('SIGINT', () => resolve('SIGINT'));
      });
      // One daemon per store: refused, or standing by (--standby); the lock lost, it stands by to take it back (src/daemon/supervise.ts).
      await superviseDaemon({
        store, standby: Boolean(opts.standby), log, stopped,
        onStandby: (other) => {
          log('info', `standing by: the daemon ${other ? `(${holderText(other)}) ` : ''}holds ${store.location}; this one takes over when it stops`);
          void report({ ready: true, http: null, standby: other ? holderText(other) : 'another daemon' });
        },
        start: async () => {
          if (ctx.env.CRM_NOW) log('warn', `CRM_NOW is set (${ctx.env.CRM_NOW}): the daemon's clock is frozen there`);
          const d = new Daemon({
            store, env: ctx.env, log, clock: ctx.now, pollMs: ctx.env.CRM_DAEMON_POLL_MS ? Number(ctx.env.CRM_DAEMON_POLL_MS) : undefined, httpAddressFile: files.http,
            ready: (http) => void report({ ready: true, http }),
          });
          await d.start();
          return d;
        },
      });
    } catch (err) {
      const e = err as CrmError;
      await report({ error: { exitCode: typeof e.exitCode === 'number' ? e.exitCode : 1, message: errorText(e), hint: hintText(e) } });
      throw err;
    }
  });
};
