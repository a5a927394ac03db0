import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { freshHome, type Home } from '../helpers/cli.js';
import { dropPostgresTestDatabase } from '../helpers/postgres.js';
import { TEST_DB_PREFIX, TEST_PG_SERVER } from '../helpers/store.js';

/** PostgreSQL on the test server answers (else the PostgreSQL cases are skipped). */
async function pgReachable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: `${TEST_PG_SERVER}/postgres`, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}
const PG = await pgReachable();
let dbs = 0;
const pgUrl = () => `${TEST_PG_SERVER}/${TEST_DB_PREFIX}copy_${++dbs}`;

/**
 * A store with something in most of its tables: a team with a manager, leads with contacts,
 * tags, custom fields and timelines (note, stage move, call), a follow-up with reminders, a
 * demo, a proposal (template, revision, events, its email in the outbox), settings, a merged
 * lead and a deleted one.
 */
async function populate(h: Home): Promise<{ ana: string; bo: string }> {
  await h.ok(['init', '--name', 'Asha Rao', '--email', 'admin@acme.example', '--currency', 'EUR']);
  await h.ok(['user', 'add', '--name', 'Meera Iyer', '--email', 'meera@acme.example', '--role', 'manager']);
  await h.ok(['user', 'add', '--name', 'Ravi Kumar', '--email', 'ravi@acme.example', '--role', 'rep', '--manager', 'meera@acme.example']);
  for (const [k, v] of [['smtp.host', '127.0.0.1'], ['smtp.port', '2525'], ['smtp.from', 'sales@acme.example'], ['business.name', 'Acme Lda']]) await h.ok(['config', 'set', k!, v!]);
  writeFileSync(join(h.dir, 'p.md'), 'Dear {contact_name},\n\nOur offer: {total}.\n');
  writeFileSync(join(h.dir, 'items.csv'), 'description,quantity,unit_price\nWidget,3,19.99\n');
  // Every byte value, backslashes, tabs and newlines included: a BLOB that must come back as it went.
  writeFileSync(join(h.dir, 'brochure.pdf'), Buffer.concat([Buffer.from('%PDF-1.4\n\\x00\t'), Buffer.from(Array.from({ length: 256 }, (_, i) => i))]));
  const ana = (await h.ok(['lead', 'add', '-q', '--name', 'Ana Sousa', '--business', 'Sousa Lda', '--email', 'ana@sousa.example', '--phone', '+351912000111', '--assign', 'ravi@acme.example', '--tag', 'vip', '--value', '1200'])).trim();
  const bo = (await h.ok(['lead', 'add', '-q', '--name', 'Bo Li', '--email', 'bo@li.example', '--field', 'size=12'])).trim();
  const dup = (await h.ok(['lead', 'add', '-q', '--name', 'Bo Li Dup', '--email', 'bo2@li.example'])).trim();
  const gone = (await h.ok(['lead', 'add', '-q', '--name', 'Cy Gone', '--email', 'cy@gone.example'])).trim();
  await h.ok(['lead', 'note', ana, 'Called, wants a quote']);
  await h.ok(['lead', 'move', ana, '--stage', 'Qualified']);
  await h.ok(['call', 'log', '--lead', ana, '--outcome', 'connected', '--duration', '3m', '--note', 'Good call']);
  await h.ok(['followup', 'add', '--lead', ana, '--title', 'Send quote', '--start', 'tomorrow 10:00', '--assign', 'ravi@acme.example', '--notify', '15m', '--channel', 'email,inbox']);
  await h.ok(['appointment', 'add', '--lead', bo, '--kind', 'demo', '--at', '2026-11-25 15:00', '--duration', '45m']);
  await h.ok(['proposal', 'template', 'add', '--name', 'standard', '--subject', 'Proposal for {business_name}', '--body-file', join(h.dir, 'p.md'), '--attach', join(h.dir, 'brochure.pdf')]);
  await h.ok(['proposal', 'send', '--lead', ana, '--template', 'standard', '--items', join(h.dir, 'items.csv'), '--valid-until', '2026-12-31']);
  await h.ok(['lead', 'merge', dup, '--into', bo, '--yes']);
  await h.ok(['lead', 'delete', gone, '--yes']);
  return { ana, bo };
}

