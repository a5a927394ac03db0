// npm run bench:reports: `crm dashboard --json` and each report as whole processes on a
// store of N leads (default 1,000,000) with 3 timeline entries a lead, plus follow-ups,
// calls and demos. The store is filled with SQL straight into the schema (seeding through
// the CLI would take longer than the benchmark). Prints medians; asserts nothing.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';

const { values } = parseArgs({ options: { leads: { type: 'string', default: '1000000' }, runs: { type: 'string', default: '5' }, keep: { type: 'boolean', default: false }, 'seed-only': { type: 'boolean', default: false }, home: { type: 'string' } } });
const N = Number(values.leads);
const runs = Number(values.runs);
const bin = new URL('../bin/crm', import.meta.url).pathname;
const home = values.home ?? mkdtempSync(join(tmpdir(), 'crm-bench-reports-'));
const env = { ...process.env, CRM_HOME: home, NO_COLOR: '1', CRM_NOW: '2026-11-23T09:00:00Z', TZ: 'UTC' };
const crm = (args) => {
  const start = process.hrtime.bigint();
  const r = spawnSync(bin, args, { env, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`crm ${args.join(' ')}: ${r.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
};

if (!values.home) seed();
function seed() {
crm(['init', '--demo']);
// A team of 50 reps, so a rep's figures are over their share (20k of 1M leads), as in a real team.
for (let i = 4; i <= 50; i++) crm(['user', 'add', '--name', `Rep ${i}`, '--email', `rep${i}@acme.example`, '--role', 'rep']);
const db = new Database(join(home, 'crm.db'));
const t0 = Date.now();
db.exec(`
  PRAGMA synchronous = OFF;
  BEGIN;
  DELETE FROM activities; DELETE FROM lead_assignees; DELETE FROM lead_emails; DELETE FROM lead_phones; DELETE FROM lead_tags; DELETE FROM leads;
  CREATE TEMP TABLE reps AS SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM users WHERE role = 'rep';
  CREATE TEMP TABLE nreps AS SELECT count(*) AS n FROM reps;
  CREATE TEMP TABLE seq AS WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ${N}) SELECT i FROM s;
  INSERT INTO leads (id, type, kind, name, source_id, stage_id, score, value_minor, currency, birthday, status, converted_at, converted_by, created_at, updated_at)
    SELECT i, CASE WHEN i % 12 = 0 THEN 'customer' ELSE 'lead' END, 'person', 'Lead ' || i,
           1 + i % (SELECT count(*) FROM sources),
           CASE WHEN i % 12 = 0 THEN (SELECT id FROM stages WHERE outcome = 'won') WHEN i % 10 = 0 THEN (SELECT id FROM stages WHERE outcome = 'lost') ELSE 1 + i % 5 END,
           i % 101, (i % 500) * 10000, 'USD',
           CASE WHEN i % 7 = 0 THEN printf('19%02d-%02d-%02d', 60 + i % 40, 1 + i % 12, 1 + i % 28) END,
           'active',
           CASE WHEN i % 12 = 0 THEN strftime('%Y-%m-%dT%H:%M:%fZ', '2026-11-23T09:00:00Z', printf('-%d minutes', i % 200000)) END,
           CASE WHEN i % 12 = 0 THEN (SELECT id FROM reps WHERE n = i % (SELECT n FROM nreps)) END,
           strftime('%Y-%m-%dT%H:%M:%fZ', '2026-11-23T09:00:00Z', printf('-%d minutes', (i * 37) % 525600)),
           strftime('%Y-%m-%dT%H:%M:%fZ', '2026-11-23T09:00:00Z', printf('-%d minutes', (i * 37) % 525600))
      FROM seq;
  INSERT INTO lead_assignees (lead_id, user_id) SELECT i, (SELECT id FROM reps WHERE n = i % (SELECT n FROM nreps)) FROM seq;
  INSERT INTO activities (lead_id, type, at, user_id, data) SELECT i, 'created', (SELECT created_at FROM leads WHERE id = i), 1, '{}' FROM seq;
  INSERT INTO activities (lead_id, type, at, user_id, data) SELECT i, 'stage', (SELECT created_at FROM leads WHERE id = i), 1, '{"from":"New","to":"Qualified"}' FROM seq WHERE i % 3 <> 0;
  INSERT INTO activities (lead_id, type, at, user_id, body, data) SELECT i, 'note', (SELECT created_at FROM leads WHERE id = i), 1, 'Called', '{}' FROM seq WHERE i % 3 <> 1;
  INSERT INTO activities (lead_id, type, at, user_id, body, data) SELECT i, 'note', (SELECT created_at FROM leads WHERE id = i), 1, 'Emailed', '{}' FROM seq WHERE i % 3 <> 2;
  INSERT INTO follow_ups (lead_id, title, type, priority, status, start_at, end_at, created_at, updated_at, completed_at)
    SELECT i, 'Follow up', 'call', 'medium', CASE i % 4 WHEN 0 THEN 'scheduled' WHEN 1 THEN 'open' WHEN 2 THEN 'completed' ELSE 'cancelled' END,
           strftime('%Y-%m-%dT%H:%M:%fZ', '2026-11-23T09:00:00Z', printf('%+d minutes', (i * 13) % 86400 - 43200)),
           strftime('%Y-%m-%dT%H:%M:%fZ', '2026-11-23T09:00:00Z', printf('%+d minutes', (i * 13) % 86400 - 43170)),
           '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z',
           CASE WHEN i % 4 = 2 THEN strftime('%Y-%m-%dT%H:%M:%fZ', '2026-11-23T09:00:00Z', printf('-%d minutes', i % 1440)) END
      FROM seq WHERE i % 3 = 0;
  INSERT INTO follow_up_assignees (follow_up_id, user_id) SELECT f.id, la.user_id FROM follow_ups f JOIN lead_assignees la ON la.lead_id = f.lead_id;
  INSERT INTO calls (lead_id, user_id, direction, outcome, start_at, end_at, duration_seconds, created_at)
    SELECT i, (SELECT user_id FROM lead_assignees WHERE lead_id = i), 'out', 'connected',
           strftime('%Y-%m-%dT%H:%M:%fZ', '2026-11-23T09:00:00Z', printf('-%d minutes', (i * 7) % 86400)),
           strftime('%Y-%m-%dT%H:%M:%fZ', '2026-11-23T09:00:00Z', printf('%+d minutes', 3 - (i * 7) % 86400)), 180, '2026-11-01T00:00:00Z'
      FROM seq WHERE i % 2 = 0;
  INSERT INTO appointments (lead_id, kind, status, start_at, end_at, duration_minutes, created_at, updated_at, completed_at)
    SELECT i, 'demo', CASE WHEN i % 3 = 0 THEN 'completed' ELSE 'confirmed' END,
           strftime('%Y-%m-%dT%H:%M:%fZ', '2026-11-23T09:00:00Z', printf('%+d minutes', (i * 11) % 86400 - 43200)),
           strftime('%Y-%m-%dT%H:%M:%fZ', '2026-11-23T09:00:00Z', printf('%+d minutes', (i * 11) % 86400 - 43155)), 45,
           '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z',
           CASE WHEN i % 3 = 0 THEN strftime('%Y-%m-%dT%H:%M:%fZ', '2026-11-23T09:00:00Z', printf('-%d minutes', i % 1440)) END
      FROM seq WHERE i % 20 = 0;
  COMMIT;
  ANALYZE;
`);
const counts = db.prepare("SELECT (SELECT count(*) FROM leads) l, (SELECT count(*) FROM activities) a, (SELECT count(*) FROM follow_ups) f, (SELECT count(*) FROM calls) c, (SELECT count(*) FROM appointments) d").get();
db.close();
console.log(`seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${counts.l} leads, ${counts.a} activities, ${counts.f} follow-ups, ${counts.c} calls, ${counts.d} demos`);
}

if (values['seed-only']) {
  console.log(`seeded store kept: CRM_HOME=${home}`);
  process.exit(0);
}
const cases = [
  ['node -e 0', null],
  ['dashboard --json (admin)', ['dashboard', '--json']],
  ['dashboard --json (rep)', ['--as', 'ravi@acme.example', 'dashboard', '--json']],
  ['report followups --by user', ['report', 'followups', '--by', 'user', '--json']],
  ['report followups --by contact --from … --to …', ['report', 'followups', '--by', 'contact', '--from', '2026-11-22', '--to', '2026-11-23', '--json']],
  ['report conversions', ['report', 'conversions', '--json']],
  ['report leads --by source (month)', ['report', 'leads', '--by', 'source', '--from', '2026-11-01', '--json']],
  ['report leads --by user (day)', ['report', 'leads', '--by', 'user', '--day', 'today', '--json']],
  ['report performance --hourly', ['report', 'performance', '--hourly', '--json']],
  ['report pipeline', ['report', 'pipeline', '--json']],
  ['report demos --confirmed tomorrow', ['report', 'demos', '--confirmed', 'tomorrow', '--json']],
];
console.log(`\nmedian of ${runs} runs, whole process:`);
for (const [name, args] of cases) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    if (!args) {
      const s = process.hrtime.bigint();
      spawnSync('node', ['-e', '0']);
      times.push(Number(process.hrtime.bigint() - s) / 1e6);
    } else times.push(crm(args));
  }
  times.sort((a, b) => a - b);
  console.log(`  ${name.padEnd(48)} ${times[Math.floor(runs / 2)].toFixed(0).padStart(6)} ms`);
}
if (values.keep || values.home) console.log(`kept the store: CRM_HOME=${home}`);
else rmSync(home, { recursive: true, force: true });
