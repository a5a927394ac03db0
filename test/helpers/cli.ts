import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, type Result } from 'execa';
import { expect } from 'vitest';
import { TEST_BACKEND, dropTestDatabase, freshPostgresUrl } from './store.js';

/** The built binary: end-to-end tests run exactly what a user runs (npm test builds first). */
export const BIN = fileURLToPath(new URL('../../bin/crm', import.meta.url));

/** A fixed clock for every command of a test, so timelines and dates are deterministic. */
export const NOW = '2026-11-23T09:00:00.000Z';

export interface Home {
  dir: string;
  env: Record<string, string>;
  /** Runs crm and expects exit 0; returns stdout. */
  ok(args: string[], opts?: RunOptions): Promise<string>;
  /** Runs crm and expects exactly this exit code and a stderr matching `message`. */
  fail(args: string[], code: number, message?: RegExp | string, opts?: RunOptions): Promise<Result>;
  /** Runs crm with --json and parses stdout. */
  json<T = any>(args: string[], opts?: RunOptions): Promise<T>;
  run(args: string[], opts?: RunOptions): Promise<Result>;
  cleanup(): void;
}

export interface RunOptions {
  env?: Record<string, string>;
  input?: string;
  timeout?: number;
  /** Leave stdin an open pipe that never ends (a prompt would wait on it forever). */
  openStdin?: boolean;
  /** The working directory (default: the test runner's). */
  cwd?: string;
}

/** A fresh CRM_HOME, like Taskwarrior's per-test data dir. Nothing is read from the real home. */
export function freshHome(): Home {
  const dir = mkdtempSync(join(tmpdir(), 'crm-test-'));
  const env: Record<string, string> = { CRM_HOME: dir, HOME: dir, NO_COLOR: '1', CRM_NOW: NOW, TZ: 'UTC', CRM_HTTP_LISTEN: '127.0.0.1:0', PATH: process.env.PATH ?? '' };
  // CRM_TEST_STORE=postgres: the same scenarios on a database of their own (the connecting role is
  // the superuser, whose crm user is the admin crm init makes; --as and CRM_USER act for others).
  // CRM_TEST_STORE=json: a JSON store file in the home.
  const location = TEST_BACKEND === 'postgres' ? freshPostgresUrl(dir) : TEST_BACKEND === 'json' ? join(dir, 'crm.json') : undefined;
  if (location) env.CRM_DB = location;
  const run = (args: string[], opts: RunOptions = {}) =>
    execa(BIN, args, {
      env: { ...env, ...opts.env },
      extendEnv: false,
      reject: false,
      ...(opts.cwd ? { cwd: opts.cwd } : {}),
      timeout: opts.timeout ?? 20_000,
      ...(opts.openStdin ? { stdin: 'pipe' as const } : { input: opts.input ?? '' }),
    }) as Promise<Result>;
  return {
    dir,
    env,
    run,
    async ok(args, opts) {
      const r = await run(args, opts);
      if (r.exitCode !== 0) throw new Error(`crm ${args.join(' ')} exited ${r.exitCode}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
      return String(r.stdout);
    },
    async fail(args, code, message, opts) {
      const r = await run(args, opts);
      expect(r.exitCode, `crm ${args.join(' ')}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`).toBe(code);
      if (message) expect(String(r.stderr)).toMatch(message);
      return r;
    },
    async json(args, opts) {
      const r = await run([...args, '--json'], opts);
      if (r.exitCode !== 0) throw new Error(`crm ${args.join(' ')} --json exited ${r.exitCode}\nstderr: ${r.stderr}`);
      return JSON.parse(String(r.stdout));
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
      // Dropped in the background (cleanup is synchronous); the run's teardown drops what is left.
      if (TEST_BACKEND === 'postgres' && location) void dropTestDatabase(location).catch(() => undefined);
    },
  };
}

/** A home with `crm init` done and a small team: admin, manager, two reps. */
export async function teamHome(): Promise<Home> {
  const h = freshHome();
  await h.ok(['init', '--name', 'Asha Rao', '--email', 'admin@acme.example', '--currency', 'EUR']);
  await h.ok(['user', 'add', '--name', 'Meera Iyer', '--email', 'meera@acme.example', '--role', 'manager']);
  await h.ok(['user', 'add', '--name', 'Ravi Kumar', '--email', 'ravi@acme.example', '--role', 'rep', '--manager', 'meera@acme.example']);
  await h.ok(['user', 'add', '--name', 'Priya Shah', '--email', 'priya@acme.example', '--role', 'rep', '--manager', 'meera@acme.example']);
  return h;
}
