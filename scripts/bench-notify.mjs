// npm run bench:notify [-- --messages 10000 --idle-seconds 60 --latency 20 --db postgres://user@host/db --bin other/bin/crm]
// 1. The floor: a bare nodemailer loop (pooled, same concurrency as the daemon) sending N emails
//    to a local SMTP server (smtp-server on loopback).
// 2. The daemon: N emails queued in a fresh store's outbox, `crm daemon run` delivering them to
//    the same server; messages/s from its first to its last accepted message.
// 3. The daemon idle: CPU time and RSS over --idle-seconds (from /proc), nothing to deliver.
// 4. Latency, event → SMTP: with the daemon idle, another process queues one message (an outbox
//    row committed) --latency times, 300-700 ms apart; the time from its commit to the SMTP server
//    accepting it (median, p95, max). SQLite's daemon polls every second; PostgreSQL's is woken by
//    NOTIFY (its poll is every 30 s).
// --db postgres://…: steps 2-4 also run on a fresh PostgreSQL database (created, then dropped) of
// that server (the URL names the server and a maintenance database; a role that may CREATE
// DATABASE), beside SQLite.
// Beside the floor, for comparison (not the target's floor): the same loop in a process of its own
// (as the daemon is: the SMTP server's replies then cross processes, while in the floor's one
// process they wait for the loop's turn), sending the daemon's very message (its template, headers
// and Message-ID). Each line prints the size of a message and the main thread's CPU a message.
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SMTPServer } from 'smtp-server';
import nodemailer from 'nodemailer';

const require = createRequire(import.meta.url);
const Database = require('better-sqlite3');
const { values } = parseArgs({ options: { messages: { type: 'string', default: '10000' }, 'idle-seconds': { type: 'string', default: '60' }, latency: { type: 'string', default: '20' }, db: { type: 'string' }, 'loop-to': { type: 'string' }, bin: { type: 'string' } } });
const N = Number(values.messages);
const IDLE = Number(values['idle-seconds']);
const LATENCY = Number(values.latency);
// --bin: another build's crm (the same bench against the build before a change).
const BIN = values.bin ?? new URL('../bin/crm', import.meta.url).pathname;

let received = 0;
let firstAt = 0;
let lastAt = 0;
/** Size in bytes of the last message received (as sent over SMTP, DATA's content). */
let lastSize = 0;
/** Called as the first message of a run arrives (the daemon's CPU is read from then on). */
let onFirst = () => {};
const hz = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
/**
 * CPU seconds (user + system) a process has used so far, from /proc; `main`: its main thread's
 * only, the thread that sends (V8 compiles and collects garbage on threads of its own).
 */
const cpuOf = (pid, main = true) => {
  const f = readFileSync(main ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / hz;
};
const ownCpu = () => cpuOf(process.pid);
const perMessage = (cpuS, n) => `${Math.round((cpuS * 1e6) / n)} µs`;
/** The floor's message. */
const bareMessage = (i) => ({ from: 'crm@acme.example', to: 'admin@acme.example', subject: `Bench ${i}`, text: `Message ${i}\n`, messageId: `<bench-${i}@crm.idempotency>` });
/** The message the daemon sends for an outbox row of rule 'new-lead' with the bench's vars (src/services/notify/channels.ts). */
const daemonMessage = (() => {
  const raw = readFileSync(new URL('../templates/notify/new-lead.email.txt', import.meta.url), 'utf8');
  const v = { contact_name: 'Bench Lead', business_name: '', rep: 'Bench Admin', date: '2026-11-23', time: '09:00', lead_id: '1', source: 'Website', stage: 'New', recipient: 'Bench Admin' };
  const fill = (t) => t.replace(/\{(\w+)\}/g, (_m, k) => v[k] ?? '');
  const [, subject, body] = /^Subject:[ \t]*(.*)\n\n?([\s\S]*)$/.exec(raw);
  const text = `${fill(body).trimEnd()}\n`;
  return (i) => {
    const key = `bench/${i}`;
    return {
      from: 'crm@acme.example', to: 'admin@acme.example', subject: fill(subject).trim(), text,
      messageId: `<${createHash('sha256').update(key).digest('hex').slice(0, 40)}@crm.idempotency>`,
      headers: { 'X-CRM-Idempotency-Key': key, 'X-CRM-Rule': 'new-lead' },
    };
  };
})();

/** N messages through a pool of 5 connections, 8 in flight (as the daemon): seconds, and the main thread's CPU seconds. */
async function loop(port, message) {
  const t = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, pool: true, maxConnections: 5, maxMessages: 1000 });
  const start = performance.now();
  const cpu0 = ownCpu();
  let next = 0;
  const worker = async () => {
    while (next < N) await t.sendMail(message(next++));
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  const r = { s: (performance.now() - start) / 1000, cpu: ownCpu() - cpu0 };
  t.close();
  return r;
}

