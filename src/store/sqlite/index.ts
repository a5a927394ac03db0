import { AsyncLocalStorage } from 'node:async_hooks';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import type Database from 'better-sqlite3';
import { openDatabase } from './driver.js';
import { BugError, ConflictError, StoreError } from '../../errors.js';
import { mkdirPrivate, touchPrivate } from '../../io/private.js';
import { acquirePidLock, liveHolder } from '../../io/pidlock.js';
import type { BackupInfo, DaemonHolder, DaemonLock, OutboxWatch, Store, StoreCheck, StoreFiles } from '../types.js';
import { sqliteFiles } from './files.js';
import { migrations, SCHEMA_VERSION } from './migrations/index.js';
import { leadsRepo } from './leads.js';
import { campaignsRepo, segmentsRepo } from './segments.js';
import { taxonomyRepos } from './taxonomy.js';
import { usersRepo } from './users.js';
import { activitiesRepo, settingsRepo, userSettingsRepo } from './misc.js';
import { followUpRulesRepo, followUpSeriesRepo, followUpsRepo } from './followups.js';
import { appointmentsRepo } from './appointments.js';
import { callsRepo } from './calls.js';
import { ticketsRepo } from './tickets.js';
import { portalRepo } from './portal.js';
import { reportsRepo } from './reports.js';
import { importsRepo, maintenanceRepo } from './imports.js';
import { inboxRepo, jobsRepo, optOutsRepo, outboxRepo, remindersRepo, reportSchedulesRepo, ruleMarksRepo, userPhonesRepo } from './outbox.js';
import { boardRepo } from './board.js';
import { marketplacesRepo, roundRobinRepo } from './intake.js';
import { inboundMessagesRepo, intakeFormsRepo, intakeLogRepo } from './intake-http.js';
import { orderRepos } from './orders.js';
import { proposalsRepo, proposalTemplatesRepo } from './proposals.js';
import { mailboxesRepo } from './mailbox.js';
import { routingRepo, scoringRepo, welcomeRepo } from './routing.js';
import { auditRepo } from './audit.js';
import { peopleRepo } from './people.js';
import { consentRepo } from './consent.js';

export type Db = Database.Database;

/** Prepared statements cached by their SQL text: each is compiled once per process. */
export class Sql {
  private cache = new Map<string, Database.Statement>();
  constructor(readonly db: Db) {}
  stmt(sql: string): Database.Statement {
    let s = this.cache.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.cache.set(sql, s);
    }
    return s;
  }
  // SQLite's errors become typed ones here, so a call made outside a transaction says the same
  // (a duplicate name is a ConflictError either way).
  all<T>(sql: string, ...params: unknown[]): T[] {
    try {
      return this.stmt(sql).all(...params) as T[];
    } catch (err) {
      throw translate(err);
    }
  }
  get<T>(sql: string, ...params: unknown[]): T | undefined {
    try {
      return this.stmt(sql).get(...params) as T | undefined;
    } catch (err) {
      throw translate(err);
    }
  }
  run(sql: string, ...params: unknown[]): Database.RunResult {
    try {
      return this.stmt(sql).run(...params);
    } catch (err) {
      throw translate(err);
    }
  }
}

export interface OpenOptions {
  /** Create the file if it does not exist (only `crm init` does). */
  create?: boolean;
  busyTimeoutMs?: number;
}

export function openSqliteStore(file: string, options: OpenOptions = {}): Store {
  if (!options.create && !existsSync(file)) {
    throw new StoreError(`no crm store at ${file}`, { id: 'store.init' });
  }
  if (options.create) {
    // SQLite creates the file 0644 (umask permitting) and its -wal/-shm with the file's mode: an
    // empty file made 0600 first is what SQLite then fills, and its journals follow it.
    mkdirPrivate(dirname(file));
    touchPrivate(file);
  }
  let db: Db;
  try {
    db = openDatabase(file, { timeout: options.busyTimeoutMs ?? 10_000 });
    db.pragma('journal_mode = WAL');
  } catch (err) {
    throw new StoreError(`cannot open the store ${file}: ${(err as Error).message}`, 'check the path and that it is a crm store');
  }
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  // Reads through a memory map: reports touch many pages of a large store (mapped lazily, so
  // small commands pay nothing).
  db.pragma('mmap_size = 268435456');
  migrate(db, file);
  return new SqliteStore(db, file);
}

