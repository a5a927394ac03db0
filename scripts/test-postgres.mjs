// The PostgreSQL half of `npm test`: the store contract suite, the service tests and the main
// end-to-end scenarios run again with CRM_TEST_STORE=postgres against the server CRM_TEST_PG
// names (default postgres://postgres@127.0.0.1:5432, trust auth; .ci/run starts it). Each test
// file makes and drops databases of its own. With no server reachable, it says so and skips
// (the SQLite run has already passed); CRM_TEST_PG_REQUIRED=1 makes that a failure instead.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const pg = require('pg');
const server = process.env.CRM_TEST_PG || 'postgres://postgres@127.0.0.1:5432';

const FILES = [
  'test/store', 'test/services',
  // vitest takes filters, not globs: the unit tests at the top of test/ are named one by one
  ...readdirSync('test').filter((f) => f.endsWith('.test.ts')).map((f) => `test/${f}`),
  // end-to-end scenarios through the built binary (those about SQLite files stay SQLite-only)
  ...['leads', 'lists', 'lead-outcomes', 'confirmations', 'followup', 'reports', 'segment', 'completion', 'import-exports',
    'lead-360', 'rep-visibility', 'appointment', 'call', 'call-twilio', 'proposal', 'board', 'tickets', 'orders', 'audit', 'mcp', 'contact-data', 'portal-browser'].map((f) => `test/e2e/${f}.test.ts`),
];

const client = new pg.Client({ connectionString: `${server}/postgres`, connectionTimeoutMillis: 3000 });
try {
  await client.connect();
  const { rows } = await client.query('SHOW server_version');
  console.log(`PostgreSQL ${rows[0].server_version} at ${server.replace(/:[^/@:]*@/, ':***@')}: running the suite on it`);
} catch (err) {
  const msg = `PostgreSQL is not reachable at ${server} (${err.code ?? err.message}): the PostgreSQL run is skipped`;
  if (process.env.CRM_TEST_PG_REQUIRED) {
    console.error(`${msg}, but CRM_TEST_PG_REQUIRED is set`);
    process.exit(1);
  }
  console.log(msg);
  process.exit(0);
} finally {
  await client.end().catch(() => undefined);
}

const r = spawnSync('npx', ['vitest', 'run', ...FILES], { stdio: 'inherit', env: { ...process.env, CRM_TEST_STORE: 'postgres' }, shell: false });
process.exit(r.status ?? 1);
