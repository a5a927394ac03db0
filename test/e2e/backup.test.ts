import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { teamHome, type Home } from '../helpers/cli.js';
import { LIVE } from '../helpers/daemon.js';

describe('crm backup / crm restore', () => {
  let h: Home;
  beforeEach(async () => {
    h = await teamHome();
    await h.ok(['lead', 'add', '--name', 'Ana Sousa', '--email', 'ana@sousa.example']);
  });
  afterEach(() => h.cleanup());

  const names = async () => (await h.json(['lead', 'list'])).map((l: { name: string }) => l.name);

  it('backs up online and restores, keeping the replaced store beside it', async () => {
    const file = join(h.dir, 'backup.db');
    expect(await h.ok(['backup', file])).toMatch(/^Backed up .*crm\.db to .*backup\.db \(1 leads, 4 users, .*, schema v\d+\)$/);
    await h.fail(['backup', file], 4, /already exists\nhint: choose another name, or pass --force/);
    await h.ok(['lead', 'add', '--name', 'After Backup', '--email', 'after@x.example']);
    expect(await names()).toEqual(['After Backup', 'Ana Sousa']);

    await h.fail(['restore', file], 2, /confirmation needed: Replace .*crm\.db with .*backup\.db \(1 leads\)\?\nhint: pass --yes/);
    const out = await h.ok(['restore', file, '--yes']);
    expect(out).toMatch(/Restored .*backup\.db \(1 leads, 4 users\) into .*crm\.db/);
    const saved = /saved as (.*\.db)$/m.exec(out)![1]!;
    expect(out).toContain('It replaced a store of 2 leads and 4 users');
    expect(await names()).toEqual(['Ana Sousa']);
    // The replaced store is a working store in its own right.
    expect((await h.json(['lead', 'list', '--db', saved])).map((l: { name: string }) => l.name)).toEqual(['After Backup', 'Ana Sousa']);
  });

  it('refuses files that are not crm stores, or from a newer crm, and changes nothing', async () => {
    const text = join(h.dir, 'notes.txt');
    writeFileSync(text, 'just some text, long enough to have a header\n');
    await h.fail(['restore', text, '--yes'], 7, /notes\.txt is not a crm store \(not an SQLite database\)/);
    const other = join(h.dir, 'other.db');
    const db = new Database(other);
    db.exec('CREATE TABLE photos (id INTEGER PRIMARY KEY)');
    db.close();
    await h.fail(['restore', other, '--yes'], 7, /other\.db is an SQLite database but not a crm store/);
    const newer = join(h.dir, 'newer.db');
    await h.ok(['backup', newer]);
    const n = new Database(newer);
    n.pragma('user_version = 999');
    n.close();
    await h.fail(['restore', newer, '--yes'], 7, /newer\.db is a crm store of schema version 999, newer than this crm understands/);
    await h.fail(['restore', join(h.dir, 'missing.db'), '--yes'], 3, /no such file/);
    expect(await names()).toEqual(['Ana Sousa']);
  });

  it('restores into a place with no store yet, and only admins back up or restore', async () => {
    const file = join(h.dir, 'b.db');
    await h.fail(['backup', file, '--as', 'meera@acme.example'], 5, /may not back up the store/);
    await h.ok(['backup', file]);
    await h.fail(['restore', file, '--yes', '--as', 'ravi@acme.example'], 5, /may not restore the store/);
    const fresh = join(h.dir, 'elsewhere', 'crm.db');
    expect(existsSync(fresh)).toBe(false);
    await h.ok(['restore', file, '--db', fresh]);
    expect((await h.json(['lead', 'list', '--db', fresh])).map((l: { name: string }) => l.name)).toEqual(['Ana Sousa']);
  });
  it('refuses to restore while the daemon or an import of the store runs (their writes would be lost), and nothing changes', async () => {
    const file = join(h.dir, 'backup.db');
    await h.ok(['backup', file]);
    await h.ok(['lead', 'add', '--name', 'Bruno Lima', '--email', 'bruno@lima.example']);
    await h.ok(['daemon', 'start'], LIVE);
    try {
      const pid = JSON.parse(readFileSync(join(h.dir, 'crm.db.daemon.pid'), 'utf8')).pid;
      await h.fail(['restore', file, '--yes'], 4, new RegExp(`the crm daemon is running for .*crm\\.db \\(pid ${pid}\\).*\nhint: stop it with crm daemon stop, restore`));
    } finally {
      await h.ok(['daemon', 'stop'], LIVE);
    }
    // An import's lock held by a live process (this test's) refuses too; a stale one does not.
    const lock = join(h.dir, 'crm.db.import-0123456789abcdef.lock');
    writeFileSync(lock, JSON.stringify({ pid: process.pid, startedAt: '2026-11-23T08:00:00.000Z', db: join(h.dir, 'crm.db') }));
    await h.fail(['restore', file, '--yes'], 4, /an import into .*crm\.db is running \(pid \d+, since 2026-11-23T08:00:00\.000Z\)/);
    expect((await names()).sort()).toEqual(['Ana Sousa', 'Bruno Lima']);
    writeFileSync(lock, JSON.stringify({ pid: 2 ** 22 + 12345, startedAt: '2026-11-23T08:00:00.000Z', db: join(h.dir, 'crm.db') }));
    await h.ok(['restore', file, '--yes']);
    expect(await names()).toEqual(['Ana Sousa']);
  }, 60_000);
});
