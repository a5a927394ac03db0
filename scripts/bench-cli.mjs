// npm run bench: start-up cost of single-record commands as whole processes, beside
// `node -e 0`, on stores of 1k and 100k leads. Asserts nothing. Each command runs paired with
// `node -e 0` (A B A B …, so drift in the machine's load hits both alike) and is printed as the
// median of the per-pair ratios with their spread (min–max), wall and CPU (user+sys of the child).
// Beside them, the floor: a bare script that loads better-sqlite3, opens the store read-only and
// reads one lead (and, with --db, one that connects with pg and reads one lead).
// Options: --sizes 1000,100000  --runs 25
//          --db postgres://user@host:port/name  the same commands against PostgreSQL too, printed
//            beside SQLite: one database per size (<name>_<size>, created and dropped here), filled
//            with the very records of the SQLite store (crm store copy), so both hold the same data.
//          --json  the same commands against a JSON store file too (crm store copy --to crm.json),
//            with its size per 1,000 leads; e.g. npm run bench -- --json --sizes 1000,10000
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '1000,100000' }, runs: { type: 'string', default: '25' }, db: { type: 'string' }, json: { type: 'boolean', default: false } } });
const sizes = values.sizes.split(',').map(Number);
const runs = Number(values.runs);
const bin = new URL('../bin/crm', import.meta.url).pathname;
const root = new URL('..', import.meta.url).pathname;

/** One run: wall ms, and CPU ms (user+sys) of the child from the kernel's accounting. */
function run(cmd, args, env) {
  const before = childCpu();
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { env, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return { wall: ms, cpu: childCpu() - before };
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * CPU ms (user+sys) of all waited-for children so far: cutime + cstime of /proc/self/stat, in
 * clock ticks of 10 ms, so CPU is shown as the ratio of the sums over all runs, not per pair.
 */
function childCpu() {
  try {
    const f = readFileSync('/proc/self/stat', 'utf8');
    const parts = f.slice(f.lastIndexOf(')') + 2).split(' ');
    return (Number(parts[13]) + Number(parts[14])) * (1000 / CLK_TCK);
  } catch {
    return NaN;
  }
}
const CLK_TCK = 100;

/** The floor scripts: what a Node program that only reads one lead costs. */
const FLOOR_SQLITE = `const D=require('better-sqlite3');const db=new D(process.argv[1],{readonly:true,fileMustExist:true});process.stdout.write(JSON.stringify(db.prepare('SELECT * FROM leads WHERE id = ?').get(Number(process.argv[2])))+'\\n');`;
const FLOOR_JSON = `const d=JSON.parse(require('fs').readFileSync(process.argv[1],'utf8'));const id=Number(process.argv[2]);process.stdout.write(JSON.stringify(d.tables.leads.find((l)=>l.id===id))+'\\n');`;
const FLOOR_PG = `const pg=require('pg');const c=new pg.Client({connectionString:process.argv[1]});c.connect().then(()=>c.query('SELECT * FROM leads WHERE id = $1',[Number(process.argv[2])])).then((r)=>{process.stdout.write(JSON.stringify(r.rows[0])+'\\n');return c.end();});`;

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

console.log(`node ${process.version}, ${runs} runs each, each command paired with \`node -e 0\` run just before it; wall: median ratio [min–max] of the pairs; cpu: ratio of the summed user+sys times${values.db || values.json ? '; backends interleaved' : ''}`);
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
  if (values.json) {
    const file = join(home, 'crm.json');
    const copyStart = Date.now();
    run(bin, ['store', 'copy', '--to', file], env);
    const bytes = statSync(file).size;
    console.log(`(copied into the JSON store ${file} in ${((Date.now() - copyStart) / 1000).toFixed(1)} s: ${(bytes / 1e6).toFixed(1)} MB, ${(bytes / size).toFixed(0)} bytes a lead, ${((bytes / size) * 1000 / 1e6).toFixed(2)} MB per 1,000 leads)`);
    backends.push(['JSON', { ...env, CRM_DB: file }]);
  }
  let n = 0;
  const id = () => String(1 + ((n * 7919) % size));
  // [name, backend, command, args]: the floors run from the project root, where require() finds the drivers.
  const floor = { SQLite: (e) => ['node', ['-e', FLOOR_SQLITE, join(e.CRM_HOME, 'crm.db'), id()]], PostgreSQL: (e) => ['node', ['-e', FLOOR_PG, e.CRM_DB, id()]], JSON: (e) => ['node', ['-e', FLOOR_JSON, e.CRM_DB, id()]] };
  const commands = {
    'floor: load the driver, read one lead': (e, b) => floor[b](e),
    'crm lead add': () => [bin, ['lead', 'add', '--name', `Bench ${++n}`, '--email', `bench${n}@bench.example`, '--phone', `+3519120${String(n).padStart(5, '0')}`, '--source', 'Website', '--value', '12000', '--tag', 'vip']],
    'crm lead show': () => [bin, ['lead', 'show', id()]],
    'crm lead list --limit 50 --stage Qualified': () => [bin, ['lead', 'list', '--limit', '50', '--stage', 'Qualified']],
  };
  const ratios = {};
  for (const name of Object.keys(commands)) for (const [b] of backends) ratios[`${name}|${b}`] = { wall: [], cpu: [] };
  const base = { wall: [], cpu: [] };
  try {
    for (let i = 0; i < runs; i++) {
      for (const [name, make] of Object.entries(commands)) {
        for (const [b, e] of backends) {
          const [cmd, args] = make(e, b);
          const a = run('node', ['-e', '0'], e);
          const c = spawnIn(cmd, args, e);
          base.wall.push(a.wall);
          base.cpu.push(a.cpu);
          ratios[`${name}|${b}`].wall.push(c.wall / a.wall);
          ratios[`${name}|${b}`].cpu.push([c.cpu, a.cpu]);
        }
      }
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
    if (pgdb) await dropDatabase(pgdb.admin, pgdb.name);
  }
  console.log(`\n${size.toLocaleString('en')} leads (seeded in ${(seedMs / 1000).toFixed(1)} s); node -e 0: median ${median(base.wall).toFixed(1)} ms wall, ${median(base.cpu).toFixed(1)} ms CPU`);
  const spread = (xs) => `${median(xs).toFixed(2)}× [${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}]`;
  const sum = (pairs, i) => pairs.reduce((t, p) => t + p[i], 0);
  const cell = (r) => `wall ${spread(r.wall).padEnd(20)} cpu ${(sum(r.cpu, 0) / sum(r.cpu, 1)).toFixed(2)}×`.padEnd(44);
  if (backends.length > 1) console.log(`  ${''.padEnd(44)} ${backends.map(([b]) => b.padEnd(46)).join('  ')}`);
  for (const name of Object.keys(commands)) {
    console.log(`  ${name.padEnd(44)} ${backends.map(([b]) => cell(ratios[`${name}|${b}`])).join('  ')}`);
  }
}

function spawnIn(cmd, args, env) {
  return cmd === 'node' ? runAt(args, env) : run(cmd, args, env);
}

/** The floor scripts need the project's node_modules: run them with the project root as the working directory. */
function runAt(args, env) {
  const before = childCpu();
  const start = process.hrtime.bigint();
  const r = spawnSync('node', args, { env, cwd: root, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`node ${args.slice(0, 1).join(' ')} failed (${r.status}): ${r.stderr}`);
  return { wall: ms, cpu: childCpu() - before };
}
