/**
 * Password logins to a PostgreSQL store through the built binary, as most team servers are set
 * up: SCRAM-SHA-256 (the default since PostgreSQL 14) and MD5, with the password in the URL, in
 * PGPASSWORD or in ~/.pgpass. CI's shared server trusts every local connection, so this test
 * starts a private cluster of its own (initdb, pg_ctl; as the postgres user when run as root)
 * on a free loopback port, whose pg_hba.conf asks for passwords.
 *
 * The bundle rewrites pg's password hashing to load node:crypto on first use (scripts/build.mjs,
 * pg-node-only): only a server that asks for a password runs that code.
 */
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync, chownSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshHome, type Home } from '../helpers/cli.js';

/** The newest Debian PostgreSQL's programs (initdb, pg_ctl), or undefined. */
function pgBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const found = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return found[0] ? join(root, found[0], 'bin') : undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

const BIN_DIR = pgBin();
if (!BIN_DIR && process.env.CRM_TEST_PG_REQUIRED === '1') throw new Error('this test starts a PostgreSQL cluster of its own: install postgresql (initdb under /usr/lib/postgresql/<version>/bin)');

describe.skipIf(!BIN_DIR)('PostgreSQL stores behind password logins (SCRAM, MD5) through the binary', () => {
  const asRoot = process.getuid?.() === 0;
  let dir: string;
  let port: number;
  let h: Home;
  const pgAs = (program: string, args: string[]) =>
    asRoot ? execa('runuser', ['-u', 'postgres', '--', join(BIN_DIR!, program), ...args]) : execa(join(BIN_DIR!, program), args);
  const url = (user: string, password: string | null, db: string) => `postgres://${user}${password === null ? '' : `:${password}`}@127.0.0.1:${port}/${db}`;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'crm-pgpw-'));
    if (asRoot) {
      const uid = Number((await execa('id', ['-u', 'postgres'])).stdout);
      const gid = Number((await execa('id', ['-g', 'postgres'])).stdout);
      chownSync(dir, uid, gid);
    }
    writeFileSync(join(dir, 'pw'), 'scram-secret\n');
    chmodSync(join(dir, 'pw'), 0o644);
    await pgAs('initdb', ['-D', join(dir, 'data'), '-U', 'postgres', '--auth-local=trust', '--auth-host=scram-sha-256', `--pwfile=${join(dir, 'pw')}`, '-E', 'UTF8', '--no-sync']);
    // First match wins: md5user logs in with MD5, every other role with SCRAM; the socket is trusted (setup only).
    writeFileSync(join(dir, 'data', 'pg_hba.conf'), 'local all all trust\nhost all md5user 127.0.0.1/32 md5\nhost all all 127.0.0.1/32 scram-sha-256\n');
    port = await freePort();
    await pgAs('pg_ctl', ['-D', join(dir, 'data'), '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, '-w', '-t', '60', '-l', join(dir, 'log'), 'start']);
    const admin = new pg.Client({ host: dir, port, user: 'postgres', database: 'postgres' });
    await admin.connect();
    try {
      await admin.query("SET password_encryption = 'md5'");
      await admin.query("CREATE ROLE md5user LOGIN SUPERUSER PASSWORD 'md5-secret'");
    } finally {
      await admin.end();
    }
    h = freshHome();
  }, 120_000);

  afterAll(async () => {
    if (dir && existsSync(join(dir, 'data', 'postmaster.pid'))) await pgAs('pg_ctl', ['-D', join(dir, 'data'), '-m', 'immediate', 'stop']).catch(() => undefined);
    h?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('SCRAM with the password in the URL: init, add and list', async () => {
    const env = { CRM_DB: url('postgres', 'scram-secret', 'crm_scram') };
    await h.ok(['init', '--name', 'Asha Rao', '--email', 'admin@acme.example', '--currency', 'EUR'], { env });
    await h.ok(['lead', 'add', '--name', 'Ana Sousa', '--email', 'ana@sousa.example'], { env });
    expect((await h.json(['lead', 'list'], { env })).map((l: { name: string }) => l.name)).toEqual(['Ana Sousa']);
  });

  it('SCRAM with the password from PGPASSWORD, or from ~/.pgpass without a word on stderr', async () => {
    const bare = { CRM_DB: url('postgres', null, 'crm_scram') };
    const r = await h.run(['lead', 'list', '--json'], { env: { ...bare, PGPASSWORD: 'scram-secret' } });
    expect([r.exitCode, String(r.stderr)]).toEqual([0, '']);
    writeFileSync(join(h.dir, '.pgpass'), `127.0.0.1:${port}:*:postgres:scram-secret\n`);
    chmodSync(join(h.dir, '.pgpass'), 0o600);
    try {
      const viaFile = await h.run(['lead', 'list', '--json'], { env: bare });
      // pg's own ~/.pgpass lookup printed a DeprecationWarning under every command.
      expect([viaFile.exitCode, String(viaFile.stderr)]).toEqual([0, '']);
      expect(JSON.parse(String(viaFile.stdout))).toHaveLength(1);
    } finally {
      rmSync(join(h.dir, '.pgpass'));
    }
  });

  it('no password, or a wrong one: exit 7, saying which, never echoing the password', async () => {
    await h.fail(['lead', 'list'], 7, /the database at postgres:\/\/\S*@127\.0\.0\.1:\d+\/crm_scram asks for a password and none was given\nhint: give it in the URL, after the user name and a colon, or in PGPASSWORD or ~\/\.pgpass$/, { env: { CRM_DB: url('postgres', null, 'crm_scram') } });
    const wrong = await h.fail(['lead', 'list'], 7, /the database refused the login at .*password authentication failed for user "postgres"/, { env: { CRM_DB: url('postgres', 'not-the-secret', 'crm_scram') } });
    expect(String(wrong.stderr)).not.toContain('not-the-secret');
  });

  it('MD5 (a role whose password was stored as MD5): init, add and list; the password from ~/.pgpass too', async () => {
    const env = { CRM_DB: url('md5user', 'md5-secret', 'crm_md5') };
    await h.ok(['init', '--name', 'Asha Rao', '--email', 'admin@acme.example', '--currency', 'EUR'], { env });
    await h.ok(['lead', 'add', '--name', 'Rahul Nair', '--email', 'rahul@nair.example'], { env });
    writeFileSync(join(h.dir, 'pgpass'), `127.0.0.1:${port}:crm_md5:md5user:md5-secret\n`);
    chmodSync(join(h.dir, 'pgpass'), 0o600);
    const r = await h.run(['lead', 'list', '--json'], { env: { CRM_DB: url('md5user', null, 'crm_md5'), PGPASSFILE: join(h.dir, 'pgpass') } });
    expect([r.exitCode, String(r.stderr)]).toEqual([0, '']);
    expect(JSON.parse(String(r.stdout)).map((l: { name: string }) => l.name)).toEqual(['Rahul Nair']);
    await h.fail(['lead', 'list'], 7, /refused the login/, { env: { CRM_DB: url('md5user', 'wrong', 'crm_md5') } });
  });
});
