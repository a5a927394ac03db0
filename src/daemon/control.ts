import { spawn } from 'node:child_process';
import { closeSync, readFileSync } from 'node:fs';
import { maskUrlCredentials } from '../io/mask.js';
import { dirname, join, resolve } from 'node:path';
import { ConflictError, ExternalServiceError, UsageError } from '../errors.js';
import type { Store, StoreFiles } from '../store/types.js';
import { holds } from '../io/pidlock.js';
import { mkdirPrivate, openPrivate, writePrivateFile } from '../io/private.js';
import { runningDaemon } from './files.js';
import { JOBS, nextRun, SAFETY_POLL_MS } from './jobs.js';
import { hostname } from 'node:os';
import { effectiveSetting } from '../services/settings/service.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What `crm daemon start` waits for from the daemon it spawned (an IPC channel; none under systemd). */
export type StartReport = { ready: true; http: string | null; /** Standing by: who holds the store (Store.lockDaemon). */ standby?: string } | { error: { exitCode: number; message: string; hint?: string } };

/** The store a daemon serves: where it is, and where its daemon's files are. */
type DaemonStore = Pick<Store, 'location' | 'files'>;

/**
 * Starts `crm daemon run` detached, its output appended to the log file; resolves once it holds
 * the lock and its HTTP endpoint listens (or is off). It says so, or why it could not start, on
 * an IPC channel (src/commands/daemon/run.ts), so a failure is this command's failure too.
 */
export async function startDetached(opts: { store: DaemonStore; env: Record<string, string | undefined>; bin: string; standby?: boolean }): Promise<{ pid: number; log: string; standby?: string }> {
  const files = opts.store.files.daemon();
  const running = runningDaemon(files.pid);
  if (running) throw new ConflictError(`the daemon is already running for ${opts.store.location} (pid ${running.pid}, since ${running.startedAt})`, 'stop it with crm daemon stop, or see crm daemon status');
  mkdirPrivate(dirname(files.log));
  const fd = openPrivate(files.log, 'a');
  const child = spawn(process.execPath, [opts.bin, 'daemon', 'run', '--db', opts.store.location, ...(opts.standby ? ['--standby'] : [])], {
    detached: true, stdio: ['ignore', fd, fd, 'ipc'], env: opts.env as NodeJS.ProcessEnv,
  });
  closeSync(fd);
  type Outcome = StartReport | { exited: number | null } | { timedOut: true };
  const outcome = await new Promise<Outcome>((resolve) => {
    const timer = setTimeout(() => resolve({ timedOut: true }), 15_000);
    const done = (o: Outcome) => {
      clearTimeout(timer);
      resolve(o);
    };
    child.once('message', (m) => done(m as StartReport));
    child.once('exit', (code) => done({ exited: code }));
  });
  child.removeAllListeners();
  if (child.connected) child.disconnect();
  child.unref();
  if ('ready' in outcome) return { pid: child.pid!, log: files.log, ...(outcome.standby ? { standby: outcome.standby } : {}) };
  if ('error' in outcome) {
    const { exitCode, message, hint } = outcome.error;
    const text = `the daemon did not start: ${message}`;
    const more = hint ?? `see its log: crm daemon logs (${files.log})`;
    if (exitCode === 2) throw new UsageError(text, more);
    if (exitCode === 4) throw new ConflictError(text, more);
    throw new ExternalServiceError(text, more);
  }
  if ('exited' in outcome) {
    if (outcome.exited === 4) throw new ConflictError('the daemon is already running for this store', 'see crm daemon status');
    throw new ExternalServiceError(`the daemon exited at start (code ${outcome.exited})`, `see its log: crm daemon logs (${files.log})`);
  }
  throw new ExternalServiceError(`the daemon did not start within 15 s (pid ${child.pid})`, `see its log: ${files.log}`);
}

/**
 * SIGTERM, then waits for the daemon to finish its deliveries in flight and exit. The daemon is
 * found by this machine's PID file, else (a PostgreSQL store, started from another home on this
 * machine) by the store's daemon lock. One running on another machine cannot be signalled from
 * here: a ConflictError naming it. Resolves undefined when no daemon runs.
 */
export async function stopDaemon(store: Pick<Store, 'files' | 'daemonHolder'>, timeoutMs = 30_000): Promise<{ pid: number } | undefined> {
  const files = store.files.daemon();
  const info = runningDaemon(files.pid);
  const deadline = Date.now() + timeoutMs;
  const tooSlow = (pid: number) => new ExternalServiceError(`the daemon (pid ${pid}) did not stop within ${timeoutMs / 1000} s`, `see crm daemon logs; kill it with kill ${pid}`);
  if (info) {
    process.kill(info.pid, 'SIGTERM');
    while (holds(info)) {
      if (Date.now() > deadline) throw tooSlow(info.pid);
      await sleep(50);
    }
    return { pid: info.pid };
  }
  const holder = await store.daemonHolder();
  if (!holder) return undefined;
  if (holder.host !== hostname()) {
    throw new ConflictError(`the daemon runs on ${holder.host} (pid ${holder.pid}), not on this machine`, `run crm daemon stop on ${holder.host}, or kill ${holder.pid} there`);
  }
  try {
    process.kill(holder.pid, 'SIGTERM');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EPERM') throw new ConflictError(`the daemon (pid ${holder.pid}) runs as another system user`, `stop it as that user, or with sudo kill ${holder.pid}`);
    return undefined; // gone meanwhile (the lock goes with its connection)
  }
  for (;;) {
    const now = await store.daemonHolder();
    if (!now || now.pid !== holder.pid || now.host !== holder.host) return { pid: holder.pid };
    if (Date.now() > deadline) throw tooSlow(holder.pid);
    await sleep(50);
  }
}