/** Every table of an SQLite store, its rows in a fixed order. */
function dump(file: string): Record<string, unknown[]> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
    return Object.fromEntries(
      tables.map((t) => {
        const n = (db.prepare(`SELECT count(*) AS n FROM pragma_table_info('${t}')`).get() as { n: number }).n;
        const order = Array.from({ length: n }, (_, i) => i + 1).join(', ');
        return [t, db.prepare(`SELECT * FROM "${t}" ORDER BY ${order}`).all()];
      }),
    );
  } finally {
    db.close();
  }
}

const nonEmpty = (d: Record<string, unknown[]>) => Object.entries(d).filter(([, rows]) => rows.length > 0).map(([t]) => t);

describe('crm store copy', () => {
  let h: Home;
  const made: string[] = [];
  afterEach(async () => {
    h?.cleanup();
    for (const url of made.splice(0)) await dropPostgresTestDatabase(url);
  });

  it('copies every record into a new SQLite file (tables equal row for row, the same lead), then refuses a non-empty target and the store itself', async () => {
    h = freshHome();
    const { ana } = await populate(h);
    const src = join(h.dir, 'crm.db');
    const copy = join(h.dir, 'copy', 'team.db');
    const out = await h.ok(['store', 'copy', '--to', copy]);
    expect(out).toMatch(/^Copied .*crm\.db to .*team\.db: 4 leads, 3 users, [\d,]+ rows in \d+ tables; every table’s row count matches\.$/m);
    expect(readdirSync(join(h.dir, 'copy'))).toEqual(['team.db']); // no temporary file left
    const before = dump(src);
    expect(nonEmpty(before)).toEqual(expect.arrayContaining(['activities', 'calls', 'follow_ups', 'follow_up_reminders', 'appointments', 'proposals', 'proposal_revisions', 'outbox', 'settings', 'lead_stats', 'campaign_secrets', 'proposal_template_files']));
    expect(dump(copy)).toEqual(before);
    expect(await h.ok(['lead', 'show', ana, '--db', copy])).toBe(await h.ok(['lead', 'show', ana]));
    // The copy is a working store: its next lead gets a new id, not one of the copied ones.
    expect((await h.ok(['lead', 'add', '-q', '--name', 'New One', '--db', copy])).trim()).toBe('5');

    await h.fail(['store', 'copy', '--to', copy], 4, /team\.db is not empty \(it holds [^)]*5 leads[^)]*\): a copy goes only into a new, empty store\nhint: /);
    await h.fail(['store', 'copy', '--to', src], 4, /a store cannot be copied onto itself/);
    await h.fail(['store', 'copy', '--to', join(h.dir, 'x.db'), '--as', 'ravi@acme.example'], 5, /may not copy the store/);
    expect(existsSync(join(h.dir, 'x.db'))).toBe(false);
    const json = await h.json(['store', 'copy', '--to', join(h.dir, 'again.db')]);
    expect(json.tables).toMatchObject({ leads: 4, users: 3, activities: before.activities!.length, outbox: before.outbox!.length });
    expect(json).toMatchObject({ leads: 4, users: 3, skipped: [] });
  }, 60_000);

  it.skipIf(!PG)('SQLite → PostgreSQL → a new SQLite file: every table equal row for row, the same lead shown on all three; a non-empty database refused', async () => {
    h = freshHome();
    const { ana, bo } = await populate(h);
    const src = join(h.dir, 'crm.db');
    const url = pgUrl();
    made.push(url);
    const there = await h.json(['store', 'copy', '--to', url]);
    // The admin who copied logs in to the new store as the login that made it (as after crm init).
    expect(there).toMatchObject({ leads: 4, users: 3, skipped: [], login: 'postgres' });
    const before = dump(src);
    for (const [t, rows] of Object.entries(before)) expect(there.tables[t], t).toBe(rows.length);

    const back = join(h.dir, 'back.db');
    const home2 = { CRM_DB: url };
    const again = await h.json(['store', 'copy', '--to', back], { env: home2 });
    expect(again.tables).toEqual(there.tables);
    // SQLite has no database logins: the one column it has no place for is said, not lost silently.
    expect(again).toMatchObject({ skipped: ['users.db_role'], login: null });
    expect(dump(back)).toEqual(before);

    const show = await h.ok(['lead', 'show', ana]);
    expect(await h.ok(['lead', 'show', ana], { env: home2 })).toBe(show);
    expect(await h.ok(['lead', 'show', ana, '--db', back])).toBe(show);
    expect(await h.ok(['lead', 'show', bo], { env: home2 })).toBe(await h.ok(['lead', 'show', bo]));
    // Ids go on after the copied ones on PostgreSQL too.
    expect((await h.ok(['lead', 'add', '-q', '--name', 'New One'], { env: home2 })).trim()).toBe('5');

    await h.fail(['store', 'copy', '--to', url], 4, /is not empty \(it holds 5 leads, 3 users/);
  }, 120_000);

  it.skipIf(!PG)('PostgreSQL → another PostgreSQL database: the users keep their logins, put in the new database\'s groups', async () => {
    h = freshHome();
    const url = pgUrl();
    const url2 = pgUrl();
    made.push(url, url2);
    h.env.CRM_DB = url;
    await h.ok(['init', '--name', 'Asha Rao', '--email', 'admin@acme.example', '--currency', 'EUR']);
    const ravi = `${TEST_DB_PREFIX}copy_${dbs}_ravi`;
    await h.ok(['user', 'add', '--name', 'Ravi Kumar', '--email', 'ravi@acme.example', '--role', 'rep', '--db-role', ravi, '--password-stdin'], { input: 'a-long-password-for-ravi\n' });
    await h.ok(['lead', 'add', '--name', 'Ana Sousa', '--email', 'ana@sousa.example', '--assign', 'ravi@acme.example']);
    await h.ok(['lead', 'add', '--name', 'Bo Li', '--email', 'bo@li.example']);
    const r = await h.json(['store', 'copy', '--to', url2]);
    expect(r).toMatchObject({ leads: 2, users: 2, skipped: [], missingLogins: [], login: null });
    // Ravi's own login on the new database: he is himself there, and sees his lead only.
    const asRavi = { env: { CRM_DB: url2.replace('postgres://postgres@', `postgres://${ravi}:a-long-password-for-ravi@`) } };
    expect((await h.json(['lead', 'list'], asRavi)).map((l: { name: string }) => l.name)).toEqual(['Ana Sousa']);
    expect((await h.json(['lead', 'list'], { env: { CRM_DB: url2 } })).length).toBe(2);
  }, 120_000);

  it.skipIf(!PG)('a copy that fails part-way leaves the database as empty as it was, and a second copy then succeeds', async () => {
    h = freshHome();
    await populate(h);
    const url = pgUrl();
    made.push(url);
    // A NUL character: SQLite keeps it in a text, PostgreSQL refuses it. Written the way an old store could hold it.
    const db = new Database(join(h.dir, 'crm.db'));
    const last = db.prepare('SELECT max(id) AS id FROM activities').get() as { id: number };
    const before = db.prepare('SELECT data FROM activities WHERE id = ?').get(last.id) as { data: string };
    db.prepare('UPDATE activities SET data = ? WHERE id = ?').run(JSON.stringify({ text: 'a\u0000b' }).replace('\\u0000', '\u0000'), last.id);
    db.close();
    await h.fail(['store', 'copy', '--to', url], 7, /copying the table activities failed: .*; nothing was copied/);
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      const n = await c.query("SELECT (SELECT count(*) FROM leads)::int AS leads, (SELECT count(*) FROM users)::int AS users, (SELECT count(*) FROM activities)::int AS activities");
      expect(n.rows[0]).toEqual({ leads: 0, users: 0, activities: 0 });
      const forced = await c.query("SELECT count(*)::int AS n FROM pg_class WHERE relkind = 'r' AND relrowsecurity AND NOT relforcerowsecurity AND relnamespace = 'public'::regnamespace");
      expect(forced.rows[0].n).toBe(0); // row-level security is forced again on every table
    } finally {
      await c.end();
    }
    const fix = new Database(join(h.dir, 'crm.db'));
    fix.prepare('UPDATE activities SET data = ? WHERE id = ?').run(before.data, last.id);
    fix.close();
    expect(await h.json(['store', 'copy', '--to', url])).toMatchObject({ leads: 4, users: 3 });
  }, 120_000);
});
