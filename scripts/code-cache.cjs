'use strict';
// Writes dist/crm.cjs.cache, the V8 code cache bin/load.cjs uses. V8 puts into it the functions
// compiled so far, so it first runs what people run most: help, and the one-record commands on
// a throwaway store (made by a separate `crm init`, so the migrations' code, run once per store,
// stays out of the cache), SQLite's and then a JSON store's.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { PassThrough } = require('node:stream');
const { load, file } = require('../bin/load.cjs');

async function main() {
  fs.rmSync(`${file}.cache`, { force: true });
  fs.rmSync(`${file}.cache-node`, { force: true });
  // The libraries bundled apart get caches of their own when the runs below load them (libphonenumber: lead add --phone).
  const vendorDir = path.join(path.dirname(file), 'vendor');
  for (const f of fs.readdirSync(vendorDir)) if (f.endsWith('.cjs.cache')) fs.rmSync(path.join(vendorDir, f));
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-code-cache-'));
  try {
    const env = { CRM_HOME: home, NO_COLOR: '1', CRM_NOW: '2026-01-05T10:00:00Z' };
    const bin = path.join(__dirname, '..', 'bin', 'crm');
    execFileSync(process.execPath, [bin, 'init', '--name', 'Cache Admin', '--email', 'admin@cache.example'], { env: { ...process.env, ...env }, stdio: 'ignore' });
    const { exports: crm, script, scripts } = load({ withScript: true });
    const sink = () => Object.assign(new PassThrough(), { isTTY: false });
    const runs = [
      ['--help'], ['lead', '--help'], ['lead', 'add', '--help'], ['lead', 'list', '--help'], ['--version'],
      ['lead', 'add', '--name', 'Ana Sousa', '--email', 'ana@sousa.example', '--phone', '+351912345678', '--source', 'Website', '--value', '12000', '--tag', 'vip'],
      ['lead', 'show', '1'], ['lead', 'show', '1', '--json'],
      ['lead', 'list', '--limit', '50', '--stage', 'Qualified'], ['lead', 'list', '--limit', '50', '--json'],
    ];
    for (const argv of runs) {
      const out = sink();
      out.resume();
      await crm.run(argv, { env, stdin: sink(), stdout: out, stderr: out });
    }
    // The same one-record commands on a JSON store (its loading, locking and writing code).
    const jsonEnv = { ...env, CRM_DB: path.join(home, 'crm.json') };
    execFileSync(process.execPath, [bin, 'init', '--name', 'Cache Admin', '--email', 'admin@cache.example'], { env: { ...process.env, ...jsonEnv }, stdio: 'ignore' });
    for (const argv of runs.slice(5)) {
      const out = sink();
      out.resume();
      await crm.run(argv, { env: jsonEnv, stdin: sink(), stdout: out, stderr: out });
    }
    fs.writeFileSync(`${file}.cache`, script.createCachedData());
    for (const [target, s] of scripts) if (target !== file) fs.writeFileSync(`${target}.cache`, s.createCachedData());
    // Which Node made the caches (another version's V8 rejects them): test/code-cache.test.ts reads it.
    fs.writeFileSync(`${file}.cache-node`, `${process.version}\n`);
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}

main().catch((err) => {
  // The cache only saves time; a build without it still works.
  console.warn(`code cache not written: ${err.message}`);
});
