// npm run bench:portal: the customer portal's time to first byte on loopback, on a store of
// 100,000 orders (--orders N). Two companies: the signed-in contact's (every 10th order, so
// 10,000 of their own, half of them billed) and another's. The orders are written with SQL
// straight into the schema in one transaction, as bench:reports seeds (through the CLI it would
// take longer than the benchmark); everything else goes through crm. The daemon serves the
// pages; each request is timed from sending it to its response headers (node:http, keep-alive).
// Prints median and p95 per page; asserts nothing.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';

const { values } = parseArgs({ options: { orders: { type: 'string', default: '100000' }, runs: { type: 'string', default: '200' }, keep: { type: 'boolean', default: false } } });
const N = Number(values.orders);
const runs = Number(values.runs);
const bin = new URL('../bin/crm', import.meta.url).pathname;
const home = mkdtempSync(join(tmpdir(), 'crm-bench-portal-'));
// The daemon runs on the real clock, so the commands do too (a link must not be expired to it).
const env = { ...process.env, CRM_HOME: home, HOME: home, NO_COLOR: '1', TZ: 'UTC', CRM_HTTP_LISTEN: '127.0.0.1:0', CRM_NOW: '' };
const crm = (args) => {
  const r = spawnSync(bin, args, { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`crm ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};

let agent;
try {
  crm(['init', '--name', 'Asha Rao', '--email', 'admin@acme.example', '--currency', 'EUR']);
  const mine = Number(crm(['lead', 'add', '-q', '--name', 'Rui Sousa', '--business', 'Sousa Lda', '--kind', 'company', '--email', 'rui@sousa.example']).trim());
  const other = Number(crm(['lead', 'add', '-q', '--name', 'Eva Lima', '--business', 'Lima SA', '--kind', 'company', '--email', 'eva@lima.example']).trim());
  const person = JSON.parse(crm(['lead', 'person', 'add', String(mine), '--name', 'Ana Reis', '--email', 'ana@sousa.example', '--portal', '--json'])).id;
  crm(['portal', 'set', '--on']);

  const db = new Database(join(home, 'crm.db'));
  const t0 = Date.now();
  const item = JSON.stringify([{ description: 'Widget', productId: null, quantity: '2', unitPriceMinor: 1000, discountPct: '0', taxPct: '23', taxInclusive: false, grossMinor: 2000, discountMinor: 0, netMinor: 2000, taxMinor: 460, totalMinor: 2460 }]);
  db.exec(`
    PRAGMA synchronous = OFF;
    BEGIN;
    CREATE TEMP TABLE seq AS WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ${N}) SELECT i FROM s;
    INSERT INTO orders (lead_id, title, status, currency, items, subtotal_minor, discount_minor, tax_minor, total_minor, paid_minor, invoice_number, billed_at, due_on, created_by, created_at, updated_at)
      SELECT CASE WHEN i % 10 = 0 THEN ${mine} ELSE ${other} END, 'Order ' || i,
             CASE WHEN i % 2 = 0 THEN 'billed' ELSE 'draft' END, 'EUR', '${item}', 2000, 0, 460, 2460, 0,
             CASE WHEN i % 2 = 0 THEN printf('INV-%06d', i / 2) END,
             CASE WHEN i % 2 = 0 THEN '2026-11-01T09:00:00.000Z' END,
             CASE WHEN i % 2 = 0 THEN '2026-11-15' END,
             1, strftime('%Y-%m-%dT%H:%M:%fZ', '2026-11-23T09:00:00Z', printf('-%d minutes', ${N} - i)), '2026-11-23T09:00:00.000Z'
        FROM seq;
    COMMIT;
  `);
  const own = db.prepare('SELECT count(*) AS n FROM orders WHERE lead_id = ?').get(mine).n;
  const invoice = db.prepare('SELECT invoice_number AS n FROM orders WHERE lead_id = ? AND invoice_number IS NOT NULL ORDER BY id LIMIT 1 OFFSET 100').get(mine).n;
  console.log(`seeded ${N.toLocaleString('en')} orders (${own.toLocaleString('en')} of the contact's company) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  crm(['daemon', 'start']);
  let url;
  for (let i = 0; i < 100 && !url; i++) {
    url = JSON.parse(crm(['daemon', 'status', '--json'])).http?.url;
    if (!url) await new Promise((r) => setTimeout(r, 100));
  }
  crm(['portal', 'invite', `person:${person}`]);
  const content = db.prepare("SELECT content FROM outbox WHERE key LIKE 'portal/link%' ORDER BY id DESC LIMIT 1").get().content;
  const token = /\/portal\/login\/([A-Za-z0-9_-]+)/.exec(JSON.parse(content).text)[1];
  db.close();

  agent = new Agent({ keepAlive: true, maxSockets: 1 });
  /** One request: [ms to the response headers, status, headers]. */
  const hit = (method, path, cookie) => new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const req = request(`${url}${path}`, { method, agent, headers: cookie ? { cookie } : {} }, (res) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      res.resume();
      res.on('end', () => resolve([ms, res.statusCode, res.headers]));
    });
    req.on('error', reject);
    req.end();
  });
  const [, status, headers] = await hit('POST', `/portal/login/${token}`);
  if (status !== 303) throw new Error(`sign-in answered ${status}`);
  const cookie = headers['set-cookie'][0].split(';')[0];

  const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
  console.log(`portal TTFB on loopback, ${runs} requests each after 10 warm-up (SQLite, node ${process.version}):`);
  for (const [name, path] of [['orders page', '/portal/orders'], [`invoice page (${invoice})`, `/portal/invoices/${invoice}`], ['home (balance over all invoices)', '/portal/']]) {
    for (let i = 0; i < 10; i++) await hit('GET', path, cookie);
    const times = [];
    for (let i = 0; i < runs; i++) {
      const [ms, s] = await hit('GET', path, cookie);
      if (s !== 200) throw new Error(`${path} answered ${s}`);
      times.push(ms);
    }
    console.log(`  ${name.padEnd(36)} median ${pct(times, 0.5).toFixed(2)} ms   p95 ${pct(times, 0.95).toFixed(2)} ms`);
  }
} finally {
  agent?.destroy();
  spawnSync(bin, ['daemon', 'stop'], { env });
  if (!values.keep) rmSync(home, { recursive: true, force: true });
  else console.log(`store kept in ${home}`);
}