export interface DaemonStatus {
  running: boolean;
  pid: number | null;
  /** The machine the daemon runs on (a PostgreSQL store's daemon may run on another one; null: not running). */
  host: string | null;
  startedAt: string | null;
  uptimeSeconds: number | null;
  db: string;
  logFile: string;
  /** The HTTP endpoint of the running daemon (null: not running, off, or failed to listen: see the log). */
  http: { url: string; publicUrl: string } | null;
  jobs: { name: string; schedule: string; lastRunAt: string | null; lastStatus: string | null; lastError: string | null; nextRunAt: string | null }[];
  outbox: Record<string, number>;
  lastErrors: { id: number; rule: string; channel: string; address: string | null; status: string; attempts: number; error: string | null; at: string }[];
}

export async function daemonStatus(store: Store, env: Record<string, string | undefined>, now: Date): Promise<DaemonStatus> {
  const files = store.files.daemon();
  // Who holds the store's daemon lock, wherever it runs; this machine's PID file has its start to the millisecond.
  const holder = await store.daemonHolder();
  const local = runningDaemon(files.pid);
  const here = holder?.host === hostname();
  const info = holder && (here && local?.pid === holder.pid ? { ...holder, startedAt: local.startedAt } : holder);
  const settings = await store.settings.all();
  const runs = new Map((await store.jobs.all()).map((j) => [j.name, j]));
  const jobs: DaemonStatus['jobs'] = [
    { name: 'outbox.deliver', schedule: store.backend === 'sqlite' ? 'continuous (polls every second)' : `continuous (woken by the store; polls every ${SAFETY_POLL_MS / 1000} s)`, nextRunAt: null },
    ...JOBS.map((j) => ({
      name: j.name,
      schedule: j.every === 'minute' ? 'every minute' : `daily at ${effectiveSetting(settings, env, j.timeSetting!)}`,
      nextRunAt: info ? nextRun(j, now, settings, env).toISOString() : null,
    })),
  ].map((j) => {
    const r = runs.get(j.name);
    return { ...j, lastRunAt: r?.lastRunAt ?? null, lastStatus: r?.lastStatus ?? null, lastError: r?.lastError ?? null };
  });
  const errors = await store.outbox.list({ statuses: ['failed', 'dead'], limit: 5 });
  return {
    running: Boolean(info), pid: info?.pid ?? null, host: info?.host ?? null, startedAt: info?.startedAt || null,
    uptimeSeconds: info?.startedAt ? Math.max(0, Math.round((Date.now() - new Date(info.startedAt).getTime()) / 1000)) : null,
    db: store.location, logFile: files.log, http: info && here ? httpAddress(files.http, info.pid) : null, jobs, outbox: await store.outbox.depth(),
    lastErrors: errors.map((m) => ({ id: m.id, rule: m.rule, channel: m.channel, address: m.address, status: m.status, attempts: m.attempts, error: m.lastError && maskUrlCredentials(m.lastError), at: m.updatedAt })),
  };
}


/** The running daemon's HTTP endpoint, as it wrote it when it started listening. */
function httpAddress(file: string, daemonPid: number): { url: string; publicUrl: string } | null {
  try {
    const a = JSON.parse(readFileSync(file, 'utf8')) as { url: string; publicUrl: string; pid: number };
    return a.pid === daemonPid ? { url: a.url, publicUrl: maskUrlCredentials(a.publicUrl) } : null;
  } catch {
    return null;
  }
}

/** A systemd user unit that runs `crm daemon run` for this store. */
export function installSystemd(opts: { store: DaemonStore; env: Record<string, string | undefined>; bin: string }): { file: string; text: string } {
  const home = opts.env.HOME ?? '';
  const dir = join(opts.env.XDG_CONFIG_HOME || join(home, '.config'), 'systemd', 'user');
  const file = join(dir, 'crm.service');
  const envLines = ['CRM_HOME', 'CRM_USER', 'CRM_TZ', 'PATH'].filter((k) => opts.env[k]).map((k) => `Environment=${k}=${opts.env[k]}`);
  const text = [
    '[Unit]',
    'Description=crm daemon: notifications, scheduled jobs',
    'After=network-online.target',
    '',
    '[Service]',
    'Type=simple',
    `ExecStart=${process.execPath} ${resolve(opts.bin)} daemon run --db ${opts.store.location}`,
    ...envLines,
    '# Secrets: put CRM_SMTP_PASS, CRM_TWILIO_AUTH_TOKEN, CRM_WEBHOOK_SECRET in this file (mode 0600):',
    `EnvironmentFile=-${opts.store.files.daemon().env}`,
    'Restart=on-failure',
    'RestartSec=5',
    'KillSignal=SIGTERM',
    'TimeoutStopSec=60',
    '',
    '[Install]',
    'WantedBy=default.target',
    '',
  ].join('\n');
  mkdirPrivate(dir);
  writePrivateFile(file, text);
  return { file, text };
}
