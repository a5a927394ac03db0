import type { OutboxWatch, Store } from '../store/types.js';
import { Deliverer, type Log } from '../services/outbox/deliver.js';
import { cronExpression, JOBS, runDueJobs, SAFETY_POLL_MS, type JobDef } from './jobs.js';
import { HttpServer } from './http/server.js';
import { ROUTES } from './http/routes.js';
import type { Route } from './http/types.js';

export interface DaemonOptions {
  store: Store;
  env: Record<string, string | undefined>;
  log: Log;
  clock?: () => Date;
  /**
   * How often an empty outbox is polled: default 1000 ms where the store cannot tell when messages
   * are queued (SQLite), SAFETY_POLL_MS where it wakes the daemon itself (PostgreSQL's NOTIFY).
   */
  pollMs?: number;
  /** Where the HTTP endpoint's bound address is written (the store's StoreFiles.daemon().http). */
  httpAddressFile?: string;
  /** The routes served (default: every route of src/daemon/http/routes.ts). */
  routes?: Route[];
  /** Called once the daemon serves what it promises (its HTTP endpoint listens, or is off), before its first jobs run. */
  ready?: (httpUrl: string | null) => void;
}

/**
 * The daemon's work (N1): drains the outbox continuously (at once when the store says messages
 * were queued, every pollMs when it is empty and nothing was said, at once while there is more), runs the scheduled jobs with node-cron, catches up on slots it
 * missed (at start, and every minute, which covers a machine waking up), and stops gracefully:
 * stop() finishes the deliveries in flight before it resolves. The caller holds the store's
 * daemon lock (its StoreFiles.daemon().pid, src/daemon/files.ts): start() takes over messages left 'sending' by a dead daemon.
 */
export class Daemon {
  private stopping = false;
  private wake?: () => void;
  /** Told by the store that messages may be due since the last drain began. */
  private dirty = false;
  private watch?: OutboxWatch;
  private loop?: Promise<void>;
  private tasks: { stop(): unknown; destroy?(): unknown }[] = [];
  private deliverer: Deliverer;
  private clock: () => Date;
  private jobsBusy = Promise.resolve();
  private lastTick = 0;
  private http?: HttpServer;
  /** The HTTP endpoint's address once listening (null: off or failed to listen). */
  httpUrl: string | null = null;

  constructor(private o: DaemonOptions) {
    // HTTP requests, jobs and deliveries run at once on one handle: the store's transactions
    // belong to the flow that opened them, so one flow's never joins another's.
    this.clock = o.clock ?? (() => new Date());
    this.deliverer = new Deliverer({ store: o.store, env: o.env, log: o.log });
  }

  /**
   * Throws, before any job runs, when the HTTP endpoint cannot start (address in use, a public address
   * not confirmed): a daemon that says it runs must serve what http.listen promises.
   */
  async start(): Promise<void> {
    const { log } = this.o;
    // This daemon holds the store's lock, so a message still 'sending' was left by one that died mid-delivery.
    const orphans = await this.o.store.transaction(() => this.o.store.outbox.recover(this.clock().toISOString()));
    if (orphans) log('warn', `${orphans} delivery(ies) interrupted by a previous daemon will be retried now`);
    this.http = new HttpServer({ deps: { store: this.o.store, env: this.o.env, log, now: this.clock }, routes: this.o.routes ?? ROUTES, addressFile: this.o.httpAddressFile });
    try {
      this.httpUrl = await this.http.start();
      if (this.httpUrl) log('info', `HTTP endpoint listening on ${this.httpUrl} (public URL ${this.http.publicUrl})`);
    } catch (err) {
      log('error', `HTTP endpoint not started: ${(err as Error).message}${(err as { hint?: string }).hint ? ` (${(err as { hint?: string }).hint})` : ''}`);
      throw err;
    }
    this.o.ready?.(this.httpUrl);
    this.watch = await this.o.store.watchOutbox(() => {
      this.dirty = true;
      this.poke();
    });
    await this.catchUp('start');
    const cron = await import('node-cron');
    const schedule = ((cron as any).schedule ?? (cron as any).default.schedule) as (expr: string, fn: () => unknown, opts: Record<string, unknown>) => { stop(): unknown; destroy?(): unknown };
    const settings = await this.o.store.settings.all();
    const tz = settings['notify.timezone'] || undefined;
    // Every minute: the minute jobs, and any daily slot missed while asleep (the guard in runDueJobs runs each slot once).
    this.tasks.push(schedule('* * * * *', () => this.tick(), { name: 'minute', noOverlap: true }));
    for (const job of JOBS.filter((j) => j.every === 'daily')) {
      this.tasks.push(schedule(cronExpression(job, settings, this.o.env), () => this.serial(() => this.runDaily(job)), { name: job.name, timezone: tz, noOverlap: true }));
    }
    this.loop = this.drainLoop();
    const wakes = this.watch.pushes ? `woken by the store, polls every ${this.pollMs() / 1000} s` : `polls every ${this.pollMs() / 1000} s`;
    log('info', `daemon started (pid ${process.pid}); store ${this.o.store.location}; outbox ${wakes}; jobs: ${JOBS.map((j) => j.name).join(', ')}`);
  }

