import type { StartReport } from '../../daemon/control.js';
import { ExternalServiceError, type CrmError } from '../../errors.js';
import type { DaemonLock } from '../../store/types.js';
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
  daemon.command('run').description('run the daemon in the foreground, logging to stdout (for systemd, launchd, containers)')
    .option('--standby', 'when another daemon holds the store, wait and take over when it stops (a hot standby on another machine)')
    .action(async (opts: { standby?: boolean }, c) => {
    const ctx = context(c);
    let lock: DaemonLock | null = null;
    try {
      const store = await ctx.store();
      const [{ Daemon }, { holdDaemonLock, holderText }] = await Promise.all([import('../../daemon/daemon.js'), import('../../daemon/files.js')]);
      const files = store.files.daemon();
      const log = (level: string, message: string) => ctx.io.out(`${new Date().toISOString()} ${level.padEnd(5)} ${maskUrlCredentials(message)}`);
      const stopped = new Promise<string>((resolve) => {
        process.once('SIGTERM', () => resolve('SIGTERM'));
        process.once('SIGINT', () => resolve('SIGINT'));
      });
      const waiting = new AbortController();
      void stopped.then(() => waiting.abort());
      lock = await holdDaemonLock(store, {
        standby: Boolean(opts.standby), signal: waiting.signal,
        onStandby: (other) => {
          log('info', `standing by: the daemon ${other ? `(${holderText(other)}) ` : ''}holds ${store.location}; this one takes over when it stops`);
          void report({ ready: true, http: null, standby: other ? holderText(other) : 'another daemon' });
        },
      });
      if (!lock) return log('info', `stopped while standing by (${await stopped})`);
      if (opts.standby) log('info', 'took over the daemon lock');
      if (ctx.env.CRM_NOW) log('warn', `CRM_NOW is set (${ctx.env.CRM_NOW}): the daemon's clock is frozen there`);
      const d = new Daemon({
        store, env: ctx.env, log, clock: ctx.now, pollMs: ctx.env.CRM_DAEMON_POLL_MS ? Number(ctx.env.CRM_DAEMON_POLL_MS) : undefined, httpAddressFile: files.http,
        ready: (http) => void report({ ready: true, http }),
      });
      // Lost (its database connection dropped): another daemon may take over now, so this one stops at once.
      const lost = lock.lost.then((err) => {
        log('error', `lost the daemon lock: ${err.message}; stopping (a standby, or this daemon restarted, takes over)`);
        return err;
      });
      await d.start();
      const why = await Promise.race([stopped, lost]);
      if (typeof why === 'string') log('info', `stopping on ${why}`);
      await d.stop();
      if (why instanceof Error) throw new ExternalServiceError(`the daemon lost its lock on ${store.location}: ${why.message}`, 'it stopped; start it again (crm daemon start), or let a standby take over');
    } catch (err) {
      const e = err as CrmError;
      await report({ error: { exitCode: typeof e.exitCode === 'number' ? e.exitCode : 1, message: errorText(e), hint: hintText(e) } });
      throw err;
    } finally {
      await lock?.release();
    }
  });
};
