/**
 * The PostgreSQL backend: a team's shared store (SPEC Shape, U1, U2). Loaded only when a
 * `postgres://` location is opened (src/store/index.ts), so SQLite commands never load `pg`.
 *
 * Connection: node-postgres with libpq's conventions (PGHOST, PGPORT, PGUSER, PGPASSWORD,
 * PGDATABASE, ~/.pgpass, `sslmode` in the URL). A small pool: a CLI uses one connection, the
 * daemon's concurrent flows (HTTP requests, jobs, deliveries) a few.
 *
 * Transactions: one per flow, as on SQLite (AsyncLocalStorage). Every write transaction takes one
 * database-wide transaction-scoped advisory lock first, so write transactions run one at a time
 * across every process and machine, as SQLite's BEGIN IMMEDIATE does: the services' read-then-write
 * steps (duplicate checks, numbering, claims) keep the meaning they have on SQLite. Reads outside a
 * transaction never wait for it.
 */
import pg from 'pg';
import { StoreError } from '../../errors.js';
import { pgConfig } from './connection.js';
import type { BackupInfo, DaemonHolder, DaemonLock, OutboxWatch, Store, StoreCheck, StoreFiles } from '../types.js';
import { PgEvents, poolPids } from './events.js';
import { postgresFiles } from './files.js';
import { migrations, SCHEMA_VERSION } from './migrations/index.js';
import { PgSql, translate } from './sql.js';
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

// bigint (count(*), sums, int8 columns) and numeric come back as JS numbers, as SQLite's do:
// crm's counts and minor-unit amounts stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

/** Keys of the advisory locks crm takes (pg_advisory_lock's bigint space; arbitrary, fixed). */
export const LOCK = {
  /** Held while migrations run: concurrent first opens apply each migration once. */
  migrate: 7_242_001,
  /** Held by every write transaction (see above). */
  write: 7_242_002,
  /** Held by the one running daemon of a database, for its life. */
  daemon: 7_242_003,
} as const;

export interface PostgresOpenOptions {
  /** Create the schema (and the database, when it does not exist and the role may) — only `crm init`. */
  create?: boolean;
  /** Most connections the pool opens (default 4). */
  maxConnections?: number;
}

/** The location with its password hidden, for messages. */
export function shownLocation(location: string): string {
  return location.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/@:]*):[^/@]*@/i, '$1:***@');
}

export async function openPostgresStore(location: string, options: PostgresOpenOptions = {}): Promise<Store> {
  const pool = await connect(location, options);
  const sql = new PgSql(pool);
  try {
    await migrate(sql, location, options);
  } catch (err) {
    await pool.end().catch(() => undefined);
    // A login outside the store's app role may not even read crm_schema: a StoreError, not a bug.
    throw translate(err);
  }
  return new PostgresStore(sql, location);
}

function newPool(location: string, max: number): pg.Pool {
  // TimeZone UTC: a zone-less ISO text cast to timestamptz means UTC, as in SQLite's date functions.
  // jit off: crm's statements are short, and the planner's cost of a batch lookup (thousands of
  // indexed probes, more so on a table whose statistics lag behind an import) crosses
  // jit_above_cost, where compiling took 400 ms for a statement that runs in 9.
  const pool = new pg.Pool(pgConfig<pg.PoolConfig>(location, { max, idleTimeoutMillis: 0, application_name: 'crm', options: '-c TimeZone=UTC -c jit=off' }));
  // An idle pooled connection that the server drops (restart, admin) must not crash the process.
  pool.on('error', () => undefined);
  return pool;
}

async function connect(location: string, options: PostgresOpenOptions): Promise<pg.Pool> {
  const pool = newPool(location, options.maxConnections ?? 4);
  try {
    const client = await pool.connect();
    client.release();
    return pool;
  } catch (err) {
    await pool.end().catch(() => undefined);
    const e = err as Error & { code?: string };
    if (e.code === '3D000' && options.create) {
      await createDatabase(location);
      return connect(location, { ...options, create: false });
    }
    throw connectError(location, e);
  }
}

/**
 * A crm store's database that does not exist yet (`crm init`, a restore into a new database):
 * created from the `postgres` maintenance database, when the role may. `retry` ends the hint.
 */
