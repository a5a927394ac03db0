// npm run bench:import: generates N leads as CSV (default 1,000,000), dry-runs the import
// into an empty store (memory: every contact is remembered across the file), imports them into an
// empty store, then again into the store now holding them (every row a duplicate), and
// prints rows/s and the peak RSS of each whole `crm lead import` process, beside
// `sqlite3 .import` of the same file (the raw floor) when sqlite3 is installed, and the floor of
// crm's own schema on each backend (the same rows written set-based by plain SQL, no crm code).
// CPU time (all threads) is printed too, as CPU seconds per 100k rows: on a shared machine wall
// time says as much about the neighbours as about crm; compare CPU figures before/after.
// Asserts nothing. Options: --rows N  --keep (leave the temp directory)
//   --suppressed N  also import into an empty store whose suppression list holds N hashes, one in
//     a hundred of them the file's own emails (those rows are refused: exit 8 is expected there).
//   --db postgres://user@host:port/name  the same imports into PostgreSQL too (a database
//     <name>_import, created by crm init and dropped at the end), printed beside SQLite's.
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '1000000' }, keep: { type: 'boolean', default: false }, db: { type: 'string' }, suppressed: { type: 'string', default: '0' } } });
const rows = Number(values.rows);
const bin = new URL('../bin/crm', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'crm-bench-import-'));
const csv = join(dir, 'leads.csv');

const FIRST = ['Ana', 'Rahul', 'Sofia', 'Arjun', 'Meera', 'Lukas', 'Fatima', 'Diego', 'Aisha', 'Kenji'];
const LAST = ['Sousa', 'Sharma', 'Rossi', 'Nair', 'Kapoor', 'Müller', 'Khan', 'García', 'Bello', 'Tanaka'];
const SOURCES = ['Website', 'Referral', 'Phone', 'Email', 'Google Ads'];

