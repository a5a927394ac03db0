// npm run bench:notify [-- --messages 10000 --idle-seconds 60 --latency 20 --db postgres://user@host/db]
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
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SMTPServer } from 'smtp-server';
import nodemailer from 'nodemailer';

const require = createRequire(import.meta.url);
const Database = require('better-sqlite3');
const { values } = parseArgs({ options: { messages: { type: 'string', default: '10000' }, 'idle-seconds': { type: 'string', default: '60' }, latency: { type: 'string', default: '20' }, db: { type: 'string' } } });
const N = Number(values.messages);
const IDLE = Number(values['idle-seconds']);
const LATENCY = Number(values.latency);
const BIN = new URL('../bin/crm', import.meta.url).pathname;

let received = 0;
let firstAt = 0;
let lastAt = 0;
/** SMTP acceptance time of each latency probe, by its subject. */
const probes = new Map();
const server = new SMTPServer({
  secure: false, disabledCommands: ['STARTTLS'], authOptional: true, logger: false,
  onData(stream, _s, cb) {
    let head = '';
    stream.on('data', (d) => {
      if (head.length < 4096) head += d.toString('latin1');
    });
    stream.on('end', () => {
      const now = performance.now();
      const probe = /^Subject: .*?(probe-\d+)/m.exec(head);
      if (probe) probes.set(probe[1], now);
      if (received === 0) firstAt = now;
      lastAt = now;
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
  const t = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, pool: true, maxConnections: 5, maxMessages: 1000 });
  const start = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < N) {
      const i = next++;
      await t.sendMail({ from: 'crm@acme.example', to: 'admin@acme.example', subject: `Bench ${i}`, text: `Message ${i}\n`, messageId: `<bench-${i}@crm.idempotency>` });
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  const s = (performance.now() - start) / 1000;
  t.close();
  console.log(`nodemailer loop (floor):  ${N} emails in ${s.toFixed(2)} s = ${Math.round(N / s)} messages/s`);
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
    await waitFor(N, 600_000);
    const s = (lastAt - firstAt) / 1000;
    console.log(`crm daemon, ${b.name.padEnd(10)}   ${N} emails in ${s.toFixed(2)} s = ${Math.round(N / s)} messages/s (first message ${((firstAt - spawned) / 1000).toFixed(2)} s after spawn)`);
    // Let the last rows be marked sent before measuring idle.
    await new Promise((r) => setTimeout(r, 2000));
    console.log(`outbox after the run:     ${(await b.counts()).map((c) => `${c.status} ${c.n}`).join(', ')}`);

    // 3. Idle.
    const ticks = () => {
      const f = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return Number(f[11]) + Number(f[12]);
    };
    const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1]) / 1024;
    const hz = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    const t0 = ticks();
    const rssStart = rss();
    let rssMax = rssStart;
    const started = performance.now();
    while (performance.now() - started < IDLE * 1000) {
      await new Promise((r) => setTimeout(r, 1000));
      rssMax = Math.max(rssMax, rss());
    }
    const cpuS = (ticks() - t0) / hz;
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
