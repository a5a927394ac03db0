import type { Command } from 'commander';
import { readConfig, resolvePaths, type Paths, type UserConfig } from './config.js';
import { NotFoundError, PermissionError, UsageError } from './errors.js';
import { createIO, type IO } from './io/streams.js';
import { createPrompter, type Prompter } from './io/prompter.js';
import type { ServiceContext } from './services/context.js';
import type { User } from './domain/users.js';
import { isUrlLocation, openStore, storeFiles } from './store/index.js';
import type { Store, StoreFiles } from './store/types.js';
import type { LoginsRepo } from './store/contract/users.js';

/** What every command gets (like gh's cmdutil.Factory). Expensive things are functions, created on first use. */
export interface Context {
  io: IO;
  env: Record<string, string | undefined>;
  paths: Paths;
  config: UserConfig;
  now: () => Date;
  prompter: Prompter;
  /** CRM_TZ, else the acting user's personal timezone (once `actor()` or `services()` ran), else the config file's. */
  timeZone: string | undefined;
  /** Opens the existing store (migrating it); `create` only for crm init. */
  store: (opts?: { create?: boolean }) => Promise<Store>;
  /** The store's side files (daemon, import locks), without opening it. */
  files: () => StoreFiles;
  /**
   * The acting user. SQLite: --as, then CRM_USER, then the config file (whoever can write the
   * file is every user). PostgreSQL: the user whose database role is the connected login; --as or
   * CRM_USER naming someone else is obeyed only from an admin's login (the store then tells the
   * database whom it acts as, and the timeline records both), refused from any other.
   */
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
  // Precedence of the zone (a --tz flag wins over all, in resolveTimeZone): CRM_TZ, the acting
  // user's personal timezone (read once the actor is known), the config file's, the system's.
  const personalZone = async (s: Store, user: User) => {
    if (rt.env.CRM_TZ) return;
    const mine = await s.userSettings.get(user.id, 'timezone');
    if (mine) ctx.timeZone = mine;
  };
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
      if (isUrlLocation(paths.dbFile)) {
        const s0 = await ctx.store();
        if (s0.users.logins) {
          actor = await loginActor(s0, s0.users.logins, globals.as ?? rt.env.CRM_USER, globals.as ? '--as' : 'CRM_USER');
          await personalZone(s0, actor);
          return actor;
        }
      }
      const email = globals.as ?? rt.env.CRM_USER ?? config.user;
      if (!email) throw new UsageError('no acting user', 'pass --as <email>, set CRM_USER, or run crm init');
      const s = await ctx.store();
      const user = await s.users.byEmail(email);
      if (!user) throw new NotFoundError(`unknown user '${email}' (from ${globals.as ? '--as' : rt.env.CRM_USER ? 'CRM_USER' : paths.configFile})`, 'list users with crm user list');
      if (!user.active) throw new PermissionError(`user ${user.email} is deactivated`, 'ask an admin to reactivate the account');
      actor = user;
      await personalZone(s, user);
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

/** PostgreSQL: who acts is the login (see Context.actor). */
async function loginActor(store: Store, logins: LoginsRepo, named: string | undefined, from: string): Promise<User> {
  const me = await logins.byLogin();
  if (!me) {
    const role = await logins.connected();
    throw new PermissionError(`the database login ${role} is no crm user's on this store`, 'ask an admin to add you with crm user add (--db-role names an existing login), or connect as your own login');
  }
  if (!me.active) throw new PermissionError(`user ${me.email} is deactivated`, 'ask an admin to reactivate the account');
  if (!named || named.trim().toLowerCase() === me.email.toLowerCase()) {
    logins.actAs(null);
    return me;
  }
  if (me.role !== 'admin') {
    throw new PermissionError(
      `${from} ${named}: on this store you act as your login's user (${me.email}, a ${me.role}); only an admin's login may act as someone else`,
      from === '--as' ? 'drop --as' : 'unset CRM_USER',
    );
  }
  const user = await store.users.byEmail(named);
  if (!user) throw new NotFoundError(`unknown user '${named}' (from ${from})`, 'list users with crm user list');
  if (!user.active) throw new PermissionError(`user ${user.email} is deactivated`, 'ask an admin to reactivate the account');
  logins.actAs(user.id);
  return user;
}

function clockFromEnv(env: Record<string, string | undefined>): () => Date {
  const fixed = env.CRM_NOW;
  if (!fixed) return () => new Date();
  const d = new Date(fixed);
  if (Number.isNaN(d.getTime())) throw new UsageError(`invalid CRM_NOW '${fixed}'`, 'use an ISO-8601 time such as 2026-11-23T09:00:00Z');
  return () => d;
}
