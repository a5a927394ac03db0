/** PostgreSQL for the daemon's tests: reachable or skipped, one throwaway database per test. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { dropPostgresTestDatabase } from '../helpers/postgres.js';
import { freshPostgresUrl, TEST_PG_SERVER } from '../helpers/store.js';

/** Whether the test server answers (tests skip cleanly when it does not). */
export async function pgReachable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: `${TEST_PG_SERVER}/postgres`, connectionTimeoutMillis: 2000 });
  c.on('error', () => undefined);
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

/** A fresh database location (created by the first open with create) and its cleanup. */
export function freshDb(): { url: string; dir: string; cleanup(): Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), 'crm-pgd-'));
  const url = freshPostgresUrl(dir);
  return {
    url, dir,
    async cleanup() {
      await dropPostgresTestDatabase(url).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A plain connection to a test database, as another program (psql, another machine's crm) would have. */
export async function raw(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url });
  c.on('error', () => undefined);
  await c.connect();
  return c;
}
