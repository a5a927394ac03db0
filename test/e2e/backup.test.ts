import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { teamHome, type Home } from '../helpers/cli.js';

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
});
