import { chmodSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { execa, type Result } from 'execa';
import { BIN, freshHome, type Home } from '../helpers/cli.js';
import { daemonTracker, LIVE } from '../helpers/daemon.js';

const tracked = daemonTracker();
afterEach(() => tracked.teardown());

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8).padStart(4, '0');

/** crm run with umask 0, the worst case: anything left to the umask comes out world-writable. */
function underUmask0(h: Home, env: Record<string, string>) {
  return async (args: string[], extra: Record<string, string> = {}): Promise<Result> =>
    (await execa('sh', ['-c', 'umask 0 && exec "$0" "$@"', BIN, ...args], { env: { ...env, ...extra }, extendEnv: false, reject: false, input: '', timeout: 20_000 })) as Result;
}

describe('the files crm makes are their owner’s alone', () => {
  it('data directory 0700; store, -wal, -shm, backups, before-restore copies, reject files, daemon files 0600, whatever the umask; no -wal/-shm left beside a backup', async () => {
    const h = tracked.home(freshHome());
    const data = join(h.dir, 'data', 'crm');
    const env = { ...h.env, CRM_HOME: data };
    const run = underUmask0(h, env);
    const ok = async (args: string[], extra: Record<string, string> = {}) => {
      const r = await run(args, extra);
      expect(r.exitCode, `crm ${args.join(' ')}\n${r.stderr}`).toBe(0);
      return String(r.stdout);
    };
    await ok(['init', '--name', 'Asha Rao', '--email', 'admin@acme.example']);
    await ok(['lead', 'add', '--name', 'Ana Sousa', '--email', 'ana@sousa.example']);
    const csv = join(h.dir, 'leads.csv');
    writeFileSync(csv, 'Name,Email\nGood,good@x.example\nBad,not-an-email\n');
    expect((await run(['lead', 'import', csv, '--strict'])).exitCode).toBe(8);
    const backup = join(h.dir, 'backup.db');
    await ok(['backup', backup]);
    await ok(['restore', backup, '--yes']);
    const expectPrivate = () => {
      expect(mode(join(h.dir, 'data'))).toBe('0700');
      expect(mode(data)).toBe('0700');
      expect(mode(join(data, 'imports'))).toBe('0700');
      const made = readdirSync(data).filter((n) => n !== 'imports').sort();
      expect(made).toEqual(expect.arrayContaining(['config.json', 'crm.db', 'crm.db-shm', 'crm.db-wal', 'crm.db.daemon.log', 'crm.db.daemon.pid']));
      expect(made.some((n) => /^crm\.db\.before-restore-.*\.db$/.test(n))).toBe(true);
      for (const n of made) expect(`${n} ${mode(join(data, n))}`).toBe(`${n} 0600`);
      for (const n of readdirSync(join(data, 'imports'))) expect(`${n} ${mode(join(data, 'imports', n))}`).toBe(`${n} 0600`);
      expect(mode(backup)).toBe('0600');
    };
    await ok(['daemon', 'start'], LIVE.env);
    try {
      await ok(['lead', 'add', '--name', 'While Running', '--email', 'run@x.example'], LIVE.env);
      expectPrivate();
    } finally {
      await run(['daemon', 'stop'], LIVE.env);
    }
    // Nothing left beside the backup or the file restored from (issue 18, item 9).
    expect(readdirSync(h.dir).filter((n) => n.startsWith('backup.db')).sort()).toEqual(['backup.db']);
  });

  it('crm doctor warns (exit 0) when the store or its directory is readable by others, with the chmod that fixes it', async () => {
    const h = tracked.home(freshHome());
    const data = join(h.dir, 'shared');
    const env = { ...h.env, CRM_HOME: data };
    const run = underUmask0(h, env);
    expect((await run(['init', '--name', 'Asha Rao', '--email', 'admin@acme.example'])).exitCode).toBe(0);
    const clean = await run(['doctor']);
    expect(clean.exitCode).toBe(0);
    expect(String(clean.stdout)).toMatch(/ok\s+files\s+the store and its files are readable by their owner only/);
    chmodSync(data, 0o755);
    chmodSync(join(data, 'crm.db'), 0o644);
    const r = await run(['doctor']);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    // The -wal and -shm the doctor's own open made follow the store file's mode.
    expect(String(r.stdout)).toContain(`WARN  files    readable by other users of this machine: ${data} (0755), ${join(data, 'crm.db')} (0644), `);
    expect(String(r.stdout)).toContain(`: make them yours alone: chmod 700 ${data} && chmod 600 ${join(data, 'crm.db')} `);
    const json = JSON.parse(String((await run(['doctor', '--json'])).stdout)) as { check: string; ok: boolean; warn?: boolean }[];
    expect(json.find((c) => c.check === 'files')).toMatchObject({ ok: true, warn: true });
  });
});
