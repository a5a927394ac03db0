/**
 * What a PostgreSQL store tells as it happens, on connections of their own beside the pool:
 *
 * - LISTEN: one listening connection per handle, opened on first use, for the channels the
 *   schema's triggers notify (migration 0003): `crm_outbox` when an outbox row becomes due
 *   (queued, retried, given back: the daemon wakes instead of polling), `crm_change` when a
 *   statement changes one of the main tables (the board's change token). If that connection
 *   drops it is opened again, and every listener is called once (something may have been missed).
 *
 * - The daemon lock: a session advisory lock (LOCK.daemon) held on a dedicated connection for the
 *   daemon's life. The server releases it when that connection ends, however the process died, so
 *   a standby asking for it takes over within a second. The holder writes the local PID file too
 *   (for `stop` on its own machine). Who holds it is told by the connection's
 *   application_name (`crm-daemon <pid>@<host> <since>`), which pg_stat_activity shows to every
 *   role (pg_locks says which session holds the lock): no table to keep in step.
 */
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import pg from 'pg';
import { pgConfig } from './connection.js';
import { ConflictError } from '../../errors.js';
import { acquirePidLock } from '../../io/pidlock.js';
import { mkdirPrivate } from '../../io/private.js';
import type { DaemonHolder, DaemonLock, OutboxWatch } from '../types.js';
import { translate } from './sql.js';

export const CHANNEL = { outbox: 'crm_outbox', change: 'crm_change' } as const;

/** The application_name of a daemon's lock connection (at most 63 bytes: PostgreSQL truncates longer names). */
export function holderName(h: DaemonHolder): string {
  const since = h.startedAt.slice(0, 19) + 'Z'; // to the second: uptime
  const head = `crm-daemon ${h.pid}@`;
  return `${head}${h.host.replace(/[^\x21-\x7e]/g, '?').slice(0, 63 - head.length - since.length - 1)} ${since}`;
}

/** The holder a lock connection's application_name names; null for any other name. */
export function parseHolderName(name: string | null): DaemonHolder | null {
  const m = /^crm-daemon (\d+)@(\S*) (\S+)$/.exec(name ?? '');
  return m ? { pid: Number(m[1]), host: m[2]!, startedAt: m[3]! } : null;
}

/** This machine's name, as a daemon holder names it. */
export function thisHost(): string {
  return hostname();
}

type Listener = () => void;

/** How often a standby asks for the daemon lock. */
const WAIT_ROUND_MS = 1000;

/**
 * The backend pids of a pool's open connections. pg-pool keeps its clients in `_clients` (not
 * public, but stable since pg-pool 2); when it is not there, no pid is known and every commit
 * counts as another's (the board then redraws after its own writes too, which is harmless).
 */
export function poolPids(pool: pg.Pool): Set<number> {
  const clients = (pool as unknown as { _clients?: { processID?: number }[] })._clients ?? [];
  return new Set(clients.map((c) => c.processID).filter((p): p is number => typeof p === 'number'));
}

export class PgEvents {
  private listener?: pg.Client;
  private connecting?: Promise<pg.Client>;
  private readonly listeners = { [CHANNEL.outbox]: new Set<Listener>(), [CHANNEL.change]: new Set<Listener>() };
  /** Commits seen by others (the change token), and the listening connection's generation. */
  private changes = 0;
  private generation = 0;
  private closed = false;
  /** changeToken() was asked: the listening connection is kept open (reopened) for it. */
  private tokenAsked = false;
  private retry?: NodeJS.Timeout;
  private readonly locks = new Set<pg.Client>();

  constructor(
    private readonly location: string,
    private readonly lockKey: number,
    /** The backend pids of this handle's own pool connections (their commits do not change the token). */
    private readonly ownPids: () => Set<number>,
    /** The local PID file a daemon holding the lock writes too, so that this machine can signal it (StoreFiles.daemon().pid; asked for only then). */
    private readonly pidFileOf: () => string,
  ) {}

