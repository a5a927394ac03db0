/**
 * The PostgreSQL store's events (src/store/postgres/events.ts): the daemon lock (one per database,
 * refused or waited for, taken over when its holder's connection drops), the outbox wake-up and
 * the change token, through the Store contract, against a real server.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';
import { freshDb, pgReachable, raw } from './pg.js';

const reachable = await pgReachable();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

/** A handle as one machine has it: its own CRM_HOME (where the local PID file goes). */
async function machine(url: string, create = false): Promise<Store> {
  const home = mkdtempSync(join(tmpdir(), 'crm-pgd-home-'));
  const before = process.env.CRM_HOME;
  process.env.CRM_HOME = home;
  try {
    const store = await openStore(url, { create });
    cleanups.push(async () => rmSync(home, { recursive: true, force: true }));
    return store;
  } finally {
    if (before === undefined) delete process.env.CRM_HOME;
    else process.env.CRM_HOME = before;
  }
}

async function twoHandles(): Promise<{ a: Store; b: Store; url: string }> {
  const db = freshDb();
  cleanups.push(() => db.cleanup());
  const a = await machine(db.url, true);
  const b = await machine(db.url);
  cleanups.push(() => a.close(), () => b.close());
  return { a, b, url: db.url };
}

const holder = (pid: number, host = 'alpha.example') => ({ pid, host, startedAt: '2026-12-07T03:00:00.000Z' });

describe.skipIf(!reachable)('PostgreSQL daemon lock', () => {
  it('is held by one daemon per database: a second is refused and told who holds it, until the first releases', async () => {
    const { a, b } = await twoHandles();
    expect(await a.daemonHolder()).toBeNull();
    const lock = await a.lockDaemon(holder(4242), false, null);
    expect(lock).not.toBeNull();
    expect(await b.lockDaemon(holder(777, 'beta.example'), false, null)).toBeNull();
    expect(await b.daemonHolder()).toEqual({ pid: 4242, host: 'alpha.example', startedAt: '2026-12-07T03:00:00Z' });
    // Its machine's PID file names it (for a local stop), and goes with the lock.
    const pidFile = a.files.daemon().pid;
    expect(JSON.parse(readFileSync(pidFile, 'utf8'))).toMatchObject({ pid: 4242 });
    expect(existsSync(b.files.daemon().pid)).toBe(false);
    await lock!.release();
    expect(existsSync(pidFile)).toBe(false);
    await lock!.release();
    expect(await b.daemonHolder()).toBeNull();
    const second = await b.lockDaemon(holder(777, 'beta.example'), false, null);
    expect(second).not.toBeNull();
    expect(await a.daemonHolder()).toMatchObject({ pid: 777, host: 'beta.example' });
    await second!.release();
  });

  it('a standby waits and takes over as soon as the holder\'s connection drops; the holder is told it lost the lock', async () => {
    const { a, b, url } = await twoHandles();
    const first = (await a.lockDaemon(holder(1001), false, null))!;
    let taken = 0;
    const standby = b.lockDaemon(holder(2002, 'beta.example'), true, null).then((l) => ((taken = Date.now()), l));
    await sleep(2500); // past a few rounds of asking: still waiting
    expect(taken).toBe(0);
    // The holder's process dies: the server ends its session (as when its machine drops off the network).
    const admin = await raw(url);
    cleanups.push(() => admin.end());
    const killed = Date.now();
    await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE 'crm-daemon 1001@%'");
    const lost = await Promise.race([first.lost, sleep(5000).then(() => null)]);
    expect(lost).toBeInstanceOf(Error);
    const second = await standby;
    expect(second).not.toBeNull();
    // Within a round or two of asking (1 s each), with room for a loaded machine (this test failed
    // once on one); waiting for the dead session's keepalives would take 25 s.
    expect(taken - killed).toBeLessThan(5000);
    expect(await a.daemonHolder()).toMatchObject({ pid: 2002, host: 'beta.example' });
    await first.release();
    await second!.release();
  });

  it('a standby that is aborted gives up at once and holds nothing', async () => {
    const { a, b } = await twoHandles();
    const first = (await a.lockDaemon(holder(1001), false, null))!;
    const ctl = new AbortController();
    const standby = b.lockDaemon(holder(2002), true, ctl.signal);
    await sleep(300);
    const t = Date.now();
    ctl.abort();
    expect(await standby).toBeNull();
    expect(Date.now() - t).toBeLessThan(1000);
    await first.release();
    expect(await b.daemonHolder()).toBeNull();
  });
});

describe.skipIf(!reachable)('PostgreSQL notifications', () => {
  it('watchOutbox calls its listener on a crm_outbox notification from another connection, and stops after close', async () => {
    const { a, url } = await twoHandles();
    let calls = 0;
    const watch = await a.watchOutbox(() => calls++);
    expect(watch.pushes).toBe(true);
    const other = await raw(url);
    cleanups.push(() => other.end());
    await other.query("SELECT pg_notify('crm_outbox', '')");
    const t = Date.now();
    while (calls === 0 && Date.now() - t < 2000) await sleep(5);
    expect(calls).toBe(1);
    await watch.close();
    await other.query("SELECT pg_notify('crm_outbox', '')");
    await sleep(200);
    expect(calls).toBe(1);
  });

  it('the change token moves on another connection\'s crm_change, not on this handle\'s own', async () => {
    const { a, url } = await twoHandles();
    const t0 = await a.changeToken();
    expect(await a.changeToken()).toBe(t0);
    // Its own statement (a pooled connection of this handle) notifies: the token stays.
    await (a as unknown as { sql: { run(s: string): Promise<unknown> } }).sql.run("SELECT pg_notify('crm_change', '')");
    await sleep(200);
    expect(await a.changeToken()).toBe(t0);
    const other = await raw(url);
    cleanups.push(() => other.end());
    await other.query("SELECT pg_notify('crm_change', '')");
    const t = Date.now();
    let t1 = t0;
    while (t1 === t0 && Date.now() - t < 2000) {
      await sleep(10);
      t1 = await a.changeToken();
    }
    expect(t1).not.toBe(t0);
  });
});