async function generate() {
  const out = createWriteStream(csv);
  out.write('First Name,Last Name,Email,Phone Number,Company,Lead Source,Deal Value,Tags\n');
  let buf = '';
  for (let i = 0; i < rows; i++) {
    const fn = FIRST[i % 10];
    const ln = LAST[Math.floor(i / 10) % 10];
    // Unique contacts; phones written as people write them (+351 91x xxx xxx), so each is normalised.
    const n = String(i).padStart(7, '0');
    buf += `${fn},${ln},${fn.toLowerCase()}.${i}@bench.example,+351 91${n.slice(0, 1)} ${n.slice(1, 4)} ${n.slice(4)},${ln} ${i % 997} Lda,${SOURCES[i % 5]},${1000 + (i % 50000)}.50,${i % 4 === 0 ? 'vip' : ''}\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
}

const rssFile = join(dir, 'rss');
const rssHook = join(dir, 'rss.cjs');
writeFileSync(rssHook, `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(rssFile)}, JSON.stringify(process.resourceUsage())));\n`);

function timed(cmd, args, env, input, ok = [0]) {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { env, encoding: 'utf8', input, maxBuffer: 1 << 26 });
  const s = Number(process.hrtime.bigint() - start) / 1e9;
  if (!ok.includes(r.status)) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return { s, stdout: r.stdout };
}

function crmImport(label, env, extra = [], ok = [0]) {
  rmSync(rssFile, { force: true });
  const { s, stdout } = timed(bin, ['lead', 'import', csv, '--json', ...extra], { ...env, NODE_OPTIONS: `--require ${rssHook}` }, undefined, ok);
  const summary = JSON.parse(stdout);
  const usage = JSON.parse(readFileSync(rssFile, 'utf8'));
  const rssMb = usage.maxRSS / 1024;
  const cpu = (usage.userCPUTime + usage.systemCPUTime) / 1e6;
  const c = summary.counts;
  console.log(
    `  ${label.padEnd(34)} ${s.toFixed(1).padStart(6)} s  ${Math.round(rows / s).toLocaleString('en').padStart(9)} rows/s  peak RSS ${rssMb.toFixed(0).padStart(4)} MB  ` +
      `CPU ${cpu.toFixed(1)} s (${((cpu * 100000) / rows).toFixed(2)} CPU-s per 100k rows)  [imported ${c.imported}, skipped ${c.skipped}, rejected ${c.rejected}${c.suppressed ? `, suppressed ${c.suppressed}` : ''}]`,
  );
}

/**
 * The floor of crm's own schema: the same rows written into a fresh crm store by SQLite alone,
 * set-based (INSERT … SELECT from a staging table, one transaction, the import's pragmas, the
 * two triggers the import also drops), with no JavaScript, parsing, validation or duplicate
 * check per row. What crm lead import can never beat on this machine, whatever it does in JS.
 */
function schemaFloor() {
  const require = createRequire(import.meta.url);
  const Database = require('better-sqlite3');
  const home = join(dir, 'floor-home');
  timed(bin, ['init', '--name', 'Bench Admin', '--email', 'bench@acme.example', '--currency', 'EUR'], { ...process.env, CRM_HOME: home, NO_COLOR: '1' });
  // Staging (not timed): the generated file has no quoted cells, so a split is a faithful parse.
  const stg = new Database(join(dir, 'staging.db'));
  stg.exec('CREATE TABLE stg (line INTEGER PRIMARY KEY, first, last, email, phone, company, source, value, tags)');
  const ins = stg.prepare('INSERT INTO stg VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const lines = readFileSync(csv, 'utf8').split('\n');
  stg.transaction(() => {
    for (let i = 1; i < lines.length; i++) if (lines[i]) ins.run(i + 1, ...lines[i].split(','));
  })();
  stg.close();
  const start = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const db = new Database(join(home, 'crm.db'));
  for (const p of ['journal_mode = WAL', 'synchronous = NORMAL', 'foreign_keys = ON', 'temp_store = MEMORY', 'cache_size = -32768', 'wal_autocheckpoint = 10000', 'mmap_size = 0']) db.pragma(p);
  db.exec(`ATTACH '${join(dir, 'staging.db')}' AS s`);
  const triggers = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name = 'lead_stats_insert'").all();
  const at = new Date().toISOString();
  db.exec('BEGIN IMMEDIATE');
  for (const t of triggers) db.exec(`DROP TRIGGER ${t.name}`);
  db.exec(`INSERT INTO tags (name) VALUES ('vip') ON CONFLICT DO NOTHING`);
  // The lean schema (SQLite 0021): the lead says which import and line created it; no 'created' row.
  db.exec(`INSERT INTO leads (id, type, kind, name, business_name, source_id, stage_id, score, value_minor, currency, custom, status, created_by, created_at, updated_at, import_id, import_line, import_junk)
    SELECT g.line, 'lead', 'person', g.first || ' ' || g.last, g.company, src.id, (SELECT id FROM stages WHERE outcome = 'open' ORDER BY position LIMIT 1),
           0, CAST(round(g.value * 100) AS INTEGER), 'EUR', '{}', 'active', 1, '${at}', '${at}', 1, g.line, 0
      FROM s.stg g LEFT JOIN sources src ON src.name = g.source`);
  db.exec('INSERT INTO lead_emails (lead_id, position, email, email_norm) SELECT line, 0, email, lower(email) FROM s.stg');
  db.exec(`INSERT INTO lead_phones (lead_id, position, phone) SELECT line, 0, '+' || replace(replace(phone, '+', ''), ' ', '') FROM s.stg`);
  db.exec(`INSERT INTO lead_tags (lead_id, tag_id) SELECT line, (SELECT id FROM tags WHERE name = 'vip') FROM s.stg WHERE tags = 'vip'`);
  for (const t of triggers) db.exec(t.sql);
  db.exec('COMMIT');
  db.close();
  const sec = Number(process.hrtime.bigint() - start) / 1e9;
  const c = process.cpuUsage(cpu0);
  const cpu = (c.user + c.system) / 1e6;
  console.log(`  ${"SQLite alone, crm's schema".padEnd(34)} ${sec.toFixed(1).padStart(6)} s  ${Math.round(rows / sec).toLocaleString('en').padStart(9)} rows/s  CPU ${cpu.toFixed(1)} s (${((cpu * 100000) / rows).toFixed(2)} CPU-s per 100k rows)  (set-based INSERT … SELECT of the same rows, no JS per row: the floor of any import into this schema)`);
}

/** Server CPU (user + system, seconds) of one PostgreSQL backend, from /proc (the server runs on this machine). */
function backendCpu(pid) {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return NaN;
  }
}

/**
 * PostgreSQL's floor of crm's schema: the same rows into a fresh crm database (crm init), by the
 * superuser of --db (no row-level security to pass, as COPY into a staging table and
 * INSERT … SELECT by crm would) in one transaction, set-based, no JS per row. Wall time, and the
 * server backend's CPU when it runs on this machine.
 */
async function pgSchemaFloor(t) {
  const pg = createRequire(import.meta.url)('pg');
  const { from: copyFrom } = createRequire(import.meta.url)('pg-copy-streams');
  const floorDb = `${t.name}_floor`;
  const admin = new pg.Client({ connectionString: t.admin });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(floorDb)} WITH (FORCE)`);
  await admin.end();
  const u = new URL(t.url);
  u.pathname = `/${floorDb}`;
  timed(bin, ['init', '--name', 'Bench Admin', '--email', 'bench@acme.example', '--currency', 'EUR'], { ...process.env, CRM_HOME: join(dir, 'pg-floor-home'), NO_COLOR: '1', CRM_DB: u.toString() });
  const c = new pg.Client({ connectionString: u.toString() });
  await c.connect();
  try {
    const pid = (await c.query('SELECT pg_backend_pid() AS p')).rows[0].p;
    // Staging (not timed): the file as it is, by COPY.
    await c.query('CREATE TEMP TABLE stg (first text, last text, email text, phone text, company text, source text, value numeric, tags text, line bigserial)');
    const stream = c.query(copyFrom("COPY stg (first, last, email, phone, company, source, value, tags) FROM STDIN (FORMAT csv, HEADER true)"));
    const { createReadStream } = await import('node:fs');
    const { pipeline } = await import('node:stream/promises');
    await pipeline(createReadStream(csv), stream);
    await c.query('ANALYZE stg');
    const cpu0 = backendCpu(pid);
    const start = process.hrtime.bigint();
    const at = new Date().toISOString();
    await c.query('BEGIN');
    await c.query(`INSERT INTO tags (name) VALUES ('vip') ON CONFLICT DO NOTHING`);
    await c.query(`INSERT INTO leads (id, type, kind, name, business_name, source_id, stage_id, score, value_minor, currency, custom, status, created_by, created_at, updated_at, import_id, import_line, import_junk)
      SELECT g.line, 'lead', 'person', g.first || ' ' || g.last, g.company, src.id, (SELECT id FROM stages WHERE outcome = 'open' ORDER BY position LIMIT 1),
             0, round(g.value * 100)::bigint, 'EUR', '{}', 'active', 1, '${at}', '${at}', 1, g.line + 1, 0
        FROM stg g LEFT JOIN sources src ON src.name = g.source ORDER BY g.line`);
    await c.query('INSERT INTO lead_emails (lead_id, position, email, email_norm) SELECT line, 0, email, lower(email) FROM stg ORDER BY line');
    await c.query(`INSERT INTO lead_phones (lead_id, position, phone) SELECT line, 0, '+' || replace(replace(phone, '+', ''), ' ', '') FROM stg ORDER BY line`);
    await c.query(`INSERT INTO lead_tags (lead_id, tag_id) SELECT line, (SELECT id FROM tags WHERE name = 'vip') FROM stg WHERE tags = 'vip' ORDER BY line`);
    await c.query('COMMIT');
    const sec = Number(process.hrtime.bigint() - start) / 1e9;
    const cpu = backendCpu(pid) - cpu0;
    console.log(`  ${"PostgreSQL alone, crm's schema".padEnd(34)} ${sec.toFixed(1).padStart(6)} s  ${Math.round(rows / sec).toLocaleString('en').padStart(9)} rows/s  server CPU ${cpu.toFixed(1)} s (${((cpu * 100000) / rows).toFixed(2)} CPU-s per 100k rows)  (set-based INSERT … SELECT from a staging table, no JS per row)`);
  } finally {
    await c.end();
    const a2 = new pg.Client({ connectionString: t.admin });
    await a2.connect();
    await a2.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(floorDb)} WITH (FORCE)`);
    await a2.end();
  }
}

/** PostgreSQL: a database of the bench's own on the server --db names, dropped before and after. */
function pgTarget() {
  if (!values.db) return undefined;
  const u = new URL(values.db);
  const name = `${decodeURIComponent(u.pathname.slice(1)) || 'crm_bench'}_import`;
  u.pathname = `/${name}`;
  const admin = new URL(values.db);
  admin.pathname = '/postgres';
  return { url: u.toString(), name, admin: admin.toString() };
}
async function dropDatabase(t) {
  const pg = createRequire(import.meta.url)('pg');
  const c = new pg.Client({ connectionString: t.admin });
  await c.connect();
  try {
    await c.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(t.name)} WITH (FORCE)`);
  } finally {
    await c.end();
  }
}
const pgdb = pgTarget();