  private newClient(applicationName: string): pg.Client {
    // keepAlive: a dead network (a laptop suspended, a cable pulled) ends the connection instead of leaving it hung.
    return new pg.Client(pgConfig(this.location, { application_name: applicationName, keepAlive: true, keepAliveInitialDelayMillis: 10_000 }));
  }

  /** The listening connection, opened (and LISTENing on every channel) on first use. */
  private listen(): Promise<pg.Client> {
    if (this.listener) return Promise.resolve(this.listener);
    this.connecting ??= (async () => {
      const client = this.newClient('crm-listen');
      client.on('error', () => undefined);
      try {
        await client.connect();
        await client.query(`LISTEN ${CHANNEL.outbox}; LISTEN ${CHANNEL.change}`);
      } catch (err) {
        await client.end().catch(() => undefined);
        throw translate(err);
      } finally {
        this.connecting = undefined;
      }
      client.on('notification', (n) => {
        if (n.channel === CHANNEL.change) {
          if (!this.ownPids().has(n.processId)) this.changes++;
          for (const l of this.listeners[CHANNEL.change]) l();
        } else if (n.channel === CHANNEL.outbox) {
          for (const l of this.listeners[CHANNEL.outbox]) l();
        }
      });
      client.once('end', () => this.dropped(client));
      this.listener = client;
      return client;
    })();
    return this.connecting;
  }

  /** The listening connection ended: open it again (after a pause) and tell every listener, since notifications may have been missed. */
  private dropped(client: pg.Client): void {
    if (this.listener !== client) return;
    this.listener = undefined;
    this.generation++;
    if (this.closed) return;
    const again = (delay: number) => {
      this.retry = setTimeout(() => {
        if (this.closed || !this.hasListeners()) return;
        this.listen().then(
          () => this.everyone(),
          () => again(Math.min(delay * 2, 30_000)),
        );
      }, delay);
      this.retry.unref();
    };
    again(1000);
    this.everyone();
  }

  private hasListeners(): boolean {
    return this.tokenAsked || this.listeners[CHANNEL.outbox].size + this.listeners[CHANNEL.change].size > 0;
  }

  private everyone(): void {
    for (const set of Object.values(this.listeners)) for (const l of set) l();
  }

  /**
   * Changes when another connection commits a statement on the main tables (the tables of the
   * crm_change triggers: leads and what hangs off them, users, stages, sources, tags). The first call opens
   * the listening connection (a commit before it is the baseline's). Notifications from this
   * handle's own pool connections are not counted; the token also moves when the listening
   * connection was lost (commits may have been missed), and while it cannot be opened again.
   */
  async changeToken(): Promise<string> {
    this.tokenAsked = true;
    try {
      // A round trip on the listening connection: a commit that finished before this call has
      // signalled the listening session, which sends its notification before this answer.
      await (await this.listen()).query('SELECT 1');
    } catch {
      return `down:${Date.now()}`;
    }
    return `${this.generation}:${this.changes}`;
  }

  async watchOutbox(listener: Listener): Promise<OutboxWatch> {
    this.listeners[CHANNEL.outbox].add(listener);
    try {
      await this.listen();
    } catch (err) {
      this.listeners[CHANNEL.outbox].delete(listener);
      throw err;
    }
    return {
      pushes: true,
      close: async () => {
        this.listeners[CHANNEL.outbox].delete(listener);
      },
    };
  }

