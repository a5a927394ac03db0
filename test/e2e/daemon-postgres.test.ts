/**
 * The daemon on a shared PostgreSQL store (issue 15): one active daemon per database (refused, or
 * a standby that takes over when the first dies), the outbox woken by NOTIFY rather than polled,
 * and doctor's server checks. The daemons are the built binary; the test process plays the other
 * machine that adds leads (through the services, on its own connections). Skipped when the test
 * server is not reachable.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { addLead } from '../../src/services/leads/service.js';
import { initStore } from '../../src/services/setup/init.js';
import { openStore } from '../../src/store/index.js';
import type { User } from '../../src/domain/users.js';
import type { Store } from '../../src/store/types.js';
import { BIN } from '../helpers/cli.js';
import { startSmtp, type Smtp } from '../helpers/notify-servers.js';
import { waitFor } from '../helpers/wait.js';
import { freshDb, pgReachable, raw } from '../daemon-postgres/pg.js';

const reachable = await pgReachable();

let cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  cleanups = [];
});

interface Team {
  url: string;
  store: Store;
  admin: User;
  smtp: Smtp;
}

/** A store with an admin and SMTP configured, made by "another machine" (this process). */
async function team(): Promise<Team> {
  const db = freshDb();
  cleanups.push(() => db.cleanup());
  const store = await openStore(db.url, { create: true });
  cleanups.push(() => store.close());
  const { admin } = await initStore(store, new Date(), { adminName: 'Asha Rao', adminEmail: 'admin@acme.example', currency: 'EUR' });
  const smtp = await startSmtp({ user: 'crm', pass: 'pw' });
  cleanups.push(() => smtp.stop());
  for (const [k, v] of [['smtp.host', '127.0.0.1'], ['smtp.port', String(smtp.port)], ['smtp.ignore-tls', 'true'], ['smtp.user', 'crm'], ['smtp.from', 'crm@acme.example']] as const) {
    await store.settings.set(k, v);
  }
  return { url: db.url, store, admin, smtp };
}

interface Daemon {
  pid: number;
  out(): string;
  proc: ResultPromise;
}

/**
 * `crm daemon run` as a machine of the team runs it: its own home (local files), the real clock,
 * and a 10-minute outbox poll, so that a prompt delivery can only come from the store's NOTIFY.
 */
function daemon(url: string, args: string[] = []): Daemon {
  const home = mkdtempSync(join(tmpdir(), 'crm-pgd-machine-'));
  const proc = execa(BIN, ['daemon', 'run', '--db', url, ...args], {
    env: { CRM_HOME: home, HOME: home, NO_COLOR: '1', TZ: 'UTC', CRM_HTTP_LISTEN: '127.0.0.1:0', PATH: process.env.PATH ?? '', CRM_DAEMON_POLL_MS: '600000', CRM_SMTP_PASS: 'pw' },
    extendEnv: false, reject: false, all: true, buffer: true,
  });
  let text = '';
  proc.all?.on('data', (d: Buffer) => (text += d.toString()));
  cleanups.push(async () => {
    proc.kill('SIGKILL');
    await proc;
    rmSync(home, { recursive: true, force: true });
  });
  return { pid: proc.pid!, out: () => text, proc };
}

const started = (d: Daemon) => waitFor(() => /daemon started/.test(d.out()), { what: () => `the daemon to start; its output:\n${d.out()}`, timeoutMs: 30_000 });

/** Adds a lead on this machine and returns how long its new-lead email took to reach the SMTP server. */
async function leadMailLatency(t: Team, name: string): Promise<number> {
  const before = t.smtp.messages.length;
  const t0 = performance.now();
  const { lead } = await addLead({ store: t.store, actor: t.admin, now: new Date() }, { name, emails: [`${name.split(' ')[0]!.toLowerCase()}@lead.example`] });
  await waitFor(() => t.smtp.messages.slice(before).some((m) => m.subject === `New lead ${lead.id}: ${name}`), { what: `the new-lead email of ${name}`, intervalMs: 5, timeoutMs: 20_000 });
  return performance.now() - t0;
}