export function migrate(db: Db, file: string): void {
  const version = (): number => db.pragma('user_version', { simple: true }) as number;
  const current = version();
  if (current > SCHEMA_VERSION) {
    db.close();
    throw new StoreError(
      `the store ${file} is at schema version ${current}, newer than this crm understands (${SCHEMA_VERSION})`,
      'upgrade crm; it never downgrades a store',
    );
  }
  if (current === SCHEMA_VERSION) return;
  if (current === 0) {
    const tables = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number };
    if (tables.n > 0) {
      db.close();
      throw new StoreError(`${file} is an SQLite database but not a crm store`, { id: 'store.other-file' });
    }
  }
  // BEGIN IMMEDIATE waits on the busy timeout, so concurrent first opens apply each migration once.
  db.exec('BEGIN IMMEDIATE');
  try {
    for (let v = version(); v < SCHEMA_VERSION; v++) {
      db.exec(migrations[v]!);
      db.pragma(`user_version = ${v + 1}`);
    }
    db.exec('COMMIT');
  } catch (err) {
    db.exec('ROLLBACK');
    throw new StoreError(`migrating the store ${file} failed: ${(err as Error).message}`);
  }
}

export class SqliteStore implements Store {
  readonly backend: string = 'sqlite';
  readonly files: StoreFiles;
  readonly sql: Sql;
  settings: Store['settings'];
  userSettings: Store['userSettings'];
  users: Store['users'];
  stages: Store['stages'];
  sources: Store['sources'];
  tags: Store['tags'];
  leads: Store['leads'];
  activities: Store['activities'];
  followUps: Store['followUps'];
  followUpSeries: Store['followUpSeries'];
  followUpRules: Store['followUpRules'];
  appointments: Store['appointments'];
  calls: Store['calls'];
  tickets: Store['tickets'];
  reports: Store['reports'];
  imports: Store['imports'];
  maintenance: Store['maintenance'];
  outbox: Store['outbox'];
  inbox: Store['inbox'];
  optOuts: Store['optOuts'];
  userPhones: Store['userPhones'];
  jobs: Store['jobs'];
  ruleMarks: Store['ruleMarks'];
  reminders: Store['reminders'];
  reportSchedules: Store['reportSchedules'];
  board: Store['board'];
  segments: Store['segments'];
  campaigns: Store['campaigns'];
  marketplaces: Store['marketplaces'];
  roundRobin: Store['roundRobin'];
  intakeForms: Store['intakeForms'];
  intakeLog: Store['intakeLog'];
  inboundMessages: Store['inboundMessages'];
  proposalTemplates: Store['proposalTemplates'];
  proposals: Store['proposals'];
  orders: Store['orders'];
  products: Store['products'];
  contactPersons: Store['contactPersons'];
  mailboxes: Store['mailboxes'];
  routing: Store['routing'];
  scoring: Store['scoring'];
  welcome: Store['welcome'];
  audit: Store['audit'];
  people: Store['people'];
  consent: Store['consent'];
  portal: Store['portal'];

  constructor(
    protected db: Db,
    readonly location: string,
  ) {
    this.sql = new Sql(db);
    this.files = sqliteFiles(location);
    this.settings = settingsRepo(this.sql);
    this.userSettings = userSettingsRepo(this.sql);
    this.users = usersRepo(this.sql);
    const tax = taxonomyRepos(this.sql);
    this.stages = tax.stages;
    this.sources = tax.sources;
    this.tags = tax.tags;
    this.leads = leadsRepo(this.sql);
    this.activities = activitiesRepo(this.sql);
    this.followUps = followUpsRepo(this.sql);
    this.followUpSeries = followUpSeriesRepo(this.sql);
    this.followUpRules = followUpRulesRepo(this.sql);
    this.appointments = appointmentsRepo(this.sql);
    this.calls = callsRepo(this.sql);
    this.tickets = ticketsRepo(this.sql);
    this.reports = reportsRepo(this.sql);
    this.imports = importsRepo(this.sql);
    this.maintenance = maintenanceRepo(this.sql);
    this.outbox = outboxRepo(this.sql);
    this.inbox = inboxRepo(this.sql);
    this.consent = consentRepo(this.sql, (fn) => this.transaction(fn));
    this.optOuts = optOutsRepo(this.sql, this.consent);
    this.userPhones = userPhonesRepo(this.sql);
    this.jobs = jobsRepo(this.sql);
    this.ruleMarks = ruleMarksRepo(this.sql);
    this.reminders = remindersRepo(this.sql);
    this.reportSchedules = reportSchedulesRepo(this.sql);
    this.segments = segmentsRepo(this.sql);
    this.campaigns = campaignsRepo(this.sql);
    this.board = boardRepo(this.sql);
    this.marketplaces = marketplacesRepo(this.sql);
    this.roundRobin = roundRobinRepo(this.sql);
    this.intakeForms = intakeFormsRepo(this.sql);
    this.intakeLog = intakeLogRepo(this.sql);
    this.inboundMessages = inboundMessagesRepo(this.sql);
    this.proposalTemplates = proposalTemplatesRepo(this.sql);
    this.proposals = proposalsRepo(this.sql);
    ({ orders: this.orders, products: this.products, contactPersons: this.contactPersons } = orderRepos(this.sql));
    this.mailboxes = mailboxesRepo(this.sql);
    this.routing = routingRepo(this.sql);
    this.scoring = scoringRepo(this.sql);
    this.welcome = welcomeRepo(this.sql);
    this.audit = auditRepo(this.sql);
    this.people = peopleRepo(this.sql);
    this.portal = portalRepo(this.sql);
  }