  /**
   * The daemon lock on a connection of its own, named after the holder (see above). Waiting, it
   * asks again every second (pg_try_advisory_lock): a standby takes over within a second of the
   * holder's end, sees an abort as soon, and leaves no session behind when its process dies
   * (a session blocked in pg_advisory_lock would outlive it, and lock_timeout rounds would log
   * an error on the server every few seconds for as long as it waits).
   */
  async lockDaemon(holder: DaemonHolder, wait: boolean, signal: AbortSignal | null): Promise<DaemonLock | null> {
    const client = this.newClient(holderName(holder));
    let lost!: (err: Error) => void;
    const lostP = new Promise<Error>((resolve) => (lost = resolve));
    let held = false;
    let released = false;
    client.on('error', (err) => {
      if (held && !released) lost(translate(err) as Error);
    });
    client.on('end', () => {
      if (held && !released) lost(new Error('the connection holding the daemon lock ended'));
    });
    try {
      await client.connect();
      // Named here too: an application_name in the location's URL would override the one given above.
      await client.query("SELECT set_config('application_name', $1, false)", [holderName(holder)]);
      // The server probes this session's client every few seconds: when the holder's machine dies
      // or drops off the network (no FIN ever comes), its session ends, and the lock with it, in
      // about 25 s rather than the system's default two hours. (Ignored over a Unix socket.)
      await client.query("SET tcp_keepalives_idle = 10; SET tcp_keepalives_interval = 5; SET tcp_keepalives_count = 3");
      for (;;) {
        const r = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [this.lockKey]);
        held = r.rows[0]!.ok;
        if (held || !wait || signal?.aborted || this.closed) break;
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, WAIT_ROUND_MS);
          signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
        });
        if (signal?.aborted) break;
      }
    } catch (err) {
      await client.end().catch(() => undefined);
      throw translate(err);
    }
    if (!held) {
      await client.end().catch(() => undefined);
      return null;
    }
    // The local PID file follows the database lock: a file left by a process that died is stale
    // and replaced; one whose process lives (it lost its lock and is stopping) refuses this start.
    let releasePid: () => void;
    try {
      const pidFile = this.pidFileOf();
      mkdirPrivate(dirname(pidFile));
      const busy = () => new ConflictError(`the daemon lock file ${pidFile} is held by another process of this machine`);
      releasePid = acquirePidLock(pidFile, { pid: holder.pid, startedAt: holder.startedAt, db: this.location }, { held: busy, starting: busy });
    } catch (err) {
      released = true;
      await client.end().catch(() => undefined);
      throw err;
    }
    this.locks.add(client);
    // A dead server or network is seen within a minute even when nothing else is asked of it.
    // An answer that never comes (a network that swallows packets) counts as lost too.
    const ping = setInterval(() => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('the database did not answer the daemon lock\'s connection within 15 s')), 15_000);
      });
      void Promise.race([client.query('SELECT 1'), late]).then(
        () => clearTimeout(timer),
        (err) => {
          clearTimeout(timer);
          if (!released) lost(translate(err) as Error);
        },
      );
    }, 30_000);
    ping.unref();
    return {
      lost: lostP,
      release: async () => {
        if (released) return;
        released = true;
        clearInterval(ping);
        this.locks.delete(client);
        releasePid();
        await client.query('SELECT pg_advisory_unlock($1)', [this.lockKey]).catch(() => undefined);
        await client.end().catch(() => undefined);
      },
    };
  }

  /** Who holds the daemon lock: the session pg_locks names, told by its application_name. */
  async daemonHolder(run: (sql: string, params: unknown[]) => Promise<{ pid: number; name: string | null }[]>): Promise<DaemonHolder | null> {
    const rows = await run(
      `SELECT l.pid AS pid, a.application_name AS name
         FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND l.classid = ? AND l.objid = ? AND l.objsubid = 1`,
      [Math.floor(this.lockKey / 2 ** 32), this.lockKey % 2 ** 32],
    );
    const row = rows[0];
    if (!row) return null;
    // A session of another program holding the key, or a name hidden: still held, by a session only.
    return parseHolderName(row.name) ?? { pid: row.pid, host: '(database session)', startedAt: '' };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.retry);
    const client = this.listener;
    this.listener = undefined;
    await client?.end().catch(() => undefined);
    for (const c of this.locks) await c.end().catch(() => undefined);
    this.locks.clear();
  }
}
