// npm run bench: start-up cost of single-record commands as whole processes, beside
// `node -e 0`, on stores of 1k and 100k leads. Prints medians; asserts nothing.
// Options: --sizes 1000,100000  --runs 25
//          --db postgres://user@host:port/name  the same commands against PostgreSQL too, printed
//            beside SQLite: one database per size (<name>_<size>, created and dropped here), filled
//            with the very records of the SQLite store (crm store copy), so both hold the same data.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '1000,100000' }, runs: { type: 'string', default: '25' }, db: { type: 'string' } } });
const sizes = values.sizes.split(',').map(Number);
const runs = Number(values.runs);
const bin = new URL('../bin/crm', import.meta.url).pathname;

function run(cmd, args, env) {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { env, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return ms;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The server's maintenance database and a database of this bench's own per size. */
function pgDatabase(url, size) {
  const u = new URL(url);
  const name = `${decodeURIComponent(u.pathname.slice(1)) || 'crm_bench'}_${size}`;
  u.pathname = `/${name}`;
  const admin = new URL(url);
  admin.pathname = '/postgres';
  return { url: u.toString(), name, admin: admin.toString() };
}

async function dropDatabase(adminUrl, name) {
  const pg = createRequire(import.meta.url)('pg');
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    await c.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
  } finally {
    await c.end();
  }
}

console.log(`node ${process.version}, ${runs} runs each, median wall time of the whole process${values.db ? '; SQLite and PostgreSQL interleaved' : ''}`);
for (const size of sizes) {
  const home = mkdtempSync(join(tmpdir(), 'crm-bench-'));
  const env = { ...process.env, CRM_HOME: home, NO_COLOR: '1' };
  delete env.CRM_DB;
  run(bin, ['init', '--name', 'Bench Admin', '--email', 'bench@acme.example'], env);
  const seedStart = Date.now();
  run(bin, ['demo', '--leads', String(size)], env);
  const seedMs = Date.now() - seedStart;
  const backends = [['SQLite', env]];
  let pgdb;
  if (values.db) {
    pgdb = pgDatabase(values.db, size);
    await dropDatabase(pgdb.admin, pgdb.name);
    const copyStart = Date.now();
    run(bin, ['store', 'copy', '--to', pgdb.url], env);
    console.log(`(copied into PostgreSQL ${pgdb.name} in ${((Date.now() - copyStart) / 1000).toFixed(1)} s)`);
    backends.push(['PostgreSQL', { ...env, CRM_DB: pgdb.url }]);
  }
  let n = 0;
  const commands = {
    'crm lead add': () => ['lead', 'add', '--name', `Bench ${++n}`, '--email', `bench${n}@bench.example`, '--phone', `+3519120${String(n).padStart(5, '0')}`, '--source', 'Website', '--value', '12000', '--tag', 'vip'],
    'crm lead show': () => ['lead', 'show', String(1 + ((n * 7919) % size))],
    'crm lead list --limit 50 --stage Qualified': () => ['lead', 'list', '--limit', '50', '--stage', 'Qualified'],
  };
  const times = { 'node -e 0': [] };
  for (const name of Object.keys(commands)) for (const [b] of backends) times[`${name}|${b}`] = [];
  try {
    for (let i = 0; i < runs; i++) {
      // Interleaved, so drift in machine load hits every command and backend alike.
      times['node -e 0'].push(run('node', ['-e', '0'], env));
      for (const [name, make] of Object.entries(commands)) {
        const args = make();
        for (const [b, e] of backends) times[`${name}|${b}`].push(run(bin, args, e));
      }
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
    if (pgdb) await dropDatabase(pgdb.admin, pgdb.name);
  }
  const base = median(times['node -e 0']);
  console.log(`\n${size.toLocaleString('en')} leads (seeded in ${(seedMs / 1000).toFixed(1)} s)`);
  console.log(`  ${'node -e 0'.padEnd(44)} ${base.toFixed(1).padStart(7)} ms`);
  const cell = (xs) => `${median(xs).toFixed(1).padStart(7)} ms ${(median(xs) / base).toFixed(2).padStart(5)}× node`;
  if (backends.length > 1) console.log(`  ${''.padEnd(44)} ${'SQLite'.padEnd(22)} PostgreSQL`);
  for (const name of Object.keys(commands)) {
    console.log(`  ${name.padEnd(44)} ${backends.map(([b]) => cell(times[`${name}|${b}`])).join('   ')}`);
  }
}