  /**
   * One connection, several flows (the daemon's HTTP requests, jobs and deliveries; a CLI has
   * one): a transaction belongs to the flow that opened it, told by the AsyncLocalStorage token
   * it runs under. A call from inside it joins; any other flow queues behind it (joining would
   * commit or roll back its writes with the other flow's fate).
   */
  private readonly flows = new AsyncLocalStorage<object>();
  /** The token of the flow whose transaction is open. */
  protected current?: object;
  private tail: Promise<unknown> = Promise.resolve();

  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.current !== undefined && this.flows.getStore() === this.current) return fn();
    const token = {};
    const run = () => this.flows.run(token, async () => {
      this.current = token;
      try {
        return await this.open(fn);
      } finally {
        this.current = undefined;
      }
    });
    const result = this.tail.then(run, run);
    this.tail = result.then(() => undefined, () => undefined);
    return result;
  }

  protected async open<T>(fn: () => Promise<T>): Promise<T> {
    // IMMEDIATE takes the write lock up front: a deferred transaction that reads and then
    // writes fails at once with SQLITE_BUSY when another process wrote in between.
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const result = await fn();
      this.db.exec('COMMIT');
      return result;
    } catch (err) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw translate(err);
    }
  }

  async changeToken(): Promise<string> {
    // PRAGMA data_version changes when another connection commits: other terminals, the daemon.
    return String(this.db.pragma('data_version', { simple: true }));
  }

  /** The PID file beside the store: daemons of this machine (an SQLite file is not shared across machines). */
  async lockDaemon(holder: DaemonHolder, wait: boolean, signal: AbortSignal | null): Promise<DaemonLock | null> {
    const file = this.files.daemon().pid;
    const busy = () => new ConflictError(`the daemon lock of ${this.location} is being taken by another process`);
    for (;;) {
      if (!liveHolder(file)) {
        try {
          const release = acquirePidLock(file, { pid: holder.pid, startedAt: holder.startedAt, db: this.location }, { held: busy, starting: busy });
          return { lost: new Promise<Error>(() => undefined), release: async () => release() };
        } catch (err) {
          if (!(err instanceof ConflictError)) throw err;
        }
      }
      if (!wait || signal?.aborted) return null;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 500);
        signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
      });
      if (signal?.aborted) return null;
    }
  }

  async daemonHolder(): Promise<DaemonHolder | null> {
    const info = liveHolder(this.files.daemon().pid);
    return info ? { pid: info.pid, host: hostname(), startedAt: info.startedAt } : null;
  }

  /** SQLite cannot tell another process's commit as it happens: the daemon polls. */
  async watchOutbox(_listener: () => void): Promise<OutboxWatch> {
    return { pushes: false, close: async () => undefined };
  }

  /** An SQLite file has no server, roles or row security to check (doctor checks its files' modes). */
  async checkup(): Promise<StoreCheck[]> {
    return [];
  }

  async backup(file: string): Promise<BackupInfo> {
    const { backupStoreFile } = await import('./backup.js');
    return backupStoreFile(this.db, this.location, file);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/** SQLite's own errors become typed errors with a message a user can act on. */
export function translate(err: unknown): unknown {
  if (!(err instanceof Error) || !('code' in err)) return err;
  const code = String((err as { code: unknown }).code);
  if (code === 'SQLITE_BUSY') return new StoreError('the store is busy (another crm process holds it too long)', 'try again');
  if (code.startsWith('SQLITE_CONSTRAINT_UNIQUE')) return new ConflictError(`already exists: ${err.message.replace(/^UNIQUE constraint failed: /, '')}`);
  if (code.startsWith('SQLITE_CONSTRAINT')) return new BugError(`store constraint failed: ${err.message}`);
  return err;
}
