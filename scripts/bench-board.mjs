// npm run bench:board: `crm board` on a real pseudo-terminal (util-linux `script`), on stores
// of 1k, 10k and 50k demo leads. Measures the time from launching the process to its first
// full frame (the footer is the last line ink writes), and the time from sending `>` (or `<`)
// to the frame that shows the move saved. Prints medians; asserts nothing.
// Options: --sizes 1000,10000,50000  --runs 9  --moves 15  --cols 160  --rows 45
//   --stores DIR   seed each size once into DIR/<size> and reuse it on later runs (kept)
//   --vs BIN       a second crm (another build's bin/crm): launches alternate, this one and
//                  BIN, and the per-pair ratio of first frames is printed with both medians
//   --db postgres://user@host:port/name   the board on PostgreSQL instead: each size's SQLite store
//                  copied (crm store copy) into a database <name>_board_<size> of that server,
//                  created here and dropped at the end (the URL names a maintenance database)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000,10000,50000' },
    runs: { type: 'string', default: '9' },
    moves: { type: 'string', default: '15' },
    cols: { type: 'string', default: '160' },
    rows: { type: 'string', default: '45' },
    stores: { type: 'string' },
    vs: { type: 'string' },
    db: { type: 'string' },
  },
});
const sizes = values.sizes.split(',').map(Number);
const runs = Number(values.runs);
const moves = Number(values.moves);
const bin = new URL('../bin/crm', import.meta.url).pathname;
const FOOTER = 'q quit';

if (spawnSync('script', ['--version']).status !== 0) {
  console.error('bench:board needs `script` (util-linux) for a pseudo-terminal');
  process.exit(1);
}

function crm(args, env) {
  const r = spawnSync(bin, args, { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`crm ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

/** A database of this bench's own per size on the --db server, dropped first if it is there. */
async function pgDatabase(size) {
  const u = new URL(values.db);
  const name = `${decodeURIComponent(u.pathname.slice(1)) || 'crm'}_board_${size}`;
  await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  u.pathname = `/${name}`;
  return { url: u.toString(), drop: () => adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}
async function adminQuery(sql) {
  const pg = createRequire(import.meta.url)('pg');
  const c = new pg.Client({ connectionString: values.db });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;

/** Starts `crm board` on a pty of the given size; resolves helpers once its first full frame is out. */
function launch(env, crmBin = bin) {
  // stty sets the pty's size before crm starts; it is part of the measured time (~2 ms).
  const shell = `stty cols ${values.cols} rows ${values.rows}; exec ${crmBin} board --refresh 0`;
  const t0 = process.hrtime.bigint();
  const child = spawn('script', ['-qfec', shell, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let buffer = '';
  let waiter;
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d) => {
    buffer += d;
    if (waiter && buffer.includes(waiter.text)) {
      const w = waiter;
      waiter = undefined;
      w.resolve(ms(w.t0));
    }
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const until = (text, t) =>
    new Promise((resolve, reject) => {
      if (buffer.includes(text)) return resolve(ms(t));
      waiter = { text, t0: t, resolve };
      setTimeout(() => reject(new Error(`no "${text}" within 20 s; output so far: ${buffer.slice(-500)} ${stderr}`)), 20_000).unref();
    });
  return {
    child,
    first: until(FOOTER, t0),
    /** Sends keys and measures until `text` shows in what is drawn after them. */
    async press(keys, text) {
      buffer = '';
      const t = process.hrtime.bigint();
      child.stdin.write(keys);
      return until(text, t);
    },
    async quit() {
      child.stdin.write('q');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

console.log(`${values.db ? 'PostgreSQL, ' : ''}node ${process.version}, ${values.cols}×${values.rows} terminal, median of ${runs} launches and ${moves} moves per size`);
// Wall times: on a shared machine compare them with node -e 0 and the load average.
console.log(`load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
async function launches(env, crmBin) {
  const b = launch(env, crmBin);
  const first = await b.first;
  return { b, first };
}

async function movesOn(b) {
  const moved = [];
  // Moves alternate forward and back so the card stays among the open stages.
  for (let m = 0; m < moves; m++) {
    await new Promise((r) => setTimeout(r, 30));
    moved.push(await b.press(m % 2 === 0 ? '>' : '<', `Moved #`));
  }
  return moved;
}

const line = (label, xs) => `  ${label.padEnd(36)}${median(xs).toFixed(1).padStart(7)} ms  (min ${Math.min(...xs).toFixed(1)}, max ${Math.max(...xs).toFixed(1)})`;

for (const size of sizes) {
  const kept = values.stores ? join(values.stores, String(size)) : undefined;
  const home = kept ?? mkdtempSync(join(tmpdir(), 'crm-bench-board-'));
  const env = { ...process.env, CRM_HOME: home, NO_COLOR: '1', TERM: 'xterm-256color' };
  let seedMs;
  if (!kept || !existsSync(join(home, 'seeded'))) {
    mkdirSync(home, { recursive: true });
    crm(['init', '--name', 'Bench Admin', '--email', 'bench@acme.example'], env);
    const seedStart = Date.now();
    crm(['demo', '--leads', String(size)], env);
    seedMs = Date.now() - seedStart;
    if (kept) writeFileSync(join(home, 'seeded'), `${size}\n`);
  }
  env.CRM_USER = 'bench@acme.example';
  let pgdb;
  if (values.db) {
    pgdb = await pgDatabase(size);
    const copyStart = Date.now();
    crm(['store', 'copy', '--to', pgdb.url], env);
    console.log(`(copied into PostgreSQL in ${((Date.now() - copyStart) / 1000).toFixed(1)} s)`);
    env.CRM_DB = pgdb.url;
  }
  const firsts = [];
  const moved = [];
  const vsFirsts = [];
  const vsMoved = [];
  const ratios = [];
  for (let i = 0; i < runs; i++) {
    const a = await launches(env);
    firsts.push(a.first);
    if (i === 0) moved.push(...(await movesOn(a.b)));
    await a.b.quit();
    if (values.vs) {
      const v = await launches(env, values.vs);
      vsFirsts.push(v.first);
      ratios.push(a.first / v.first);
      if (i === 0) vsMoved.push(...(await movesOn(v.b)));
      await v.b.quit();
    }
  }
  const nodeStart = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    spawnSync('node', ['-e', '0']);
    nodeStart.push(ms(t));
  }
  console.log(`\n${size.toLocaleString('en')} leads (${seedMs === undefined ? `store kept in ${home}` : `seeded in ${(seedMs / 1000).toFixed(1)} s`}; load average ${loadavg()[0].toFixed(2)})`);
  console.log(line('node -e 0', nodeStart));
  console.log(line('launch → first full frame', firsts));
  console.log(line('key → move saved and redrawn', moved));
  if (values.vs) {
    console.log(line('--vs: launch → first full frame', vsFirsts));
    console.log(line('--vs: key → move saved and redrawn', vsMoved));
    console.log(`  first frame / --vs's, per pair         ${median(ratios).toFixed(2).padStart(7)}×    (min ${Math.min(...ratios).toFixed(2)}, max ${Math.max(...ratios).toFixed(2)})`);
  }
  if (pgdb) await pgdb.drop();
  if (!kept) rmSync(home, { recursive: true, force: true });
}
