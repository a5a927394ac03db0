/** PostgreSQL test databases: dropped after their test, and any left over at the end of the run. */
import pg from 'pg';

const SERVER = process.env.CRM_TEST_PG || 'postgres://postgres@127.0.0.1:5432';

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: `${SERVER}/postgres` });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Drops one test database (its connections are ended first) and the roles named after it. */
export async function dropPostgresTestDatabase(location: string): Promise<void> {
  const name = decodeURIComponent(new URL(location).pathname.slice(1));
  await admin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
    const roles = await c.query<{ rolname: string }>('SELECT rolname FROM pg_roles WHERE rolname LIKE $1', [`${name}%`]);
    for (const r of roles.rows) await c.query(`DROP ROLE IF EXISTS ${pg.escapeIdentifier(r.rolname)}`);
  });
}

/** The test databases and roles whose names start with `prefix` (one run's): dropped at the end of the run. */
export async function dropTestDatabasesLike(prefix: string): Promise<void> {
  const like = `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  await admin(async (c) => {
    const dbs = await c.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [like]);
    for (const d of dbs.rows) await c.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(d.datname)} WITH (FORCE)`);
    const roles = await c.query<{ rolname: string }>('SELECT rolname FROM pg_roles WHERE rolname LIKE $1', [like]);
    for (const r of roles.rows) await c.query(`DROP ROLE IF EXISTS ${pg.escapeIdentifier(r.rolname)}`).catch(() => undefined);
  });
}
