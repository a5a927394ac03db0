// npm run bench: start-up cost of single-record commands as whole processes, beside
// `node -e 0`, on stores of 1k and 100k leads. Prints medians; asserts nothing.
// Options: --sizes 1000,100000  --runs 25
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '1000,100000' }, runs: { type: 'string', default: '25' } } });
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

console.log(`node ${process.version}, ${runs} runs each, median wall time of the whole process`);
for (const size of sizes) {
  const home = mkdtempSync(join(tmpdir(), 'crm-bench-'));
  const env = { ...process.env, CRM_HOME: home, NO_COLOR: '1' };
  run(bin, ['init', '--name', 'Bench Admin', '--email', 'bench@acme.example'], env);
  const seedStart = Date.now();
  run(bin, ['demo', '--leads', String(size)], env);
  const seedMs = Date.now() - seedStart;
  let n = 0;
  const commands = {
    'node -e 0': () => ['node', ['-e', '0']],
    'crm lead add': () => [bin, ['lead', 'add', '--name', `Bench ${++n}`, '--email', `bench${n}@bench.example`, '--phone', `+3519120${String(n).padStart(5, '0')}`, '--source', 'Website', '--value', '12000', '--tag', 'vip']],
    'crm lead show': () => [bin, ['lead', 'show', String(1 + ((n * 7919) % size))]],
    'crm lead list --limit 50 --stage Qualified': () => [bin, ['lead', 'list', '--limit', '50', '--stage', 'Qualified']],
  };
  const times = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
  for (let i = 0; i < runs; i++) {
    // Interleaved, so drift in machine load hits every command alike.
    for (const [name, make] of Object.entries(commands)) {
      const [cmd, args] = make();
      times[name].push(run(cmd, args, env));
    }
  }
  const base = median(times['node -e 0']);
  console.log(`\n${size.toLocaleString('en')} leads (seeded in ${(seedMs / 1000).toFixed(1)} s)`);
  for (const [name, xs] of Object.entries(times)) {
    const m = median(xs);
    console.log(`  ${name.padEnd(44)} ${m.toFixed(1).padStart(7)} ms  ${(m / base).toFixed(2)}× node`);
  }
  rmSync(home, { recursive: true, force: true });
}