if (values['loop-to']) {
  // The loop in a process of its own (a child of the bench): prints its figures.
  process.stdout.write(JSON.stringify(await loop(Number(values['loop-to']), daemonMessage)));
  process.exit(0);
}

/** SMTP acceptance time of each latency probe, by its subject. */
const probes = new Map();
const server = new SMTPServer({
  secure: false, disabledCommands: ['STARTTLS'], authOptional: true, logger: false,
  onData(stream, _s, cb) {
    let head = '';
    let size = 0;
    stream.on('data', (d) => {
      size += d.length;
      if (head.length < 4096) head += d.toString('latin1');
    });
    stream.on('end', () => {
      const now = performance.now();
      const probe = /^Subject: .*?(probe-\d+)/m.exec(head);
      if (probe) probes.set(probe[1], now);
      if (received === 0) {
        firstAt = now;
        onFirst();
      }
      lastAt = now;
      lastSize = size;
      received++;
      cb();
    });
  },
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const port = server.server.address().port;
const waitFor = async (n, timeoutMs) => {
  const deadline = Date.now() + timeoutMs;
  while (received < n) {
    if (Date.now() > deadline) throw new Error(`only ${received} of ${n} messages arrived`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

// 1. Floor: nodemailer alone, 8 sends in flight over a pool of 5 connections (as the daemon).
{
  const { s, cpu } = await loop(port, bareMessage);
  console.log(`nodemailer loop (floor):  ${N} emails in ${s.toFixed(2)} s = ${Math.round(N / s)} messages/s (main thread's CPU a message: ${perMessage(cpu, N)}, loop and SMTP server in one process; a message is ${lastSize} bytes)`);
}
// Beside it: the loop in a process of its own, sending the daemon's message (not the target's floor).
{
  const child = spawn(process.execPath, [new URL(import.meta.url).pathname, '--loop-to', String(port), '--messages', String(N)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const code = await new Promise((r) => child.on('exit', r));
  if (code !== 0) throw new Error(`the loop in its own process exited with ${code}`);
  const { s, cpu } = JSON.parse(out);
  console.log(`  the same, own process:  ${N} emails in ${s.toFixed(2)} s = ${Math.round(N / s)} messages/s (main thread's CPU a message: ${perMessage(cpu, N)}, loop only; the daemon's message: ${lastSize} bytes)`);
}

// 2-4 on one backend: `open` gives { insert(rows), counts(), close() } over a fresh store made by `crm init`.
const vars = JSON.stringify({ contact_name: 'Bench Lead', business_name: '', rep: 'Bench Admin', date: '2026-11-23', time: '09:00', lead_id: '1', source: 'Website', stage: 'New', recipient: 'Bench Admin' });
const INSERT = `INSERT INTO outbox (key, rule, channel, recipient_kind, recipient_id, address, lead_id, vars, status, attempts, next_attempt_at, created_at, updated_at)
  VALUES (?, 'new-lead', 'email', 'user', 1, 'admin@acme.example', 1, ?, 'pending', 0, ?, ?, ?)`;
/** A probe's vars: its key as the contact's name, so that the email's subject ("New lead 1: <key>") tells which it is. */
const probeVars = (key) => JSON.stringify({ ...JSON.parse(vars), contact_name: key });
const numbered = (sql) => { let n = 0; return sql.replace(/\?/g, () => `$${++n}`); };

async function sqliteBackend(home) {
  const file = join(home, 'crm.db');
  return {
    name: 'SQLite', location: file,
    async clear() {
      const db = new Database(file);
      db.prepare('DELETE FROM outbox').run();
      db.close();
    },
    async insert(keys) {
      const db = new Database(file);
      const ins = db.prepare(INSERT);
      const at = new Date().toISOString();
      db.transaction(() => { for (const k of keys) ins.run(k, vars, at, at, at); })();
      db.close();
    },
    /** One connection kept open, as a CLI process's: queue one message, resolve at its commit. */
    async prober() {
      const db = new Database(file);
      const ins = db.prepare(INSERT);
      return { queue(key) { const at = new Date().toISOString(); ins.run(key, probeVars(key), at, at, at); }, close() { db.close(); } };
    },
    async counts() {
      const db = new Database(file, { readonly: true });
      const rows = db.prepare('SELECT status, count(*) AS n FROM outbox GROUP BY status').all();
      db.close();
      return rows;
    },
    async drop() {},
  };
}

async function postgresBackend(serverUrl) {
  const { default: pg } = await import('pg');
  const url = new URL(serverUrl);
  const name = `crm_bench_notify_${process.pid}`;
  url.pathname = `/${name}`;
  const location = url.toString();
  const client = async () => { const c = new pg.Client({ connectionString: location }); await c.connect(); return c; };
  return {
    name: 'PostgreSQL', location,
    async clear() {
      const c = await client();
      await c.query('DELETE FROM outbox');
      await c.end();
    },
    async insert(keys) {
      const c = await client();
      const at = new Date().toISOString();
      await c.query(`INSERT INTO outbox (key, rule, channel, recipient_kind, recipient_id, address, lead_id, vars, status, attempts, next_attempt_at, created_at, updated_at)
        SELECT k, 'new-lead', 'email', 'user', 1, 'admin@acme.example', 1, $2, 'pending', 0, $3, $3, $3 FROM unnest($1::text[]) AS k`, [keys, vars, at]);
      await c.end();
    },
    async prober() {
      const c = await client();
      const text = numbered(INSERT);
      return { queue(key) { const at = new Date().toISOString(); return c.query(text, [key, probeVars(key), at, at, at]); }, close() { return c.end(); } };
    },
    async counts() {
      const c = await client();
      const r = await c.query('SELECT status, count(*)::int AS n FROM outbox GROUP BY status');
      await c.end();
      return r.rows;
    },
    async drop() {
      const admin = new pg.Client({ connectionString: serverUrl });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      const roles = await admin.query('SELECT rolname FROM pg_roles WHERE rolname LIKE $1', [`${name}%`]);
      for (const r of roles.rows) await admin.query(`DROP ROLE IF EXISTS "${r.rolname}"`);
      await admin.end();
    },
  };
}

async function benchDaemon(make) {
  received = 0;
  const home = mkdtempSync(join(tmpdir(), 'crm-bench-notify-'));
  const env = { ...process.env, CRM_HOME: home, HOME: home, CRM_NOW: '', CRM_HTTP_LISTEN: '127.0.0.1:0' };
  delete env.CRM_DB;
  const b = await make(home);
  const crm = (...args) => execFileSync(process.execPath, [BIN, ...args, '--db', b.location], { env, encoding: 'utf8' });
  let child;
  try {
    crm('init', '--name', 'Bench Admin', '--email', 'admin@acme.example');
    for (const [k, v] of [['smtp.host', '127.0.0.1'], ['smtp.port', String(port)], ['smtp.ignore-tls', 'true'], ['smtp.from', 'crm@acme.example']]) crm('config', 'set', k, v);
    crm('lead', 'add', '--name', 'Bench Lead', '--email', 'bench@lead.example', '--assign', 'admin@acme.example');
    crm('notify', 'set', 'new-lead', '--channels', 'email', '--to', 'admins');
    await b.clear();
    await b.insert(Array.from({ length: N }, (_, i) => `bench/${i}`));

    child = spawn(process.execPath, [BIN, 'daemon', 'run', '--db', b.location], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    const spawned = performance.now();
    let cpu0 = { daemon: 0, process: 0, server: 0 };
    onFirst = () => { cpu0 = { daemon: cpuOf(child.pid), process: cpuOf(child.pid, false), server: ownCpu() }; };
    await waitFor(N, 600_000);
    // From the first message to the last (give or take the 20 ms waitFor polls at).
    const cpu = { daemon: cpuOf(child.pid) - cpu0.daemon, process: cpuOf(child.pid, false) - cpu0.process, server: ownCpu() - cpu0.server };
    const s = (lastAt - firstAt) / 1000;
    console.log(`crm daemon, ${b.name.padEnd(10)}   ${N} emails in ${s.toFixed(2)} s = ${Math.round(N / s)} messages/s (first message ${((firstAt - spawned) / 1000).toFixed(2)} s after spawn; main thread's CPU a message: daemon ${perMessage(cpu.daemon, N)} (all its threads ${perMessage(cpu.process, N)}), SMTP server ${perMessage(cpu.server, N)}; a message is ${lastSize} bytes)`);
    // Let the last rows be marked sent before measuring idle.
    await new Promise((r) => setTimeout(r, 2000));
    console.log(`outbox after the run:     ${(await b.counts()).map((c) => `${c.status} ${c.n}`).join(', ')}`);

    // 3. Idle.
    const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1]) / 1024;
    const t0 = cpuOf(child.pid, false);
    const rssStart = rss();
    let rssMax = rssStart;
    const started = performance.now();
    while (performance.now() - started < IDLE * 1000) {
      await new Promise((r) => setTimeout(r, 1000));
      rssMax = Math.max(rssMax, rss());
    }
    const cpuS = cpuOf(child.pid, false) - t0;
    const wall = (performance.now() - started) / 1000;
    console.log(`crm daemon idle, ${b.name.padEnd(10)} ${wall.toFixed(0)} s, CPU ${cpuS.toFixed(2)} s (${((cpuS / wall) * 100).toFixed(2)} % of one core), RSS ${rssStart.toFixed(0)} MB at start, ${rssMax.toFixed(0)} MB max`);

    // 4. Latency: one message queued by another process, the daemon idle.
    if (LATENCY > 0) {
      probes.clear();
      const p = await b.prober();
      const lat = [];
      for (let i = 0; i < LATENCY; i++) {
        await new Promise((r) => setTimeout(r, 300 + Math.random() * 400));
        const key = `probe-${b.name.length}${process.pid}${i}`;
        await p.queue(key);
        const committed = performance.now();
        const deadline = Date.now() + 10_000;
        while (!probes.has(key) && Date.now() < deadline) await new Promise((r) => setImmediate(r));
        if (!probes.has(key)) throw new Error(`probe ${key} never arrived`);
        lat.push(probes.get(key) - committed);
      }
      await p.close();
      lat.sort((a, c) => a - c);
      const q = (f) => lat[Math.min(lat.length - 1, Math.floor(f * lat.length))];
      console.log(`latency, ${b.name.padEnd(10)}        event → SMTP over ${lat.length} messages: median ${q(0.5).toFixed(0)} ms, p95 ${q(0.95).toFixed(0)} ms, max ${lat[lat.length - 1].toFixed(0)} ms`);
    }
  } finally {
    if (child) {
      child.kill('SIGTERM');
      await new Promise((r) => child.on('exit', r));
    }
    await b.drop().catch((err) => console.error(`could not drop the bench database: ${err.message}`));
    rmSync(home, { recursive: true, force: true });
  }
}

try {
  await benchDaemon(sqliteBackend);
  if (values.db) await benchDaemon(() => postgresBackend(values.db));
} finally {
  server.close();
}
