/**
 * The store contract: how crm's records are kept, whatever the backend. What the records are
 * (the domain model) lives in src/domain/.
 */
import type { AppointmentsRepo } from './contract/appointments.js';
import type { AuditRepo } from './contract/audit.js';
import type { PeopleRepo } from './contract/people.js';
import type { ConsentRepo } from './contract/consent.js';
import type { BoardRepo } from './contract/board.js';
import type { CallsRepo } from './contract/calls.js';
import type { TicketsRepo } from './contract/tickets.js';
import type { CampaignsRepo, SegmentsRepo } from './contract/campaigns.js';
import type { FollowUpRulesRepo, FollowUpSeriesRepo, FollowUpsRepo, RemindersRepo } from './contract/followups.js';
import type { ImportsRepo, MaintenanceRepo } from './contract/imports.js';
import type { InboundMessagesRepo, IntakeFormsRepo, IntakeLogRepo, MailboxesRepo, MarketplacesRepo, RoundRobinRepo } from './contract/intake.js';
import type { ActivitiesRepo, LeadsRepo } from './contract/leads.js';
import type { InboxRepo, JobsRepo, OptOutsRepo, OutboxRepo, RuleMarksRepo, UserPhonesRepo } from './contract/notify.js';
import type { SourcesRepo, StagesRepo, TagsRepo } from './contract/pipeline.js';
import type { ContactPersonsRepo, OrdersRepo, ProductsRepo } from './contract/orders.js';
import type { ProposalTemplatesRepo, ProposalsRepo } from './contract/proposals.js';
import type { ReportSchedulesRepo, ReportsRepo } from './contract/reports.js';
import type { RoutingRepo, ScoringRepo, WelcomeRepo } from './contract/routing.js';
import type { SettingsRepo, UserSettingsRepo, UsersRepo } from './contract/users.js';

/**
 * The files a store keeps on this machine beside its records: the daemon's lock, log and
 * address, and the locks of imports running into it. For an SQLite store they sit beside the
 * store file (`<store>.daemon.pid`, `<store>.import-<hash>.lock`…); a server store (PostgreSQL)
 * keeps them in a local state directory named after its location. Only paths: who holds a
 * lock file is read from it (src/io/pidlock.ts), whatever the backend.
 */
export interface StoreFiles {
  /** One daemon per store: its lock (PID file), its log, the address its HTTP endpoint bound, the secrets file a service unit reads. */
  daemon(): { pid: string; log: string; http: string; env: string };
  /** The lock an import of these bytes holds while it runs (`contentHash`: the file's SHA-256, hex). */
  importLock(contentHash: string): string;
  /** Every import lock file present now, live or left by a process that died (stale). */
  importLocks(): string[];
  /**
   * The local paths that hold the store's records, secrets or logs (its directory first): they
   * should be their owner's alone (`crm doctor` warns when one is readable by others).
   */
  privatePaths(): string[];
}

/** What a backup file holds, for messages ("… with 1,234 leads"). */
export interface BackupInfo {
  file: string;
  schemaVersion: number;
  leads: number;
  users: number;
  bytes: number;
}

export interface RestoreResult {
  restored: BackupInfo;
  /** The store that was replaced, and the backup of it kept beside it (null: there was none). */
  replaced: BackupInfo | null;
  savedAs: string | null;
}

/** Who runs a store's daemon: its process, the machine it runs on, since when. */
export interface DaemonHolder {
  pid: number;
  host: string;
  startedAt: string;
}

/** The daemon lock a process holds (Store.lockDaemon). */
export interface DaemonLock {
  /**
   * Resolves, with the reason, if the lock is lost while held (its database connection dropped):
   * another daemon may take over, so this one must stop at once. Never resolves for a local store.
   */
  readonly lost: Promise<Error>;
  /** Releases the lock; a second call does nothing. */
  release(): Promise<void>;
}

/** One thing `doctor` checked of the store itself (Store.checkup). */
export interface StoreCheck {
  check: string;
  ok: boolean;
  /** Not a failure, but something to look at. */
  warn?: boolean;
  detail: string;
}

/** A watch on the outbox (Store.watchOutbox). */
export interface OutboxWatch {
  /** Whether this backend tells at all: false means the daemon must poll (SQLite). */
  readonly pushes: boolean;
  close(): Promise<void>;
}

/**
 * A store handle: one connection (or pool) to the store at `location`.
 *
 * Concurrency: every operation that claims work — outbox.claim, reminders.markSent,
 * ruleMarks.mark/markRef, inboundMessages.mark, campaigns.transition, roundRobin.take,
 * mailboxes.record — is one atomic statement or a guarded conditional update on every backend,
 * so that two processes (or two pooled connections of a server) never both get the same row,
 * whatever transaction isolation they run under.
 */
