import type { Command } from 'commander';
import { readConfig, resolvePaths, type Paths, type UserConfig } from './config.js';
import { NotFoundError, PermissionError, UsageError } from './errors.js';
import { createIO, type IO } from './io/streams.js';
import { createPrompter, type Prompter } from './io/prompter.js';
import type { ServiceContext } from './services/context.js';
import type { User } from './domain/users.js';
import { openStore, storeFiles } from './store/index.js';
import type { Store, StoreFiles } from './store/types.js';

/** What every command gets (like gh's cmdutil.Factory). Expensive things are functions, created on first use. */
export interface Context {
  io: IO;
  env: Record<string, string | undefined>;
  paths: Paths;
  config: UserConfig;
  now: () => Date;
  prompter: Prompter;
  timeZone: string | undefined;
  /** Opens the existing store (migrating it); `create` only for crm init. */
  store: (opts?: { create?: boolean }) => Promise<Store>;
  /** The store's side files (daemon, import locks), without opening it. */
  files: () => StoreFiles;
  /** The acting user: --as, then CRM_USER, then the config file. */
  actor: () => Promise<User>;
  /** store + actor + now, for service calls. */
  services: () => Promise<ServiceContext>;
  /** Closes the store if it was opened; safe to call twice. */
  close: () => Promise<void>;
}

export interface Runtime {
  env: Record<string, string | undefined>;
  stdin: IO['stdin'];
  stdout: IO['stdout'];
  stderr: IO['stderr'];
  /** Fixed clock for tests; otherwise CRM_NOW (ISO) or the real time. */
  now?: () => Date;
}

interface GlobalOptions {
  as?: string;
  db?: string;
  color?: boolean;
  yes?: boolean;
}

export function createContext(rt: Runtime, cmd: Command): Context {
  const globals = cmd.optsWithGlobals<GlobalOptions>();
  const io = createIO(rt, rt.env, globals.color === false);
  const paths = resolvePaths(rt.env, globals.db);
  const config = readConfig(paths.configFile);
  const now = rt.now ?? clockFromEnv(rt.env);
  let store: Store | undefined;
  let actor: User | undefined;
  const ctx: Context = {
    io,
    env: rt.env,
    paths,
    config,
    now,
    prompter: createPrompter(io, Boolean(globals.yes)),
    timeZone: rt.env.CRM_TZ || config.timezone || undefined,
    async store(opts) {
      store ??= await openStore(paths.dbFile, { create: opts?.create });
      return store;
    },
    files: () => store?.files ?? storeFiles(paths.dbFile),
    async actor() {
      if (actor) return actor;
      const email = globals.as ?? rt.env.CRM_USER ?? config.user;
      if (!email) throw new UsageError('no acting user', 'pass --as <email>, set CRM_USER, or run crm init');
      const s = await ctx.store();
      const user = await s.users.byEmail(email);
      if (!user) throw new NotFoundError(`unknown user '${email}' (from ${globals.as ? '--as' : rt.env.CRM_USER ? 'CRM_USER' : paths.configFile})`, 'list users with crm user list');
      if (!user.active) throw new PermissionError(`user ${user.email} is deactivated`, 'ask an admin to reactivate the account');
      actor = user;
      return user;
    },
    async services() {
      return { store: await ctx.store(), actor: await ctx.actor(), now: now() };
    },
    async close() {
      const s = store;
      store = undefined;
      await s?.close();
    },
  };
  return ctx;
}

function clockFromEnv(env: Record<string, string | undefined>): () => Date {
  const fixed = env.CRM_NOW;
  if (!fixed) return () => new Date();
  const d = new Date(fixed);
  if (Number.isNaN(d.getTime())) throw new UsageError(`invalid CRM_NOW '${fixed}'`, 'use an ISO-8601 time such as 2026-11-23T09:00:00Z');
  return () => d;
}
