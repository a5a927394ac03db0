import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { execa, type ResultPromise } from 'execa';
import { teamHome } from '../helpers/cli.js';
import { daemonTracker, LIVE } from '../helpers/daemon.js';
import { waitFor } from '../helpers/wait.js';

const tracked = daemonTracker();
const others: ResultPromise[] = [];
afterEach(async () => {
  for (const p of others.splice(0)) p.kill('SIGKILL');
  await tracked.teardown();
});

const gone = (pid: number) => {
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
};
const state = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return 'gone';
  }
};
/** Waits for a condition on another process (a state change we cannot be told of). */
async function until(what: string, cond: () => boolean): Promise<void> {
  await waitFor(() => cond(), { what, intervalMs: 20 });
}

describe.skipIf(!existsSync('/proc/self/stat'))("the daemon's pid file names this store's daemon, not any live pid", () => {
  it('a stale pid file whose pid now belongs to another process: stop signals nothing, status says not running, start takes over', async () => {
    const h = tracked.home(await teamHome());
    const pidFile = join(h.dir, 'crm.db.daemon.pid');
    await h.ok(['daemon', 'start'], LIVE);
    const daemon = JSON.parse(readFileSync(pidFile, 'utf8'));
    process.kill(daemon.pid, 'SIGKILL');
    await until('the killed daemon to be reaped', () => gone(daemon.pid));
    // The pid was reused by an unrelated process: the file as the dead daemon left it, but with that pid.
    const sleeper = execa('sleep', ['1000'], { reject: false });
    others.push(sleeper);
    writeFileSync(pidFile, `${JSON.stringify({ ...daemon, pid: sleeper.pid })}\n`);
    expect((await h.json(['daemon', 'status'], LIVE)).running).toBe(false);
    expect(await h.ok(['daemon', 'stop'], LIVE)).toMatch(/The daemon is not running/);
    expect(gone(sleeper.pid!)).toBe(false);
    expect(state(sleeper.pid!)).not.toBe('Z');
    expect(await h.ok(['daemon', 'start'], LIVE)).toMatch(/Started the daemon \(pid \d+\)/);
    expect((await h.json(['daemon', 'status'], LIVE)).running).toBe(true);
    expect(gone(sleeper.pid!)).toBe(false);
    expect(daemon.proc).toMatch(/^[\w-]*:\d+$/);
  });

  it('a daemon that is a zombie (killed, not yet reaped) is not running', async () => {
    const h = tracked.home(await teamHome());
    const pidFile = join(h.dir, 'crm.db.daemon.pid');
    // sh prints its background child's pid, then becomes `sleep`, which never reaps that child.
    const parent = execa('sh', ['-c', 'sleep 0 & echo $!; exec sleep 1000'], { reject: false });
    others.push(parent);
    const zombie = await new Promise<number>((resolve) => parent.stdout!.once('data', (c: Buffer) => resolve(Number(String(c).trim()))));
    await until('the child to be a zombie', () => state(zombie) === 'Z');
    writeFileSync(pidFile, `${JSON.stringify({ pid: zombie, startedAt: '2026-11-23T08:00:00.000Z', db: join(h.dir, 'crm.db') })}\n`);
    expect((await h.json(['daemon', 'status'], LIVE)).running).toBe(false);
    expect(await h.ok(['daemon', 'start'], LIVE)).toMatch(/Started the daemon \(pid \d+\)/);
  });
});

describe('starting, stopping, restarting and installing the daemon are for admins', () => {
  it('exit 5 for a rep or a manager; status stays open to all, logs to admins and managers', async () => {
    const h = tracked.home(await teamHome());
    for (const [args, what] of [[['start'], 'start the daemon'], [['stop'], 'stop the daemon'], [['restart'], 'restart the daemon'], [['install', '--systemd'], 'install the daemon as a service']] as const) {
      await h.fail(['daemon', ...args, '--as', 'ravi@acme.example'], 5, new RegExp(`error: ravi@acme\\.example is a rep and may not ${what}\\nhint: ask a user with role admin`), LIVE);
      await h.fail(['daemon', ...args, '--as', 'meera@acme.example'], 5, new RegExp(`meera@acme\\.example is a manager and may not ${what}`), LIVE);
    }
    expect(existsSync(join(h.dir, 'crm.db.daemon.pid'))).toBe(false);
    await h.ok(['daemon', 'start'], LIVE);
    expect((await h.json(['daemon', 'status', '--as', 'ravi@acme.example'], LIVE)).running).toBe(true);
    await h.fail(['daemon', 'logs', '--as', 'ravi@acme.example'], 5, /ravi@acme\.example is a rep and may not read the daemon's log/);
    expect(await h.ok(['daemon', 'logs', '--as', 'meera@acme.example'])).toMatch(/daemon started/);
  });
});
