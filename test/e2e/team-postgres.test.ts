/**
 * A team on one PostgreSQL store through the built binary (issue 15): three logins — an admin
 * and two reps, each with its own database role and password — run commands at the same time
 * against one database. Who acts is the login, not a flag; each rep's `lead list` shows only
 * their own leads, and a rep's psql-like session (plain `pg` with the rep's login) sees only
 * their own rows. Makes its own database whatever CRM_TEST_STORE says; skipped when no
 * PostgreSQL server answers.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshHome, type Home } from '../helpers/cli.js';
import { dropTestDatabase, freshPostgresUrl, TEST_PG_SERVER } from '../helpers/store.js';

async function reachable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: `${TEST_PG_SERVER}/postgres`, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

function loginUrl(location: string, role: string, password: string): string {
  const u = new URL(location);
  u.username = role;
  u.password = password;
  return u.toString();
}

interface Login {
  role: string;
  url: string;
  env: Record<string, string>;
}

const idsOf = (rows: { id: number | string }[]) => rows.map((r) => Number(r.id)).sort((a, b) => a - b);

describe.skipIf(!(await reachable()))('a team on PostgreSQL: three logins at once', () => {
  let h: Home;
  let location: string;
  const logins: Record<'bo' | 'ravi' | 'priya', Login> = {} as never;

  beforeAll(async () => {
    h = freshHome();
    location = freshPostgresUrl(h.dir);
    // Whoever runs init (the server's superuser here) owns the tables and is the first admin.
    await h.ok(['init', '--name', 'Asha Rao', '--email', 'admin@acme.example', '--currency', 'EUR'], { env: { CRM_DB: location } });
    const su = { CRM_DB: location };
    // The team's admin gets a login of their own (generated password, shown once)…
    const bo = await h.json<{ dbRole: string; password: string }>(['user', 'add', '--name', 'Bo Silva', '--email', 'bo@acme.example', '--role', 'admin'], { env: su });
    expect(bo.password).toMatch(/^[\w-]{20,}$/);
    logins.bo = { role: bo.dbRole, url: loginUrl(location, bo.dbRole, bo.password), env: { CRM_DB: loginUrl(location, bo.dbRole, bo.password) } };
    // …and, from that login, adds the reps: one password from stdin, one generated.
    const asBo = { env: logins.bo.env };
    const ravi = await h.json<{ dbRole: string; password?: string }>(
      ['user', 'add', '--name', 'Ravi Kumar', '--email', 'ravi@acme.example', '--password-stdin'], { ...asBo, input: 'ravi-Secret-1\n' });
    expect(ravi.password).toBeUndefined();
    const priya = await h.json<{ dbRole: string; password: string }>(['user', 'add', '--name', 'Priya Shah', '--email', 'priya@acme.example'], asBo);
    for (const [key, role, password] of [['ravi', ravi.dbRole, 'ravi-Secret-1'], ['priya', priya.dbRole, priya.password]] as const) {
      const url = loginUrl(location, role, password);
      logins[key] = { role, url, env: { CRM_DB: url } };
    }
  }, 120_000);

  afterAll(async () => {
    if (location) await dropTestDatabase(location);
    h?.cleanup();
  });

  it('each user has a database role, shown by user list', async () => {
    const users = await h.json<{ email: string; role: string; dbRole: string | null }[]>(['user', 'list'], { env: logins.ravi.env });
    const db = new URL(location).pathname.slice(1);
    expect(users.map((u) => [u.email, u.role, u.dbRole])).toEqual([
      ['admin@acme.example', 'admin', 'postgres'],
      ['bo@acme.example', 'admin', `${db}_bo`],
      ['ravi@acme.example', 'rep', `${db}_ravi`],
      ['priya@acme.example', 'rep', `${db}_priya`],
    ]);
  });

  it('three logins working at once: each rep lists, shows and reaches only their own leads', async () => {
    const round = async (n: number) => Promise.all([
      h.ok(['lead', 'add', '--name', `Bo for Ravi ${n}`, '--email', `bo-r${n}@example.com`, '--assign', 'ravi@acme.example', '-q'], { env: logins.bo.env }),
      h.ok(['lead', 'add', '--name', `Bo for Priya ${n}`, '--email', `bo-p${n}@example.com`, '--assign', 'priya@acme.example', '-q'], { env: logins.bo.env }),
      h.ok(['lead', 'add', '--name', `Ravi own ${n}`, '--email', `ravi${n}@example.com`, '-q'], { env: logins.ravi.env }),
      h.ok(['lead', 'add', '--name', `Priya own ${n}`, '--email', `priya${n}@example.com`, '-q'], { env: logins.priya.env }),
      h.ok(['lead', 'list'], { env: logins.ravi.env }),
      h.ok(['lead', 'list'], { env: logins.priya.env }),
    ]);
    const added: number[][] = [];
    for (let n = 1; n <= 3; n++) added.push((await round(n)).slice(0, 4).map((out) => Number(out.trim())));
    const [boRavi, boPriya, raviOwn, priyaOwn] = [0, 1, 2, 3].map((i) => added.map((r) => r[i]!).sort((a, b) => a - b));

    // Notes at the same time, on each rep's own leads.
    await Promise.all([
      ...raviOwn!.map((id) => h.ok(['lead', 'note', String(id), 'ravi was here'], { env: logins.ravi.env })),
      ...priyaOwn!.map((id) => h.ok(['lead', 'note', String(id), 'priya was here'], { env: logins.priya.env })),
    ]);

    const ravis = [...boRavi!, ...raviOwn!].sort((a, b) => a - b);
    const priyas = [...boPriya!, ...priyaOwn!].sort((a, b) => a - b);
    const [raviList, priyaList, boList] = await Promise.all([
      h.json<{ id: number; assignedTo: string[] }[]>(['lead', 'list'], { env: logins.ravi.env }),
      h.json<{ id: number }[]>(['lead', 'list'], { env: logins.priya.env }),
      h.json<{ id: number }[]>(['lead', 'list'], { env: logins.bo.env }),
    ]);
    expect(idsOf(raviList)).toEqual(ravis);
    expect(raviList.every((l) => l.assignedTo.join() === 'ravi@acme.example')).toBe(true);
    expect(idsOf(priyaList)).toEqual(priyas);
    expect(idsOf(boList)).toEqual([...ravis, ...priyas].sort((a, b) => a - b));

    // Another rep's lead does not exist for Ravi: not shown, not editable.
    await h.fail(['lead', 'show', String(priyas[0])], 3, /no lead with id/, { env: logins.ravi.env });
    await h.fail(['lead', 'edit', String(priyas[0]), '--name', 'Mine now'], 3, undefined, { env: logins.ravi.env });
    // The identity is the login: a rep cannot act as someone else…
    await h.fail(['--as', 'priya@acme.example', 'lead', 'list'], 5, /only an admin's login may act as someone else/, { env: logins.ravi.env });
    // …an admin's login can, and sees what that rep sees.
    expect(idsOf(await h.json(['--as', 'ravi@acme.example', 'lead', 'list'], { env: logins.bo.env }))).toEqual(ravis);
    // What the admin did as Ravi shows on the timeline as Ravi's, by the admin's login.
    await h.ok(['--as', 'ravi@acme.example', 'lead', 'note', String(ravis[0]), 'called for ravi'], { env: logins.bo.env });
    expect(await h.ok(['lead', 'show', String(ravis[0])], { env: logins.ravi.env })).toMatch(/note: called for ravi {2}— ravi@acme\.example \(by bo@acme\.example\)/);

    // Ravi's psql-like session: only his rows, whatever he asks for.
    const c = new pg.Client({ connectionString: logins.ravi.url });
    await c.connect();
    try {
      expect(idsOf((await c.query('SELECT id FROM leads')).rows)).toEqual(ravis);
      const timeline = await c.query<{ lead_id: string }>('SELECT DISTINCT lead_id FROM activities');
      expect(timeline.rows.map((r) => Number(r.lead_id)).sort((a, b) => a - b)).toEqual(ravis);
      expect((await c.query('SELECT DISTINCT lead_id FROM lead_emails')).rowCount).toBe(ravis.length);
      expect((await c.query("UPDATE leads SET name = 'x' WHERE id = ANY($1)", [priyas])).rowCount).toBe(0);
      expect((await c.query("SELECT 1 FROM settings WHERE key IN ('smtp.pass', 'webhook.secret')")).rowCount).toBe(0);
    } finally {
      await c.end();
    }
  }, 120_000);

  it('personal settings: each login reads and writes only its own rows (row-level security)', async () => {
    await h.ok(['config', 'set', '--mine', 'timezone', 'Europe/Lisbon'], { env: logins.ravi.env });
    await h.ok(['config', 'set', '--mine', 'timezone', 'Asia/Kolkata'], { env: logins.priya.env });
    expect((await h.ok(['config', 'get', '--mine', 'timezone'], { env: logins.ravi.env })).trim()).toBe('Europe/Lisbon');
    expect((await h.ok(['config', 'get', '--mine', 'timezone'], { env: logins.priya.env })).trim()).toBe('Asia/Kolkata');
    const sql = new pg.Client({ connectionString: logins.ravi.url });
    await sql.connect();
    try {
      const rows = (await sql.query('SELECT value FROM user_settings')).rows;
      expect(rows).toEqual([{ value: 'Europe/Lisbon' }]);
      await expect(sql.query("INSERT INTO user_settings (user_id, key, value) SELECT id, 'date-order', 'mdy' FROM users WHERE email = 'priya@acme.example'")).rejects.toThrow(/row-level security/);
    } finally {
      await sql.end();
    }
    // An admin's login acting as Ravi reads Ravi's.
    expect((await h.ok(['config', 'get', '--mine', 'timezone'], { env: { ...logins.bo.env, CRM_USER: 'ravi@acme.example' } })).trim()).toBe('Europe/Lisbon');
  }, 60_000);

  it("marketing's own login sends a campaign (the unsubscribe key through the definer's function)", async () => {
    await h.ok(['user', 'add', '--name', 'Mo Market', '--email', 'mo@acme.example', '--role', 'marketing', '--password-stdin'], { env: logins.bo.env, input: 'mo-Secret-1\n' });
    const mo = { env: { CRM_DB: loginUrl(location, `${new URL(location).pathname.slice(1)}_mo`, 'mo-Secret-1') } };
    await h.ok(['config', 'set', 'http.public-url', 'https://crm.acme.example'], { env: logins.bo.env });
    await h.ok(['lead', 'add', '--name', 'Campaign Target', '--email', 'target@lead.example', '--tag', 'spring'], { env: logins.bo.env });
    writeFileSync(join(h.dir, 'spring.txt'), 'Hi {contact_name}, spring offer.\n');
    await h.ok(['campaign', 'create', '--name', 'Spring', '--to', 'leads', '--tag', 'spring', '--subject', 'Hello {contact_name}', '--body-file', join(h.dir, 'spring.txt')], mo);
    expect(await h.ok(['campaign', 'send', '1', '--yes'], mo)).toMatch(/^Queued 1 message for campaign 1/);
  }, 60_000);

  it('the audit log: a rep’s login appends entries but reads none and changes none; an admin’s login reads them', async () => {
    const [lead] = await h.json<{ id: number }[]>(['lead', 'list'], { env: logins.ravi.env });
    await h.ok(['lead', 'show', String(lead!.id)], { env: logins.ravi.env });
    const sql = new pg.Client({ connectionString: logins.ravi.url });
    await sql.connect();
    try {
      expect((await sql.query('SELECT * FROM audit_log')).rowCount).toBe(0);
      await expect(sql.query("UPDATE audit_log SET action = 'x'")).rejects.toThrow(/permission denied/);
      await expect(sql.query('DELETE FROM audit_log')).rejects.toThrow(/permission denied/);
      await expect(sql.query("INSERT INTO audit_log (at, user_id, action) SELECT 'x', id, 'backup' FROM users WHERE email = 'bo@acme.example'")).rejects.toThrow(/row-level security/);
    } finally {
      await sql.end();
    }
    await h.fail(['audit', 'list'], 5, /may not read the audit log/, { env: logins.ravi.env });
    const seen = await h.json<{ user: string; action: string; leadId: number }[]>(['audit', 'list', '--user', 'ravi@acme.example'], { env: logins.bo.env });
    expect(seen).toContainEqual(expect.objectContaining({ action: 'contact.view', leadId: lead!.id }));
  }, 60_000);

  it("a rep's own login bills, writes the PDF of and sends an invoice of their lead; the other rep's login reaches none of it", async () => {
    const asRavi = { env: logins.ravi.env };
    const lead = (await h.ok(['lead', 'add', '--name', 'Invoice Customer', '--email', 'billing@customer.example', '-q'], asRavi)).trim();
    const order = await h.json<{ id: number }>(['order', 'add', '--lead', lead, '--item', 'Service; price=100; tax=23'], asRavi);
    await h.ok(['order', 'bill', String(order.id)], asRavi);
    const pdf = await h.json<{ invoice: string; bytes: number }>(['invoice', 'pdf', String(order.id), '-o', join(h.dir, 'rls.pdf')], asRavi);
    expect(pdf.bytes).toBeGreaterThan(1000);
    const sent = await h.json<{ outboxKey: string; order: { sendCount: number } }>(['invoice', 'send', pdf.invoice], asRavi);
    expect(sent).toMatchObject({ outboxKey: `invoice${order.id}/send1`, order: { sendCount: 1 } });
    // The database hides the row from her login: to her the invoice does not exist.
    await h.fail(['invoice', 'pdf', pdf.invoice], 3, /no invoice 'INV-2026-0001'/, { env: logins.priya.env });
    await h.fail(['invoice', 'send', pdf.invoice], 3, /no invoice 'INV-2026-0001'/, { env: logins.priya.env });
  });

  it('a deactivated rep cannot log in any more; reactivated, they can', async () => {
    await h.fail(['user', 'edit', 'priya@acme.example', '--deactivate'], 2, /--reassign-to/, { env: logins.bo.env });
    await h.ok(['user', 'edit', 'priya@acme.example', '--deactivate', '--reassign-to', 'bo@acme.example'], { env: logins.bo.env });
    await h.fail(['lead', 'list'], 7, /refused the login[\s\S]*not permitted to log in/, { env: logins.priya.env });
    // A rep may not reactivate themselves (nor anyone).
    await h.fail(['user', 'edit', 'priya@acme.example', '--activate'], 5, undefined, { env: logins.ravi.env });
    await h.ok(['user', 'edit', 'priya@acme.example', '--activate'], { env: logins.bo.env });
    await h.ok(['lead', 'list'], { env: logins.priya.env });
  }, 60_000);
});