  private async tick(): Promise<void> {
    const now = this.clock();
    if (this.lastTick && now.getTime() - this.lastTick > 150_000) this.o.log('info', `clock jumped ${Math.round((now.getTime() - this.lastTick) / 1000)} s (the machine slept?); catching up`);
    this.lastTick = now.getTime();
    await this.catchUp('minute');
  }

  private serial(fn: () => Promise<unknown>): Promise<void> {
    this.jobsBusy = this.jobsBusy.then(fn, fn).then(() => undefined, () => undefined);
    return this.jobsBusy;
  }

  private catchUp(why: string): Promise<void> {
    return this.serial(async () => {
      if (this.stopping) return;
      const ran = await runDueJobs({ store: this.o.store, env: this.o.env, now: this.clock(), log: this.o.log });
      const late = ran.filter((n) => JOBS.find((j) => j.name === n)?.every === 'daily');
      if (late.length && why !== 'cron') this.o.log('info', `caught up (${why}): ${late.join(', ')}`);
      this.poke();
    });
  }

  /** node-cron's daily trigger: runs the job if its slot has not run yet (the minute catch-up may have been first). */
  private async runDaily(job: JobDef): Promise<void> {
    if (this.stopping) return;
    await runDueJobs({ store: this.o.store, env: this.o.env, now: this.clock(), log: this.o.log }, [job.name]);
    this.poke();
  }

  /** Drain now rather than at the next poll. */
  poke(): void {
    this.wake?.();
  }

  private pollMs(): number {
    return this.o.pollMs ?? (this.watch?.pushes ? SAFETY_POLL_MS : 1000);
  }

  private async drainLoop(): Promise<void> {
    while (!this.stopping) {
      let attempted = 0;
      this.dirty = false;
      try {
        const r = await this.deliverer.drain(this.clock());
        attempted = r.attempted;
        if (r.attempted) await this.o.store.jobs.record('outbox.deliver', this.clock().toISOString(), r.failed ? 'error' : 'ok', r.failed ? `${r.failed} of ${r.attempted} failed` : null);
      } catch (err) {
        this.o.log('error', `outbox: ${(err as Error).message}`);
      }
      // A notification that came while draining may be for a message queued after the claim: drain again.
      if (attempted === 0 && !this.stopping && !this.dirty) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, this.pollMs());
          this.wake = () => {
            clearTimeout(t);
            resolve();
          };
        });
        this.wake = undefined;
      }
    }
  }

  /** Stops scheduling, lets the deliveries in flight finish, closes the transports. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.deliverer.stop();
    await this.http?.stop();
    for (const t of this.tasks) {
      t.stop();
      t.destroy?.();
    }
    await this.watch?.close();
    this.poke();
    await this.loop;
    await this.jobsBusy;
    this.deliverer.close();
    this.o.log('info', 'daemon stopped');
  }
}
