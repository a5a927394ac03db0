import { createReadStream, existsSync, statSync } from 'node:fs';
import { printJson } from '../../io/output.js';
import { NotFoundError, UsageError } from '../../errors.js';
import { outputFlags, type Register } from '../shared.js';

/** The running binary (bin/crm): the detached daemon and the systemd unit run the same one. */
const bin = () => process.argv[1]!;

function duration(s: number): string {
  const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
  return [d && `${d}d`, (d || h) && `${h}h`, (d || h || m) && `${m}m`, `${s % 60}s`].filter(Boolean).join(' ');
}

export const registerDaemon: Register = (program, context) => {
  const daemon = program.command('daemon').description('the background daemon: delivers notifications, runs scheduled jobs');

  outputFlags(daemon.command('start').description('start the daemon in the background (PID and log files beside the store)')).action(async (opts: { json?: boolean }, c) => {
    const ctx = context(c);
    const store = await ctx.store();
    const { startDetached } = await import('../../daemon/control.js');
    const r = await startDetached({ store, env: ctx.env, bin: bin() });
    if (opts.json) printJson(ctx.io, { started: true, pid: r.pid, logFile: r.log });
    else ctx.io.out(`Started the daemon (pid ${r.pid}); log: ${r.log}`);
  });

  outputFlags(daemon.command('stop').description('stop the daemon; deliveries in flight finish first')).action(async (opts: { json?: boolean }, c) => {
    const ctx = context(c);
    const { stopDaemon } = await import('../../daemon/control.js');
    const r = await stopDaemon(ctx.files());
    if (opts.json) printJson(ctx.io, { stopped: Boolean(r), pid: r?.pid ?? null });
    else ctx.io.out(r ? `Stopped the daemon (pid ${r.pid})` : 'The daemon is not running');
  });

  outputFlags(daemon.command('restart').description('stop the daemon if it runs, then start it')).action(async (opts: { json?: boolean }, c) => {
    const ctx = context(c);
    const store = await ctx.store();
    const { startDetached, stopDaemon } = await import('../../daemon/control.js');
    await stopDaemon(store.files);
    const r = await startDetached({ store, env: ctx.env, bin: bin() });
    if (opts.json) printJson(ctx.io, { started: true, pid: r.pid, logFile: r.log });
    else ctx.io.out(`Restarted the daemon (pid ${r.pid}); log: ${r.log}`);
  });

  outputFlags(daemon.command('status').description('running?, uptime, jobs with their last and next run, outbox depth, last errors')).action(async (opts: { json?: boolean }, c) => {
    const ctx = context(c);
    const store = await ctx.store();
    const { daemonStatus } = await import('../../daemon/control.js');
    const s = await daemonStatus(store, ctx.env, new Date());
    if (opts.json) return printJson(ctx.io, s);
    ctx.io.out(s.running ? `Daemon:  running (pid ${s.pid}, up ${duration(s.uptimeSeconds ?? 0)})` : 'Daemon:  not running (start it with crm daemon start)');
    ctx.io.out(`Store:   ${s.db}`);
    ctx.io.out(`Log:     ${s.logFile}`);
    if (s.running) ctx.io.out(`HTTP:    ${s.http ? `${s.http.url}${s.http.publicUrl !== s.http.url ? ` (public ${s.http.publicUrl})` : ''}` : 'not listening (off, or see the log)'}`);
    ctx.io.out('Jobs:');
    for (const j of s.jobs) {
      ctx.io.out(`  ${j.name.padEnd(Math.max(...s.jobs.map((x) => x.name.length)))} ${j.schedule.padEnd(32)} last ${j.lastRunAt ? `${j.lastRunAt} (${j.lastStatus})` : 'never'}${j.nextRunAt ? `, next ${j.nextRunAt}` : ''}${j.lastError ? `; error: ${j.lastError}` : ''}`);
    }
    ctx.io.out(`Outbox:  ${Object.entries(s.outbox).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    if (s.lastErrors.length) {
      ctx.io.out('Last errors:');
      for (const e of s.lastErrors) ctx.io.out(`  #${e.id} ${e.rule} by ${e.channel}${e.address ? ` to ${e.address}` : ''}: ${e.status} after ${e.attempts} attempt(s) at ${e.at}: ${e.error}`);
    }
  });

  daemon.command('run').description('run the daemon in the foreground, logging to stdout (for systemd, launchd, containers)').action(async (_opts, c) => {
    const ctx = context(c);
    const store = await ctx.store();
    const [{ Daemon }, { acquireLock }] = await Promise.all([import('../../daemon/daemon.js'), import('../../daemon/files.js')]);
    const files = store.files.daemon();
    const release = acquireLock(files.pid, { pid: process.pid, startedAt: new Date().toISOString(), db: store.location });
    const log = (level: string, message: string) => ctx.io.out(`${new Date().toISOString()} ${level.padEnd(5)} ${message}`);
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

  daemon.command('logs').description("print the daemon's log").option('-f, --follow', 'keep printing new lines until Ctrl-C').option('-n, --lines <n>', 'only the last n lines').action(async (opts: { follow?: boolean; lines?: string }, c) => {
    const ctx = context(c);
    const file = ctx.files().daemon().log;
    if (!existsSync(file)) throw new NotFoundError(`no daemon log at ${file}`, 'start the daemon with crm daemon start');
    const { readFileSync } = await import('node:fs');
    let text = readFileSync(file, 'utf8');
    if (opts.lines !== undefined) {
      const n = Number(opts.lines);
      if (!Number.isInteger(n) || n < 0) throw new UsageError(`invalid --lines '${opts.lines}'`, 'a whole number');
      text = text.split('\n').slice(-(n + 1)).join('\n');
    }
    ctx.io.stdout.write(text);
    if (!opts.follow) return;
    let pos = statSync(file).size;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const size = existsSync(file) ? statSync(file).size : 0;
        if (size < pos) pos = 0;
        if (size > pos) {
          createReadStream(file, { start: pos, end: size - 1 }).pipe(ctx.io.stdout, { end: false });
          pos = size;
        }
      }, 250);
      const done = () => {
        clearInterval(timer);
        resolve();
      };
      process.once('SIGINT', done);
      process.once('SIGTERM', done);
    });
  });

  outputFlags(daemon.command('install').description('install the daemon as a service').option('--systemd', 'write a systemd user unit')).action(async (opts: { systemd?: boolean; json?: boolean }, c) => {
    const ctx = context(c);
    if (!opts.systemd) throw new UsageError('say which service manager', 'crm daemon install --systemd');
    const store = await ctx.store();
    const { installSystemd } = await import('../../daemon/control.js');
    const r = installSystemd({ store, env: ctx.env, bin: bin() });
    if (opts.json) return printJson(ctx.io, { unitFile: r.file, enable: 'systemctl --user daemon-reload && systemctl --user enable --now crm.service' });
    ctx.io.out(`Wrote ${r.file}`);
    ctx.io.out('Enable and start it with:');
    ctx.io.out('  systemctl --user daemon-reload');
    ctx.io.out('  systemctl --user enable --now crm.service');
    ctx.io.out('To keep it running when you are logged out: loginctl enable-linger $USER');
  });
};
