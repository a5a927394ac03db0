import { readFileSync, renameSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from './errors.js';
import { mkdirPrivate, writePrivateFile } from './io/private.js';
import { isUrlLocation } from './store/index.js';

/** Per-person settings (who am I, which store). Team-wide settings live in the store. */
export interface UserConfig {
  user?: string;
  db?: string;
  timezone?: string;
}

export interface Paths {
  dataDir: string;
  configFile: string;
  dbFile: string;
  /** Where the db path came from, for messages. */
  dbFrom: 'flag' | 'CRM_DB' | 'config' | 'CRM_HOME' | 'default';
}

type Env = Record<string, string | undefined>;

/** XDG base directories, overridable as a whole with CRM_HOME. */
export function resolvePaths(env: Env, dbFlag?: string): Paths {
  const home = env.HOME || homedir();
  const crmHome = env.CRM_HOME ? resolve(env.CRM_HOME) : undefined;
  const dataDir = crmHome ?? join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'crm');
  const configFile = crmHome
    ? join(crmHome, 'config.json')
    : join(env.XDG_CONFIG_HOME || join(home, '.config'), 'crm', 'config.json');
  if (dbFlag) return { dataDir, configFile, dbFile: location(dbFlag), dbFrom: 'flag' };
  if (env.CRM_DB) return { dataDir, configFile, dbFile: location(env.CRM_DB), dbFrom: 'CRM_DB' };
  const config = readConfig(configFile);
  if (config.db) return { dataDir, configFile, dbFile: location(config.db), dbFrom: 'config' };
  return { dataDir, configFile, dbFile: join(dataDir, 'crm.db'), dbFrom: crmHome ? 'CRM_HOME' : 'default' };
}

/** A store location as given: a path is made absolute, a URL (postgres://…) is kept as it is. */
function location(given: string): string {
  return isUrlLocation(given) ? given : resolve(given);
}

export function readConfig(file: string): UserConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as UserConfig;
  } catch {
    // fall through to the error below
  }
  throw new UsageError(`config file ${file} is not a JSON object`, 'fix or delete the file and run `crm init` again');
}

/** Atomic write (temp file + rename), mode 0600 because it may one day hold secrets. */
export function writeConfig(file: string, config: UserConfig): void {
  mkdirPrivate(dirname(file));
  const tmp = `${file}.${process.pid}.tmp`;
  writePrivateFile(tmp, `${JSON.stringify(config, null, 2)}\n`);
  renameSync(tmp, file);
}
