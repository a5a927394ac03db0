import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { freshHome, type Home } from '../helpers/cli.js';
import { dropPostgresTestDatabase } from '../helpers/postgres.js';
import { TEST_DB_PREFIX, TEST_PG_SERVER } from '../helpers/store.js';
import { LOCK } from '../../src/store/postgres/index.js';

async function pgReachable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: `${TEST_PG_SERVER}/postgres`, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}
const PG = await pgReachable();
let dbs = 0;

/** A home whose store is a new PostgreSQL database, with an admin and a rep. */
async function pgHome(made: string[]): Promise<Home & { url: string }> {
  const h = freshHome();
  const url = `${TEST_PG_SERVER}/${TEST_DB_PREFIX}bkp_${++dbs}`;
  made.push(url);
  h.env.CRM_DB = url;
  await h.ok(['init', '--name', 'Asha Rao', '--email', 'admin@acme.example', '--currency', 'EUR']);
  await h.ok(['user', 'add', '--name', 'Ravi Kumar', '--email', 'ravi@acme.example', '--role', 'rep', '--db-role', `${TEST_DB_PREFIX}bkp_${dbs}_ravi`, '--password-stdin'], { input: 'a-long-password-for-ravi\n' });
  return Object.assign(h, { url });
}

describe.skipIf(!PG)('crm backup / crm restore on PostgreSQL (pg_dump, pg_restore)', () => {
  let h: (Home & { url: string }) | undefined;
  const made: string[] = [];
  afterEach(async () => {
    h?.cleanup();
    for (const url of made.splice(0)) await dropPostgresTestDatabase(url);
  });
  const names = async () => (await h!.json(['lead', 'list'])).map((l: { name: string }) => l.name);

  it('backs up with pg_dump and restores with pg_restore: a lead deleted after the backup is back, and the replaced store is kept as a dump', async () => {
    h = await pgHome(made);
    await h.ok(['lead', 'add', '--name', 'Ana Sousa', '--email', 'ana@sousa.example']);
    const file = join(h.dir, 'team.dump');
    expect(await h.ok(['backup', file])).toMatch(/^Backed up postgres:\/\/.* to .*team\.dump \(1 leads, 2 users, .*, schema v\d+\)$/);
    await h.fail(['backup', file], 4, /already exists\nhint: choose another name, or pass --force/);
    await h.ok(['lead', 'delete', '1', '--yes']);
    await h.ok(['lead', 'add', '--name', 'After Backup', '--email', 'after@x.example']);
    expect(await names()).toEqual(['After Backup']);

    await h.fail(['restore', file], 2, /confirmation needed: Replace postgres:\/\/.* with .*team\.dump \(1 leads\)\?\nhint: pass --yes/);
    await h.fail(['restore', file, '--yes', '--as', 'ravi@acme.example'], 5);
    const out = await h.ok(['restore', file, '--yes']);
    expect(out).toMatch(/^Restored .*team\.dump \(1 leads, 2 users\) into postgres:\/\//m);
    expect(out).toContain('It replaced a store of 2 leads and 2 users');
    const saved = /saved as (.*\.dump)$/m.exec(out)![1]!;
    expect(await names()).toEqual(['Ana Sousa']);
    // The store works on after the restore: new ids go on after the restored ones.
    expect((await h.ok(['lead', 'add', '-q', '--name', 'Bo Li'])).trim()).toBe('2');
    // The safety dump is a backup in its own right: it holds the store as it was replaced.
    await h.ok(['restore', saved, '--yes']);
    expect(await names()).toEqual(['After Backup']);
    expect(await h.json(['backup', join(h.dir, 'again.dump')])).toMatchObject({ leads: 2, users: 2 });
  }, 120_000);

  it('restores into a database that does not exist yet, made as crm init makes one (collation and character classes "C")', async () => {
    h = await pgHome(made);
    await h.ok(['lead', 'add', '--name', 'Ana Sousa', '--email', 'ana@sousa.example']);
    const file = join(h.dir, 'team.dump');
    await h.ok(['backup', file]);
    const fresh = `${TEST_PG_SERVER}/${TEST_DB_PREFIX}bkp_${++dbs}`;
    // Dropped first: the restored grants name the first store's roles, which go with that store.
    made.unshift(fresh);
    expect(await h.ok(['restore', file, '--yes'], { env: { CRM_DB: fresh } })).toMatch(/^Restored .*team\.dump \(1 leads, 2 users\) into postgres:\/\//m);
    expect((await h.json(['lead', 'list'], { env: { CRM_DB: fresh } })).map((l: { name: string }) => l.name)).toEqual(['Ana Sousa']);
    const c = new pg.Client({ connectionString: `${TEST_PG_SERVER}/postgres` });
    await c.connect();
    try {
      const shape = `SELECT datcollate, datctype FROM pg_database WHERE datname = $1`;
      const of = async (url: string) => (await c.query(shape, [new URL(url).pathname.slice(1)])).rows[0];
      expect(await of(fresh)).toEqual({ datcollate: 'C', datctype: 'C' });
      expect(await of(fresh)).toEqual(await of(h.url));
    } finally {
      await c.end();
    }
  }, 120_000);

  it('refuses what is not a crm backup of a PostgreSQL store, and changes nothing', async () => {
    h = await pgHome(made);
    await h.ok(['lead', 'add', '--name', 'Ana Sousa', '--email', 'ana@sousa.example']);
    const text = join(h.dir, 'notes.txt');
    writeFileSync(text, 'just some text, long enough to have a header\n');
    await h.fail(['restore', text, '--yes'], 7, /notes\.txt is not a backup of a PostgreSQL crm store \(not a pg_dump custom-format file\)/);
    // An SQLite store's backup: said as such.
    const sqlite = freshHome();
    try {
      await sqlite.ok(['init', '--name', 'A', '--email', 'a@x.example']);
      await sqlite.ok(['backup', join(h.dir, 'laptop.db')]);
    } finally {
      sqlite.cleanup();
    }
    await h.fail(['restore', join(h.dir, 'laptop.db'), '--yes'], 7, /laptop\.db is a backup of an SQLite store; this store is on PostgreSQL/);
    await h.fail(['restore', join(h.dir, 'missing.dump'), '--yes'], 3, /no such file/);
    expect(await names()).toEqual(['Ana Sousa']);
  }, 120_000);

  it('refuses to restore while a daemon on another machine holds the database (its lock), and restores once it is gone', async () => {
    h = await pgHome(made);
    await h.ok(['lead', 'add', '--name', 'Ana Sousa', '--email', 'ana@sousa.example']);
    const file = join(h.dir, 'b.dump');
    await h.ok(['backup', file]);
    await h.ok(['lead', 'add', '--name', 'Bo Li', '--email', 'bo@li.example']);
    // What a daemon's lock connection looks like (src/store/postgres/events.ts), from elsewhere.
    const other = new pg.Client({ connectionString: h.url, application_name: 'crm-daemon 4242@sales-server 2026-11-23T08:00Z' });
    await other.connect();
    try {
      await other.query('SELECT pg_advisory_lock($1)', [LOCK.daemon]);
      await h.fail(['restore', file, '--yes'], 4, /a daemon is running for postgres:\/\/.* \(pid 4242 on sales-server\): what it writes after the restore would be lost\nhint: stop it with crm daemon stop/);
      expect((await names()).sort()).toEqual(['Ana Sousa', 'Bo Li']);
    } finally {
      await other.end();
    }
    await h.ok(['restore', file, '--yes']);
    expect(await names()).toEqual(['Ana Sousa']);
  }, 120_000);

  it('without pg_dump and pg_restore on PATH: a clear error naming them and the package to install', async () => {
    h = await pgHome(made);
    const bin = join(h.dir, 'bin');
    mkdirSync(bin);
    symlinkSync(process.execPath, join(bin, 'node')); // bin/crm runs with `env node`
    const env = { PATH: bin };
    await h.fail(['backup', join(h.dir, 'b.dump')], 7, /pg_dump is not installed \(not found on PATH\).*\nhint: install the PostgreSQL client tools.*postgresql-client/, { env });
    await h.ok(['backup', join(h.dir, 'b.dump')]);
    await h.fail(['restore', join(h.dir, 'b.dump'), '--yes'], 7, /pg_restore is not installed \(not found on PATH\).*\nhint: .*postgresql-client/, { env });
  }, 120_000);
});