export interface Store {
  readonly backend: string;
  readonly location: string;
  /** Where this store's daemon and import locks live (see StoreFiles). */
  readonly files: StoreFiles;
  /**
   * Runs fn in one write transaction. The transaction belongs to the flow (the async call chain)
   * that opened it: calls made inside fn, however deep, join it; a transaction opened meanwhile
   * by another flow of this process (an HTTP request, a job, a delivery) never joins it — it
   * waits its turn and commits or rolls back on its own.
   */
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * Changes whenever another connection or process commits to the store (not on this handle's
   * own writes): the board redraws when it does. Opaque; compare for equality only.
   */
  changeToken(): Promise<string>;
  /**
   * One active daemon per store. Takes the store's daemon lock for `holder` (this process). When
   * another holds it: with `wait` false, resolves null at once (daemonHolder() says who); with
   * `wait` true, waits until it is free — a hot standby that takes over when the holder stops or
   * dies — or until `signal` aborts (then null). SQLite: the PID file beside the store
   * (StoreFiles.daemon().pid): daemons of this machine. A server store: a lock in the database,
   * held on a connection of its own for the daemon's life and released by the server when that
   * connection drops, whichever machine the daemons run on; the holder writes the local PID file
   * too, so that its own machine can signal it.
   */
  lockDaemon(holder: DaemonHolder, wait: boolean, signal: AbortSignal | null): Promise<DaemonLock | null>;
  /** Who holds the daemon lock now (null: nobody). */
  daemonHolder(): Promise<DaemonHolder | null>;
  /**
   * Calls `listener` soon after a commit (from any process or connection, this handle's too) that
   * may have made outbox messages due: queued, retried, given back. Resolves once listening. A
   * backend that cannot tell (SQLite) never calls it and says so (`pushes` false): the daemon polls.
   */
  watchOutbox(listener: () => void): Promise<OutboxWatch>;
  /**
   * What `doctor` checks of the store itself beyond its records. A server store: the connection
   * and the server's version, row-level security in force on every table, the store's group
   * roles, who holds the daemon lock. SQLite: nothing ([]; its file checks are StoreFiles').
   */
  checkup(): Promise<StoreCheck[]>;
  /**
   * An online, consistent copy of the whole store in `file` (safe while others write), written
   * under a temporary name and renamed when complete; a ConflictError if `file` is the store
   * itself. A backend that cannot make one throws a StoreError saying so.
   */
  backup(file: string): Promise<BackupInfo>;
  /** Closes the connection; waits for nothing else. A second call does nothing. */
  close(): Promise<void>;

  // One repository per area; each is specified in src/store/contract/<area>.ts.
  settings: SettingsRepo;
  userSettings: UserSettingsRepo;
  users: UsersRepo;
  stages: StagesRepo;
  sources: SourcesRepo;
  tags: TagsRepo;
  leads: LeadsRepo;
  activities: ActivitiesRepo;
  followUps: FollowUpsRepo;
  followUpSeries: FollowUpSeriesRepo;
  followUpRules: FollowUpRulesRepo;
  appointments: AppointmentsRepo;
  calls: CallsRepo;
  tickets: TicketsRepo;
  reports: ReportsRepo;
  imports: ImportsRepo;
  maintenance: MaintenanceRepo;
  outbox: OutboxRepo;
  inbox: InboxRepo;
  optOuts: OptOutsRepo;
  userPhones: UserPhonesRepo;
  jobs: JobsRepo;
  ruleMarks: RuleMarksRepo;
  reminders: RemindersRepo;
  reportSchedules: ReportSchedulesRepo;
  board: BoardRepo;
  segments: SegmentsRepo;
  campaigns: CampaignsRepo;
  marketplaces: MarketplacesRepo;
  roundRobin: RoundRobinRepo;
  intakeForms: IntakeFormsRepo;
  intakeLog: IntakeLogRepo;
  inboundMessages: InboundMessagesRepo;
  proposalTemplates: ProposalTemplatesRepo;
  proposals: ProposalsRepo;
  orders: OrdersRepo;
  products: ProductsRepo;
  contactPersons: ContactPersonsRepo;
  mailboxes: MailboxesRepo;
  routing: RoutingRepo;
  scoring: ScoringRepo;
  welcome: WelcomeRepo;
  audit: AuditRepo;
  people: PeopleRepo;
  consent: ConsentRepo;
}
