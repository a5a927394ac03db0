// npm run bench:import: generates N leads as CSV (default 1,000,000), imports them into an
// empty store, then again into the store now holding them (every row a duplicate), and
// prints rows/s and the peak RSS of each whole `crm lead import` process, beside
// `sqlite3 .import` of the same file (the raw floor) when sqlite3 is installed.
// CPU time (all threads) is printed too: on a shared machine wall time says as much about the
// neighbours as about crm.
// Asserts nothing. Options: --rows N  --keep (leave the temp directory)
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '1000000' }, keep: { type: 'boolean', default: false } } });
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

function timed(cmd, args, env, input) {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { env, encoding: 'utf8', input, maxBuffer: 1 << 26 });
  const s = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return { s, stdout: r.stdout };
}

function crmImport(label, env, extra = []) {
  rmSync(rssFile, { force: true });
  const { s, stdout } = timed(bin, ['lead', 'import', csv, '--json', ...extra], { ...env, NODE_OPTIONS: `--require ${rssHook}` });
  const summary = JSON.parse(stdout);
  const usage = JSON.parse(readFileSync(rssFile, 'utf8'));
  const rssMb = usage.maxRSS / 1024;
  const cpu = (usage.userCPUTime + usage.systemCPUTime) / 1e6;
  const c = summary.counts;
  console.log(
    `  ${label.padEnd(34)} ${s.toFixed(1).padStart(6)} s  ${Math.round(rows / s).toLocaleString('en').padStart(9)} rows/s  peak RSS ${rssMb.toFixed(0).padStart(4)} MB  ` +
      `CPU ${cpu.toFixed(1)} s (${Math.round(rows / cpu).toLocaleString('en')} rows per CPU-second)  [imported ${c.imported}, skipped ${c.skipped}, rejected ${c.rejected}]`,
  );
}

try {
  const g = Date.now();
  await generate();
  console.log(`node ${process.version}; ${rows.toLocaleString('en')} rows, ${(statSync(csv).size / 1e6).toFixed(0)} MB of CSV generated in ${((Date.now() - g) / 1000).toFixed(1)} s`);
  const env = { ...process.env, CRM_HOME: join(dir, 'home'), NO_COLOR: '1' };
  timed(bin, ['init', '--name', 'Bench Admin', '--email', 'bench@acme.example', '--currency', 'EUR'], env);
  crmImport('crm lead import (empty store)', env);
  crmImport('crm lead import (all duplicates)', env, ['--again']);
  if (spawnSync('sqlite3', ['-version']).status === 0) {
    const { s } = timed('sqlite3', [join(dir, 'raw.db')], process.env, `.mode csv\n.import ${csv} leads\n`);
    console.log(`  ${'sqlite3 .import (no validation)'.padEnd(34)} ${s.toFixed(1).padStart(6)} s  ${Math.round(rows / s).toLocaleString('en').padStart(9)} rows/s`);
  } else console.log('  sqlite3 not installed: no raw .import figure');
} finally {
  if (values.keep) console.log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