try {
  const g = Date.now();
  await generate();
  console.log(`node ${process.version}; ${rows.toLocaleString('en')} rows, ${(statSync(csv).size / 1e6).toFixed(0)} MB of CSV generated in ${((Date.now() - g) / 1000).toFixed(1)} s`);
  const env = { ...process.env, CRM_HOME: join(dir, 'home'), NO_COLOR: '1' };
  delete env.CRM_DB;
  console.log('SQLite');
  timed(bin, ['init', '--name', 'Bench Admin', '--email', 'bench@acme.example', '--currency', 'EUR'], env);
  crmImport('crm lead import --dry-run (empty)', env, ['--dry-run']);
  crmImport('crm lead import (empty store)', env);
  crmImport('crm lead import (all duplicates)', env, ['--again']);
  const suppressed = Number(values.suppressed);
  if (suppressed > 0) {
    const senv = { ...env, CRM_HOME: join(dir, 'suppressed-home') };
    timed(bin, ['init', '--name', 'Bench Admin', '--email', 'bench@acme.example', '--currency', 'EUR'], senv);
    const { createHash } = await import('node:crypto');
    const Database = createRequire(import.meta.url)('better-sqlite3');
    const db = new Database(join(dir, 'suppressed-home', 'crm.db'));
    const add = db.prepare('INSERT INTO suppressions (hash, at) VALUES (?, ?) ON CONFLICT DO NOTHING');
    db.transaction(() => {
      for (let i = 0; i < suppressed; i++) {
        // One in a hundred: an email of the file (rows spread over it); the rest: addresses it does not have.
        const row = Math.floor((i * rows) / suppressed) % rows;
        const email = i % 100 === 0 ? `${FIRST[row % 10].toLowerCase()}.${row}@bench.example` : `gone.${i}@elsewhere.example`;
        add.run(createHash('sha256').update(`email:${email}`).digest('hex'), '2026-01-01T00:00:00.000Z');
      }
    })();
    db.close();
    crmImport(`crm lead import (${suppressed.toLocaleString('en')} suppressed)`, senv, [], [0, 8]);
  }
  if (spawnSync('sqlite3', ['-version']).status === 0) {
    const { s } = timed('sqlite3', [join(dir, 'raw.db')], process.env, `.mode csv\n.import ${csv} leads\n`);
    console.log(`  ${'sqlite3 .import (no validation)'.padEnd(34)} ${s.toFixed(1).padStart(6)} s  ${Math.round(rows / s).toLocaleString('en').padStart(9)} rows/s`);
  } else console.log('  sqlite3 not installed: no raw .import figure');
  schemaFloor();
  if (pgdb) {
    console.log(`PostgreSQL (${pgdb.name})`);
    await dropDatabase(pgdb);
    const penv = { ...process.env, CRM_HOME: join(dir, 'pg-home'), NO_COLOR: '1', CRM_DB: pgdb.url };
    timed(bin, ['init', '--name', 'Bench Admin', '--email', 'bench@acme.example', '--currency', 'EUR'], penv);
    crmImport('crm lead import --dry-run (empty)', penv, ['--dry-run']);
    crmImport('crm lead import (empty store)', penv);
    crmImport('crm lead import (all duplicates)', penv, ['--again']);
    await pgSchemaFloor(pgdb);
  }
} finally {
  if (pgdb) await dropDatabase(pgdb).catch((err) => console.error(`could not drop ${pgdb.name}: ${err.message}`));
  if (values.keep) console.log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