export async function createDatabase(location: string, retry = 'run init again'): Promise<void> {
  const url = new URL(location);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  url.pathname = '/postgres';
  const client = new pg.Client(pgConfig(url.toString()));
  try {
    await client.connect();
    // Byte-order text (collation and character classes "C"): ORDER BY, comparisons and lower()
    // behave as SQLite's BINARY text does; case-insensitive columns use the nocase collation.
    await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`);
  } catch (err) {
    const e = err as Error & { code?: string };
    // Created meanwhile by another process (42P04; 23505 when both CREATE DATABASE at once).
    if (e.code === '42P04' || e.code === '23505') return;
    throw new StoreError(
      `the database '${name}' does not exist and cannot be created here: ${e.message}`,
      `create it first (createdb, or CREATE DATABASE as a role that may), then ${retry}`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

function connectError(location: string, e: Error & { code?: string }): StoreError {
  const where = shownLocation(location);
  if (e.code === '3D000') return new StoreError(`no crm store at ${where} (the database does not exist)`, { id: 'store.init' });
  if (e.code === '28P01' || e.code === '28000') {
    return new StoreError(`the database refused the login at ${where}: ${e.message}`, 'check the user name and password (PGPASSWORD, ~/.pgpass or the URL)');
  }
  // pg's words when the server asks for a password (SCRAM) and none was found: not in the URL, PGPASSWORD or ~/.pgpass.
  if (/client password must be a string/.test(e.message)) {
    return new StoreError(`the database at ${where} asks for a password and none was given`, 'give it in the URL, after the user name and a colon, or in PGPASSWORD or ~/.pgpass');
  }
  if (e.code === 'ECONNREFUSED' || e.code === 'ENOTFOUND' || e.code === 'ETIMEDOUT' || e.code === 'EHOSTUNREACH') {
    return new StoreError(`cannot reach the database server of ${where} (${e.code})`, 'check that PostgreSQL runs there and the host and port are right');
  }
  if (e.code === '53300' || e.code === '57P03') return new StoreError(`the database server of ${where} takes no more connections now: ${e.message}`, 'try again, or ask an admin to raise max_connections');
  return new StoreError(`cannot open the store ${where}: ${e.message}`, 'check the location and that it is a crm store');
}

/**
 * Brings the schema to SCHEMA_VERSION, one migration per transaction, under a session advisory
 * lock: two processes starting at once apply each migration once. `crm_schema` holds the version.
 */
async function migrate(sql: PgSql, location: string, options: PostgresOpenOptions): Promise<void> {
  const client = await sql.pool.connect();
  try {
    // One round trip on every open: the version, or no crm_schema table at all (42P01).
    const version = async (): Promise<number | null> => {
      try {
        const r = await client.query<{ version: number }>('SELECT version FROM crm_schema');
        return r.rows[0]?.version ?? 0;
      } catch (err) {
        if ((err as { code?: string }).code === '42P01') return null;
        throw err;
      }
    };
    const fast = await version();
    if (fast === SCHEMA_VERSION) return;
    if (fast !== null && fast > SCHEMA_VERSION) {
      throw new StoreError(`the store ${shownLocation(location)} is at schema version ${fast}, newer than this crm understands (${SCHEMA_VERSION})`, 'upgrade crm; it never downgrades a store');
    }
    if (fast === null) {
      const tables = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = current_schema()");
      if (tables.rows[0]!.n > 0) throw new StoreError(`${shownLocation(location)} is a PostgreSQL database but not a crm store (it has tables of its own)`, { id: 'store.other-file' });
      if (!options.create) throw new StoreError(`no crm store at ${shownLocation(location)} (the database is empty)`, { id: 'store.init' });
    }
    await client.query('SELECT pg_advisory_lock($1)', [LOCK.migrate]);
    try {
      for (let v = (await version()) ?? 0; v < SCHEMA_VERSION; v++) {
        await client.query('BEGIN');
        try {
          await client.query(migrations[v]!);
          await client.query('CREATE TABLE IF NOT EXISTS crm_schema (version integer NOT NULL)');
          await client.query('DELETE FROM crm_schema');
          await client.query('INSERT INTO crm_schema (version) VALUES ($1)', [v + 1]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw new StoreError(`migrating the store ${shownLocation(location)} to version ${v + 1} failed: ${(err as Error).message}`);
        }
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [LOCK.migrate]).catch(() => undefined);
    }
  } finally {
    client.release();
  }
}

class PostgresStore implements Store {
  readonly backend = 'postgres';
  readonly files: StoreFiles;
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
  private closed = false;
  /** LISTEN/NOTIFY and the daemon lock, on connections of their own (events.ts). */
  private readonly events: PgEvents;
  /** Settles when the transaction of this handle that is open or queued last is over. */
  private turn: Promise<void> = Promise.resolve();

  constructor(
    readonly sql: PgSql,
    readonly location: string,
  ) {
    // The side files on this machine (import locks, the daemon's files): their directory is named and
    // made when one of them is first asked for (postgresFiles).
    this.files = postgresFiles(location);
    this.events = new PgEvents(location, LOCK.daemon, () => poolPids(sql.pool), () => this.files.daemon().pid);
    this.settings = settingsRepo(sql);
    this.userSettings = userSettingsRepo(sql);
    this.users = usersRepo(sql);
    const tax = taxonomyRepos(sql);
    this.stages = tax.stages;
    this.sources = tax.sources;
    this.tags = tax.tags;
    this.leads = leadsRepo(sql);
    this.activities = activitiesRepo(sql);
    this.followUps = followUpsRepo(sql);
    this.followUpSeries = followUpSeriesRepo(sql);
    this.followUpRules = followUpRulesRepo(sql);
    this.appointments = appointmentsRepo(sql);
    this.calls = callsRepo(sql);
    this.tickets = ticketsRepo(sql);
    this.reports = reportsRepo(sql);
    this.imports = importsRepo(sql);
    this.maintenance = maintenanceRepo(sql);
    this.outbox = outboxRepo(sql);
    this.inbox = inboxRepo(sql);
    this.consent = consentRepo(sql, (fn) => this.transaction(fn));
    this.optOuts = optOutsRepo(sql, this.consent);
    this.userPhones = userPhonesRepo(sql);
    this.jobs = jobsRepo(sql);
    this.ruleMarks = ruleMarksRepo(sql);
    this.reminders = remindersRepo(sql);
    this.reportSchedules = reportSchedulesRepo(sql);
    this.segments = segmentsRepo(sql);
    this.campaigns = campaignsRepo(sql);
    this.board = boardRepo(sql);
    this.marketplaces = marketplacesRepo(sql);
    this.roundRobin = roundRobinRepo(sql);
    this.intakeForms = intakeFormsRepo(sql);
    this.intakeLog = intakeLogRepo(sql);
    this.inboundMessages = inboundMessagesRepo(sql);
    this.proposalTemplates = proposalTemplatesRepo(sql);
    this.proposals = proposalsRepo(sql);
    ({ orders: this.orders, products: this.products, contactPersons: this.contactPersons } = orderRepos(sql));
    this.mailboxes = mailboxesRepo(sql);
    this.routing = routingRepo(sql);
    this.scoring = scoringRepo(sql);
    this.welcome = welcomeRepo(sql);
    this.audit = auditRepo(sql);
    this.people = peopleRepo(sql);
    this.portal = portalRepo(sql);
  }

  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.sql.current()) return fn(); // this flow's transaction is open: join it
    // One transaction of this handle at a time, the others queued here (as on SQLite's one
    // connection) rather than each holding a pooled connection while it waits for the write lock:
    // the pool stays free for reads, and for any connection a running transaction needs.
    const turn = this.turn;
    let done!: () => void;
    this.turn = new Promise<void>((resolve) => (done = resolve));
    await turn;
    let client: pg.PoolClient;
    try {
      client = await this.sql.pool.connect();
    } catch (err) {
      done();
      throw translate(err);
    }
    let broken = false;
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [LOCK.write]);
      // Who acts, for this transaction only (row-level security, migration 0002).
      const acting = this.sql.actingUser();
      if (acting !== undefined) await client.query("SELECT set_config('crm.acting_user', $1, true)", [acting]);
      const result = await this.sql.within(client, fn);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true;
      }
      throw translate(err);
    } finally {
      client.release(broken);
      done();
    }
  }

  changeToken(): Promise<string> {
    return this.events.changeToken();
  }

  lockDaemon(holder: DaemonHolder, wait: boolean, signal: AbortSignal | null): Promise<DaemonLock | null> {
    return this.events.lockDaemon(holder, wait, signal);
  }

  daemonHolder(): Promise<DaemonHolder | null> {
    return this.events.daemonHolder((text, params) => this.sql.all(text, ...params));
  }

  watchOutbox(listener: () => void): Promise<OutboxWatch> {
    return this.events.watchOutbox(listener);
  }

  async checkup(): Promise<StoreCheck[]> {
    const { checkupPostgres } = await import('./doctor.js');
    return checkupPostgres(this.sql, this.location, () => this.daemonHolder());
  }

  async backup(file: string): Promise<BackupInfo> {
    const { backupPostgres } = await import('./backup.js');
    return backupPostgres(this, file);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.events.close();
    for (const close of this.sql.closers.splice(0)) await close().catch(() => undefined);
    await this.sql.pool.end();
  }
}

export type { PostgresStore };