describe.skipIf(!reachable)('the daemon on PostgreSQL', () => {
  it('delivers an email queued by another process at once, though it polls only every 10 minutes (woken by NOTIFY)', async () => {
    const t = await team();
    const d = daemon(t.url);
    await started(d);
    expect(d.out()).toMatch(/outbox woken by the store, polls every 600 s/);
    // Three in a row, each well under a second or two: no poll (10 min) nor minute tick can do that three times.
    const latencies: number[] = [];
    for (const name of ['Anita Desai', 'Rohan Mehta', 'Kavya Nair']) latencies.push(await leadMailLatency(t, name));
    for (const ms of latencies) expect(ms).toBeLessThan(3000);
    // The SMTP server can accept the last message a moment before the daemon records it as sent.
    await waitFor(async () => (await t.store.outbox.depth()).sending === 0, { what: 'the daemon to record the last delivery', timeoutMs: 20_000 });
    expect(await t.store.outbox.depth()).toMatchObject({ pending: 0, sending: 0, dead: 0 });
  });

  it('one daemon per database: a second is refused naming the first; a standby takes over when the first is killed -9 and delivers', async () => {
    const t = await team();
    const first = daemon(t.url);
    await started(first);
    expect(await t.store.daemonHolder()).toMatchObject({ pid: first.pid });

    // Another machine (its own home, so no local PID file tells it anything): refused by the database lock.
    const second = daemon(t.url);
    const refused = await second.proc;
    expect(refused.exitCode).toBe(4);
    expect(refused.all).toMatch(new RegExp(`already running for postgres://\\S+ \\(pid ${first.pid}\\b`));

    const standby = daemon(t.url, ['--standby']);
    await waitFor(() => /standing by: the daemon \(pid \d+/.test(standby.out()), { what: () => `the standby to wait; its output:\n${standby.out()}` });
    expect(standby.out()).not.toMatch(/daemon started/);

    first.proc.kill('SIGKILL');
    await first.proc;
    const killedAt = Date.now();
    await started(standby);
    expect(Date.now() - killedAt).toBeLessThan(10_000);
    expect(standby.out()).toMatch(/took over the daemon lock/);
    expect(await t.store.daemonHolder()).toMatchObject({ pid: standby.pid });
    expect(await leadMailLatency(t, 'Meera Pillai')).toBeLessThan(3000);

    // A standby stops cleanly on SIGTERM while it waits, holding nothing.
    const third = daemon(t.url, ['--standby']);
    await waitFor(() => /standing by/.test(third.out()), { what: () => `the third daemon to stand by:\n${third.out()}` });
    third.proc.kill('SIGTERM');
    const r = await third.proc;
    expect(r.exitCode).toBe(0);
    expect(third.out()).toMatch(/stopped while standing by/);
    expect(await t.store.daemonHolder()).toMatchObject({ pid: standby.pid });
  });

  it('crm daemon stop: from another home on this machine it stops the daemon by the store lock; one on another machine is named, exit 4', async () => {
    const t = await team();
    const d = daemon(t.url);
    await started(d);
    const home = mkdtempSync(join(tmpdir(), 'crm-pgd-other-home-'));
    cleanups.push(async () => rmSync(home, { recursive: true, force: true }));
    const env = { CRM_HOME: home, HOME: home, NO_COLOR: '1', TZ: 'UTC', PATH: process.env.PATH ?? '', CRM_DB: t.url };
    const stop = await execa(BIN, ['daemon', 'stop'], { env, extendEnv: false, reject: false });
    expect(stop.stderr).toBe('');
    expect(stop.stdout).toBe(`Stopped the daemon (pid ${d.pid})`);
    expect((await d.proc).exitCode).toBe(0);
    expect(await t.store.daemonHolder()).toBeNull();

    // A daemon on another machine (this process takes the lock in its name) cannot be signalled from here.
    const lock = await t.store.lockDaemon({ pid: 4242, host: 'db-elsewhere', startedAt: new Date().toISOString() }, false, null);
    cleanups.push(() => lock!.release());
    const refused = await execa(BIN, ['daemon', 'stop'], { env, extendEnv: false, reject: false });
    expect(refused.exitCode).toBe(4);
    expect(refused.stderr).toMatch(/the daemon runs on db-elsewhere \(pid 4242\), not on this machine\nhint: run crm daemon stop on db-elsewhere/);
  });

  it('a daemon whose lock connection is cut stops its work at once, takes the lock back (nobody else did) and delivers again', async () => {
    const t = await team();
    const d = daemon(t.url);
    await started(d);
    const admin = await raw(t.url);
    cleanups.push(() => admin.end());
    const cut = await admin.query('SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name LIKE $1', [`crm-daemon ${d.pid}@%`]);
    expect(cut.rows).toEqual([{ ok: true }]);
    await waitFor(() => /took over the daemon lock[\s\S]*daemon started/.test(d.out()), { what: () => `the daemon to take its lock back:\n${d.out()}` });
    expect(d.out()).toMatch(/lost the daemon lock: .*; stopping the work, then standing by to take it back[\s\S]*daemon stopped[\s\S]*took over the daemon lock/);
    expect(await t.store.daemonHolder()).toMatchObject({ pid: d.pid });
    expect(await leadMailLatency(t, 'Farah Khan')).toBeLessThan(3000);
    d.proc.kill('SIGTERM');
    expect((await d.proc).exitCode).toBe(0);
    expect(await t.store.daemonHolder()).toBeNull();
  });

  it('doctor reports the server version, row-level security in force, the roles and the daemon lock; RLS not forced fails it', async () => {
    const t = await team();
    const home = mkdtempSync(join(tmpdir(), 'crm-pgd-doctor-'));
    cleanups.push(async () => rmSync(home, { recursive: true, force: true }));
    const doctor = () => execa(BIN, ['doctor', '--db', t.url, '--json'], { env: { CRM_HOME: home, HOME: home, NO_COLOR: '1', TZ: 'UTC', PATH: process.env.PATH ?? '', CRM_SMTP_PASS: 'pw' }, extendEnv: false, reject: false });
    let r = await doctor();
    expect(r.exitCode, r.stderr).toBe(0);
    let checks = JSON.parse(r.stdout) as { check: string; ok: boolean; warn?: boolean; detail: string }[];
    const byName = (name: string) => checks.find((c) => c.check === name);
    expect(byName('server')).toMatchObject({ ok: true, detail: expect.stringMatching(/^PostgreSQL 1\d\.\d+ at /) });
    expect(byName('rls')).toMatchObject({ ok: true, detail: expect.stringMatching(/row-level security enabled and forced on all \d+ tables/) });
    expect(byName('roles')).toMatchObject({ ok: true, detail: expect.stringMatching(/_crm_app, \S+_crm_admin, \S+_crm_daemon/) });
    expect(byName('roles')!.warn).toBeFalsy();
    expect(byName('daemon')).toMatchObject({ ok: true, warn: true, detail: expect.stringMatching(/no daemon holds the lock/) });

    const d = daemon(t.url);
    await started(d);
    const admin = await raw(t.url);
    cleanups.push(() => admin.end());
    await admin.query('ALTER TABLE leads NO FORCE ROW LEVEL SECURITY');
    r = await doctor();
    expect(r.exitCode).toBe(6);
    checks = JSON.parse(r.stdout);
    expect(byName('rls')).toMatchObject({ ok: false, detail: expect.stringMatching(/not in force on 1 of \d+ tables \(leads: not forced\)/) });
    expect(byName('daemon')).toMatchObject({ ok: true, detail: expect.stringMatching(new RegExp(`held by pid ${d.pid} on \\S+, since `)) });
  });
});
