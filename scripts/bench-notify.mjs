// npm run bench:notify [-- --messages 10000 --idle-seconds 60]
// 1. The floor: a bare nodemailer loop (pooled, same concurrency as the daemon) sending N emails
//    to a local SMTP server (smtp-server on loopback).
// 2. The daemon: N emails queued in a fresh store's outbox, `crm daemon run` delivering them to
//    the same server; messages/s from its first to its last accepted message.
// 3. The daemon idle: CPU time and RSS over --idle-seconds (from /proc), nothing to deliver.
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
const { values } = parseArgs({ options: { messages: { type: 'string', default: '10000' }, 'idle-seconds': { type: 'string', default: '60' } } });
const N = Number(values.messages);
const IDLE = Number(values['idle-seconds']);
const BIN = new URL('../bin/crm', import.meta.url).pathname;

let received = 0;
let firstAt = 0;
let lastAt = 0;
const server = new SMTPServer({
  secure: false, disabledCommands: ['STARTTLS'], authOptional: true, logger: false,
  onData(stream, _s, cb) {
    stream.on('data', () => {});
    stream.on('end', () => {
      const now = performance.now();
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

// 2. The daemon draining N queued emails.
received = 0;
const home = mkdtempSync(join(tmpdir(), 'crm-bench-notify-'));
const env = { ...process.env, CRM_HOME: home, HOME: home, CRM_NOW: '' };
const crm = (...args) => execFileSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8' });
try {
  crm('init', '--name', 'Bench Admin', '--email', 'admin@acme.example');
  for (const [k, v] of [['smtp.host', '127.0.0.1'], ['smtp.port', String(port)], ['smtp.ignore-tls', 'true'], ['smtp.from', 'crm@acme.example']]) crm('config', 'set', k, v);
  crm('lead', 'add', '--name', 'Bench Lead', '--email', 'bench@lead.example', '--assign', 'admin@acme.example');
  crm('notify', 'set', 'new-lead', '--channels', 'email', '--to', 'admins');
  const db = new Database(join(home, 'crm.db'));
  db.prepare("DELETE FROM outbox").run();
  const vars = JSON.stringify({ contact_name: 'Bench Lead', business_name: '', rep: 'Bench Admin', date: '2026-11-23', time: '09:00', lead_id: '1', source: 'Website', stage: 'New', recipient: 'Bench Admin' });
  const at = new Date().toISOString();
  const ins = db.prepare(`INSERT INTO outbox (key, rule, channel, recipient_kind, recipient_id, address, lead_id, vars, status, attempts, next_attempt_at, created_at, updated_at)
    VALUES (?, 'new-lead', 'email', 'user', 1, 'admin@acme.example', 1, ?, 'pending', 0, ?, ?, ?)`);
  db.transaction(() => {
    for (let i = 0; i < N; i++) ins.run(`bench/${i}`, vars, at, at, at);
  })();
  db.close();

  const child = spawn(process.execPath, [BIN, 'daemon', 'run'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const spawned = performance.now();
  await waitFor(N, 600_000);
  const s = (lastAt - firstAt) / 1000;
  console.log(`crm daemon:               ${N} emails in ${s.toFixed(2)} s = ${Math.round(N / s)} messages/s (first message ${((firstAt - spawned) / 1000).toFixed(2)} s after spawn)`);
  // Let the last rows be marked sent before measuring idle.
  await new Promise((r) => setTimeout(r, 2000));
  const counts = new Database(join(home, 'crm.db'), { readonly: true }).prepare('SELECT status, count(*) AS n FROM outbox GROUP BY status').all();
  console.log(`outbox after the run:     ${counts.map((c) => `${c.status} ${c.n}`).join(', ')}`);

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
  console.log(`crm daemon idle:          ${wall.toFixed(0)} s, CPU ${cpuS.toFixed(2)} s (${((cpuS / wall) * 100).toFixed(2)} % of one core), RSS ${rssStart.toFixed(0)} MB at start, ${rssMax.toFixed(0)} MB max`);
  child.kill('SIGTERM');
  await new Promise((r) => child.on('exit', r));
} finally {
  server.close();
  rmSync(home, { recursive: true, force: true });
}
