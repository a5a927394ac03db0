// The JSON store's half of `npm test`: the store contract suite, the service tests, the unit
// tests and the main end-to-end scenarios run again with CRM_TEST_STORE=json, each on a JSON
// store file of its own (no server needed). test/e2e/json-store.test.ts, which is about the
// file itself (diffs, hand edits, concurrent writers, backups), runs in the main half.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const FILES = [
  'test/store/contract', 'test/store/transactions.test.ts', 'test/services',
  // vitest takes filters, not globs: the unit tests at the top of test/ are named one by one
  ...readdirSync('test').filter((f) => f.endsWith('.test.ts')).map((f) => `test/${f}`),
  ...['leads', 'lists', 'lead-outcomes', 'confirmations', 'followup', 'reports', 'segment', 'import-exports',
    'lead-360', 'rep-visibility', 'appointment', 'call', 'proposal', 'tickets', 'orders', 'invoices', 'audit', 'mcp', 'contact-data', 'consent'].map((f) => `test/e2e/${f}.test.ts`),
];

console.log('JSON store: running the suite on JSON store files');
const r = spawnSync('npx', ['vitest', 'run', ...FILES], { stdio: 'inherit', env: { ...process.env, CRM_TEST_STORE: 'json' }, shell: false });
process.exit(r.status ?? 1);
