'use strict';
// Writes dist/crm.cjs.cache, the V8 code cache bin/load.cjs uses. It runs a few commands that
// need no store first, so the functions every command uses are compiled into the cache too.
const fs = require('node:fs');
const { PassThrough } = require('node:stream');
const { load, file } = require('../bin/load.cjs');

async function main() {
  fs.rmSync(`${file}.cache`, { force: true });
  const { exports: crm, script } = load({ withScript: true });
  const sink = () => Object.assign(new PassThrough(), { isTTY: false });
  for (const argv of [['--help'], ['lead', '--help'], ['lead', 'add', '--help'], ['lead', 'list', '--help'], ['--version']]) {
    const out = sink();
    out.resume();
    await crm.run(argv, { env: {}, stdin: sink(), stdout: out, stderr: out });
  }
  fs.writeFileSync(`${file}.cache`, script.createCachedData());
}

main().catch((err) => {
  // The cache only saves time; a build without it still works.
  console.warn(`code cache not written: ${err.message}`);
});
