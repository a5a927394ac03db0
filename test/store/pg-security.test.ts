/**
 * PostgreSQL: identity is the database login and visibility is kept by the database (issue 15,
 * migration 0002). A rep's own login, through plain `pg` as psql would use it, sees and changes
 * only its own leads and what hangs off them, never the secrets; a deactivated user cannot log
 * in; --as is refused for a rep's login and obeyed for an admin's. Runs whatever CRM_TEST_STORE
 * says (it makes its own database); skipped when no PostgreSQL server answers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli.js';
import type { User } from '../../src/domain/users.js';
import { addLead, addNote } from '../../src/services/leads/service.js';
import { asTeam, openTicket } from '../../src/services/tickets/service.js';
import { addPerson } from '../../src/services/leads/persons.js';
import { addOrder, billOrder, payInvoice } from '../../src/services/orders/service.js';
import { initStore } from '../../src/services/setup/init.js';
import { setSetting } from '../../src/services/settings/service.js';
import { addUserWithLogin, editUserWithLogin } from '../../src/services/users/service.js';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';
import { dropTestDatabase, FIXED_NOW, freshPostgresUrl, TEST_PG_SERVER } from '../helpers/store.js';

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

/** The store's URL with another login (the test server trusts local logins; the password is still sent). */
export function loginUrl(location: string, role: string, password = 'unused'): string {
  const u = new URL(location);
  u.username = role;
  u.password = password;
  return u.toString();
}

/** A plain connection as a login, as psql would open it. */
async function connectAs(location: string, role: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: loginUrl(location, role) });
  await c.connect();
  return c;
}

async function crm(dir: string, argv: string[], env: Record<string, string> = {}) {
  const capture = () => {
    const s = new PassThrough() as PassThrough & { text: string };
    s.text = '';
    s.on('data', (b: Buffer) => (s.text += b.toString()));
    return s;
  };
  const stdout = capture();
  const stderr = capture();
  const code = await run(argv, { env: { CRM_HOME: dir, HOME: dir, NO_COLOR: '1', CRM_NOW: FIXED_NOW.toISOString(), TZ: 'UTC', ...env }, stdin: Readable.from([]), stdout, stderr });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

const ids = (rows: { id?: unknown; lead_id?: unknown }[]) => rows.map((r) => Number(r.id ?? r.lead_id)).sort((a, b) => a - b);

describe.skipIf(!(await reachable()))('PostgreSQL: logins and row-level security', () => {
  let dir: string;
  let location: string;
  let store: Store;
  let admin: User;
  let boss: User;
  let meera: User;
  let ravi: User;
  let priya: User;
  const roles: Record<string, string> = {};
  const leads: Record<string, number> = {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'crm-pgsec-'));
    location = freshPostgresUrl(dir);
    store = await openStore(location, { create: true });
    // The role running init (the server's superuser here) becomes the first admin's login.
    admin = (await initStore(store, FIXED_NOW, { adminName: 'Asha Rao', adminEmail: 'admin@acme.example', currency: 'EUR', region: 'PT' })).admin;
    const ctx = { store, actor: admin, now: FIXED_NOW };
    const add = async (name: string, email: string, role: string, manager?: string) => {
      const { user, login } = await addUserWithLogin(ctx, { name, email, role, manager });
      roles[email] = login!.role;
      return user;
    };
    boss = await add('Bo Admin', 'bo@acme.example', 'admin');
    meera = await add('Meera Iyer', 'meera@acme.example', 'manager');
    ravi = await add('Ravi Kumar', 'ravi@acme.example', 'rep', 'meera@acme.example');
    priya = await add('Priya Shah', 'priya@acme.example', 'rep', 'meera@acme.example');
    const lead = async (key: string, assign: string[]) => {
      const l = (await addLead(ctx, { name: `Lead ${key}`, emails: [`${key}@example.com`], assign })).lead;
      await addNote(ctx, l.id, `note on ${key}`);
      leads[key] = l.id;
    };
    await lead('r1', ['ravi@acme.example']);
    await lead('r2', ['ravi@acme.example']);
    await lead('p1', ['priya@acme.example']);
    await lead('pool', []);
    await lead('mine', ['admin@acme.example']);
    await setSetting(ctx, 'smtp.host', 'smtp.acme.example');
    await setSetting(ctx, 'smtp.pass', 'hunter2');
  }, 60_000);

  afterAll(async () => {
    await store?.close();
    if (location) await dropTestDatabase(location);
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives each user a login named after the database, in the group roles; user list shows it', async () => {
    const db = new URL(location).pathname.slice(1);
    expect(roles['ravi@acme.example']).toBe(`${db}_ravi`);
    const dbRoles = await store.users.dbRoles();
    expect(dbRoles.get(admin.id)).toBe('postgres');
    expect(dbRoles.get(ravi.id)).toBe(`${db}_ravi`);
    const su = await connectAs(location, 'postgres');
    try {
      const groups = await su.query<{ g: string }>(
        'SELECT g.rolname AS g FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles r ON r.oid = m.member WHERE r.rolname = $1 ORDER BY 1', [`${db}_bo`]);
      expect(groups.rows.map((r) => r.g)).toEqual([`${db}_crm_admin`, `${db}_crm_app`]);
      const rep = await su.query<{ g: string }>(
        'SELECT g.rolname AS g FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles r ON r.oid = m.member WHERE r.rolname = $1 ORDER BY 1', [`${db}_ravi`]);
      expect(rep.rows.map((r) => r.g)).toEqual([`${db}_crm_app`]);
      const rls = await su.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = 'public' AND c.relkind = 'r' AND NOT (c.relrowsecurity AND c.relforcerowsecurity)");
      expect(rls.rows[0]!.n).toBe(0);
      const owner = await su.query<{ o: string }>("SELECT pg_get_userbyid(relowner) AS o FROM pg_class WHERE oid = 'leads'::regclass");
      expect(owner.rows[0]!.o).toBe('postgres');
    } finally {
      await su.end();
    }
    expect(await store.users.logins!.check()).toEqual({ tablesWithoutRls: [], missingGroups: [], usersWithoutLogin: [] });
    const out = await crm(dir, ['--db', location, 'user', 'list', '--json']);
    expect(out.code, out.stderr).toBe(0);
    const listed = JSON.parse(out.stdout) as { email: string; dbRole: string | null }[];
    expect(listed.find((u) => u.email === 'priya@acme.example')!.dbRole).toBe(`${db}_priya`);
  });

  it("a rep's own login sees only the rep's leads and their timeline, contacts and assignees", async () => {
    const c = await connectAs(location, roles['ravi@acme.example']!);
    try {
      expect(ids((await c.query('SELECT id FROM leads')).rows)).toEqual([leads.r1!, leads.r2!]);
      expect([...new Set(ids((await c.query('SELECT lead_id FROM activities')).rows))]).toEqual([leads.r1!, leads.r2!]);
      expect(ids((await c.query('SELECT lead_id FROM lead_emails')).rows)).toEqual([leads.r1!, leads.r2!]);
      expect(ids((await c.query('SELECT lead_id FROM lead_assignees')).rows)).toEqual([leads.r1!, leads.r2!]);
      // Setting the acting user by hand changes nothing for a rep's login.
      await c.query("SELECT set_config('crm.acting_user', $1, false)", [String(admin.id)]);
      expect(ids((await c.query('SELECT id FROM leads')).rows)).toEqual([leads.r1!, leads.r2!]);
      expect(Number((await c.query('SELECT crm_actor() AS a')).rows[0].a)).toBe(ravi.id);
    } finally {
      await c.end();
    }
  });

  it("a rep's own login sees only the orders, payments and contact persons of the rep's leads (migration 0007)", async () => {
    const ctx = { store, actor: admin, now: FIXED_NOW };
    const mine = await addOrder(ctx, { lead: leads.r1!, items: ['Widget; price=10'] });
    const theirs = await addOrder(ctx, { lead: leads.p1!, items: ['Widget; price=20'] });
    for (const o of [mine, theirs]) {
      await billOrder(ctx, o.id);
      await payInvoice(ctx, String(o.id), { amount: '1' });
    }
    await store.leads.update(leads.p1!, { kind: 'company' }, FIXED_NOW.toISOString());
    await store.leads.update(leads.r1!, { kind: 'company' }, FIXED_NOW.toISOString());
    await addPerson(ctx, leads.r1!, { name: 'Rui' });
    await addPerson(ctx, leads.p1!, { name: 'Eva' });
    const c = await connectAs(location, roles['ravi@acme.example']!);
    try {
      expect((await c.query('SELECT id FROM orders')).rows.map((r) => Number(r.id))).toEqual([mine.id]);
      expect((await c.query('SELECT order_id FROM order_payments')).rows.map((r) => Number(r.order_id))).toEqual([mine.id]);
      expect((await c.query('SELECT name FROM contact_persons')).rows).toEqual([{ name: 'Rui' }]);
      expect((await c.query("UPDATE orders SET status = 'paid' WHERE id = $1", [theirs.id])).rowCount).toBe(0);
      await expect(c.query("INSERT INTO order_payments (order_id, paid_on, amount_minor, method, created_at) VALUES ($1, '2026-11-23', 5, 'cash', 'x')", [theirs.id])).rejects.toThrow(/row-level security/);
      await expect(c.query("INSERT INTO products (name, unit_price_minor, currency, created_at, updated_at) VALUES ('x', 1, 'EUR', 'x', 'x')")).rejects.toThrow(/row-level security/);
      expect(Number((await c.query('SELECT count(*) AS n FROM products')).rows[0].n)).toBe(0);
    } finally {
      await c.end();
    }
  });

  it("a rep's own login sees and ends only the portal links and sessions of the rep's leads (migration 0013)", async () => {
    const at = FIXED_NOW.toISOString();
    const later = new Date(FIXED_NOW.getTime() + 3_600_000).toISOString();
    for (const [lead, h] of [[leads.r1!, 'r'], [leads.p1!, 'p']] as const) {
      await store.portal.insertLink({ tokenHash: `link-${h}`, leadId: lead, personId: null, email: `${h}@x.example`, createdById: null, remote: null, expiresAt: later }, at);
      await store.portal.insertSession({ tokenHash: `session-${h}`, leadId: lead, personId: null, email: `${h}@x.example`, linkId: null, remote: null, userAgent: null, expiresAt: later }, at);
    }
    const c = await connectAs(location, roles['ravi@acme.example']!);
    try {
      expect(ids((await c.query('SELECT lead_id FROM portal_links')).rows)).toEqual([leads.r1!]);
      expect(ids((await c.query('SELECT lead_id FROM portal_sessions')).rows)).toEqual([leads.r1!]);
      expect((await c.query("UPDATE portal_sessions SET ended_at = 'x' WHERE lead_id = $1", [leads.p1])).rowCount).toBe(0);
      await expect(c.query("INSERT INTO portal_links (token_hash, lead_id, email, created_at, expires_at) VALUES ('forged', $1, 'a@b.example', 'x', 'y')", [leads.p1])).rejects.toThrow(/row-level security/);
    } finally {
      await c.end();
    }
    expect(await store.portal.liveSession('session-p', at)).toBeDefined();
  });

  it("a rep cannot change another rep's lead, take it, or make themselves admin", async () => {
    const c = await connectAs(location, roles['ravi@acme.example']!);
    try {
      expect((await c.query("UPDATE leads SET name = 'stolen' WHERE id = $1", [leads.p1])).rowCount).toBe(0);
      expect((await c.query('DELETE FROM activities WHERE lead_id = $1', [leads.p1])).rowCount).toBe(0);
      await expect(c.query('INSERT INTO lead_assignees (lead_id, user_id) VALUES ($1, $2)', [leads.p1, ravi.id])).rejects.toThrow(/row-level security/);
      await expect(c.query("INSERT INTO activities (lead_id, type, at, user_id, data) VALUES ($1, 'note', $2, $3, '{}')", [leads.p1, FIXED_NOW.toISOString(), ravi.id])).rejects.toThrow(/row-level security/);
      expect((await c.query("UPDATE users SET role = 'admin' WHERE id = $1", [ravi.id])).rowCount).toBe(0);
      // …while their own lead is theirs to change.
      expect((await c.query("UPDATE leads SET address = 'Porto' WHERE id = $1", [leads.r1])).rowCount).toBe(1);
    } finally {
      await c.end();
    }
    expect((await store.leads.get(leads.p1!))!.name).toBe('Lead p1');
    expect((await store.users.byId(ravi.id))!.role).toBe('rep');
    expect((await store.activities.forLead(leads.p1!)).length).toBeGreaterThan(0);
  });

  it("a manager sees their reps' leads and the unassigned pool, not an admin's own", async () => {
    const c = await connectAs(location, roles['meera@acme.example']!);
    try {
      expect(ids((await c.query('SELECT id FROM leads')).rows)).toEqual([leads.r1!, leads.r2!, leads.p1, leads.pool]);
    } finally {
      await c.end();
    }
  });

  it("tickets: a rep's login sees those of their leads and those given to them, a manager their reps'; messages follow their ticket", async () => {
    const tc = asTeam({ store, actor: admin, now: FIXED_NOW });
    const open = async (lead: string, subject: string, assignee?: string) => (await openTicket(tc, { leadId: leads[lead]!, subject, body: `about ${subject}`, assignee })).ticket.id;
    const onR1 = await open('r1', 'on r1');
    const poolToPriya = await open('pool', 'pool, to priya', 'priya@acme.example');
    const adminOwn = await open('mine', "the admin's");
    const adminToRavi = await open('mine', "the admin's lead, to ravi", 'ravi@acme.example');
    const seen = async (role: string) => {
      const c = await connectAs(location, roles[role]!);
      try {
        return {
          tickets: ids((await c.query('SELECT id FROM tickets')).rows),
          messages: ids((await c.query('SELECT ticket_id AS id FROM ticket_messages')).rows),
        };
      } finally {
        await c.end();
      }
    };
    expect(await seen('ravi@acme.example')).toEqual({ tickets: [onR1, adminToRavi], messages: [onR1, adminToRavi] });
    expect(await seen('priya@acme.example')).toEqual({ tickets: [poolToPriya], messages: [poolToPriya] });
    expect(await seen('meera@acme.example')).toEqual({ tickets: [onR1, poolToPriya, adminToRavi], messages: [onR1, poolToPriya, adminToRavi] });
    expect((await seen('bo@acme.example')).tickets).toEqual([onR1, poolToPriya, adminOwn, adminToRavi]);
    const c = await connectAs(location, roles['ravi@acme.example']!);
    try {
      expect((await c.query("UPDATE tickets SET status = 'closed' WHERE id = $1", [poolToPriya])).rowCount).toBe(0);
      await expect(c.query("INSERT INTO tickets (lead_id, subject, status, priority, channel, first_response_due, resolution_due, created_at, updated_at) VALUES ($1, 'x', 'new', 'low', 'cli', 'a', 'b', 'c', 'd')", [leads.p1]))
        .rejects.toThrow(/row-level security/);
      await expect(c.query("INSERT INTO ticket_messages (ticket_id, direction, body, at) VALUES ($1, 'in', 'x', 'a')", [poolToPriya])).rejects.toThrow(/row-level security/);
      expect((await c.query("UPDATE tickets SET priority = 'urgent' WHERE id = $1", [adminToRavi])).rowCount).toBe(1);
    } finally {
      await c.end();
    }
    expect((await store.tickets.get(poolToPriya))!.status).toBe('open');
  });

  it('secrets are readable by admin logins only', async () => {
    const rep = await connectAs(location, roles['ravi@acme.example']!);
    const manager = await connectAs(location, roles['meera@acme.example']!);
    const bo = await connectAs(location, roles['bo@acme.example']!);
    try {
      for (const c of [rep, manager]) {
        const keys = (await c.query<{ key: string }>('SELECT key FROM settings')).rows.map((r) => r.key);
        expect(keys).toContain('smtp.host');
        expect(keys).not.toContain('smtp.pass');
        expect((await c.query('SELECT * FROM campaign_secrets')).rowCount).toBe(0);
        expect((await c.query("UPDATE settings SET value = 'x' WHERE key = 'smtp.pass'")).rowCount).toBe(0);
      }
      expect((await bo.query("SELECT value FROM settings WHERE key = 'smtp.pass'")).rows).toEqual([{ value: 'hunter2' }]);
      expect((await bo.query('SELECT * FROM campaign_secrets')).rowCount).toBe(1);
      expect(ids((await bo.query('SELECT id FROM leads')).rows)).toEqual(Object.values(leads).sort((a, b) => a - b));
    } finally {
      await Promise.all([rep.end(), manager.end(), bo.end()]);
    }
  });

  it("marketing's login gets the campaigns' unsubscribe key through crm_campaign_secret() (to send campaigns); a rep's does not", async () => {
    const { login } = await addUserWithLogin({ store, actor: admin, now: FIXED_NOW }, { name: 'Mo Market', email: 'mo@acme.example', role: 'marketing' });
    const key = await store.campaigns.secret();
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    const asMarketing = await openStore(loginUrl(location, login!.role));
    const asRep = await openStore(loginUrl(location, roles['ravi@acme.example']!));
    const rep = await connectAs(location, roles['ravi@acme.example']!);
    try {
      expect(await asMarketing.campaigns.secret()).toBe(key);
      await expect(asRep.campaigns.secret()).rejects.toThrow(/only admins, marketing and the daemon may read/);
      await expect(rep.query('SELECT crm_campaign_secret()')).rejects.toThrow(/only admins, marketing and the daemon may read/);
      expect((await rep.query('SELECT * FROM campaign_secrets')).rowCount).toBe(0);
    } finally {
      await Promise.all([asMarketing.close(), asRep.close(), rep.end()]);
    }
  });

  it('changing a role moves the login between the group roles', async () => {
    const ctx = { store, actor: admin, now: FIXED_NOW };
    const db = new URL(location).pathname.slice(1);
    const su = await connectAs(location, 'postgres');
    const state = async () => {
      const groups = await su.query<{ g: string }>(
        'SELECT g.rolname AS g FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles r ON r.oid = m.member WHERE r.rolname = $1 ORDER BY 1', [`${db}_priya`]);
      const attrs = await su.query<{ c: boolean }>('SELECT rolcreaterole AS c FROM pg_roles WHERE rolname = $1', [`${db}_priya`]);
      return { groups: groups.rows.map((r) => r.g), createrole: attrs.rows[0]!.c };
    };
    try {
      await editUserWithLogin(ctx, 'priya@acme.example', { role: 'admin' });
      expect(await state()).toEqual({ groups: [`${db}_crm_admin`, `${db}_crm_app`], createrole: true });
      await editUserWithLogin(ctx, 'priya@acme.example', { role: 'rep' });
      expect(await state()).toEqual({ groups: [`${db}_crm_app`], createrole: false });
    } finally {
      await su.end();
    }
  });

  it('a deactivated user cannot log in; reactivated, they can again', async () => {
    const ctx = { store, actor: admin, now: FIXED_NOW };
    const open = await connectAs(location, roles['priya@acme.example']!);
    await editUserWithLogin(ctx, 'priya@acme.example', { active: false });
    try {
      await expect(connectAs(location, roles['priya@acme.example']!)).rejects.toThrow(/not permitted to log in/);
      // A session opened before sees nothing any more.
      expect((await open.query('SELECT id FROM leads')).rowCount).toBe(0);
    } finally {
      await open.end();
    }
    await editUserWithLogin(ctx, 'priya@acme.example', { active: true });
    const again = await connectAs(location, roles['priya@acme.example']!);
    try {
      expect(ids((await again.query('SELECT id FROM leads')).rows)).toEqual([leads.p1]);
    } finally {
      await again.end();
    }
  });

  it("--as is refused from a rep's login and obeyed from an admin's, the timeline recording both", async () => {
    const asRavi = loginUrl(location, roles['ravi@acme.example']!);
    const asBo = loginUrl(location, roles['bo@acme.example']!);
    const refused = await crm(dir, ['--db', asRavi, '--as', 'admin@acme.example', 'lead', 'list', '--json']);
    expect(refused.code).toBe(5);
    expect(refused.stderr).toMatch(/only an admin's login may act as someone else/);
    const env = await crm(dir, ['--db', asRavi, 'lead', 'list', '--json'], { CRM_USER: 'priya@acme.example' });
    expect(env.code).toBe(5);
    // Naming oneself is fine.
    const own = await crm(dir, ['--db', asRavi, 'lead', 'list', '--json'], { CRM_USER: 'ravi@acme.example' });
    expect(own.code, own.stderr).toBe(0);
    expect(ids(JSON.parse(own.stdout))).toEqual([leads.r1!, leads.r2!]);

    const acted = await crm(dir, ['--db', asBo, '--as', 'ravi@acme.example', 'lead', 'list', '--json']);
    expect(acted.code, acted.stderr).toBe(0);
    expect(ids(JSON.parse(acted.stdout))).toEqual([leads.r1!, leads.r2!]);
    const note = await crm(dir, ['--db', asBo, '--as', 'ravi@acme.example', 'lead', 'note', String(leads.r2!), 'called as Ravi']);
    expect(note.code, note.stderr).toBe(0);
    const last = (await store.activities.forLead(leads.r2!)).find((a) => a.body === 'called as Ravi')!;
    expect(last.userId).toBe(ravi.id);
    expect(last.data).toMatchObject({ by: 'bo@acme.example', as: 'ravi@acme.example' });
    // A login outside the store's roles cannot open it; one inside that is no crm user's acts as nobody.
    const db = new URL(location).pathname.slice(1);
    const su = await connectAs(location, 'postgres');
    try {
      await su.query(`CREATE ROLE ${pg.escapeIdentifier(`${db}_stranger`)} LOGIN`);
      await su.query(`CREATE ROLE ${pg.escapeIdentifier(`${db}_dba`)} LOGIN IN ROLE ${pg.escapeIdentifier(`${db}_crm_app`)}`);
    } finally {
      await su.end();
    }
    const outsider = await crm(dir, ['--db', loginUrl(location, `${db}_stranger`), 'lead', 'list']);
    expect(outsider.code, outsider.stderr).toBe(7);
    expect(outsider.stderr).toMatch(/the database refused: permission denied/);
    const stranger = await crm(dir, ['--db', loginUrl(location, `${db}_dba`), 'lead', 'list']);
    expect(stranger.code, stranger.stderr).toBe(5);
    expect(stranger.stderr).toMatch(/is no crm user's/);
    const dba = await connectAs(location, `${db}_dba`);
    try {
      expect((await dba.query('SELECT id FROM leads')).rowCount).toBe(0);
    } finally {
      await dba.end();
    }
  });
});

describe.skipIf(!(await reachable()))('PostgreSQL: a store set up by a role that is not a superuser', () => {
  let dir: string;
  let location: string;
  let owner: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'crm-pgown-'));
    const base = freshPostgresUrl(dir);
    const db = new URL(base).pathname.slice(1);
    owner = `${db}_owner`;
    // What the Team setup page asks of a DBA: a role that may create roles, owning an empty database.
    const su = new pg.Client({ connectionString: `${TEST_PG_SERVER}/postgres` });
    await su.connect();
    try {
      await su.query(`CREATE ROLE ${pg.escapeIdentifier(owner)} LOGIN CREATEROLE`);
      await su.query(`CREATE DATABASE ${pg.escapeIdentifier(db)} OWNER ${pg.escapeIdentifier(owner)} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`);
    } finally {
      await su.end();
    }
    location = loginUrl(base, owner);
  }, 60_000);

  afterAll(async () => {
    if (location) await dropTestDatabase(location);
    rmSync(dir, { recursive: true, force: true });
  });

  it('init makes it the first admin; the owner obeys row-level security too, as an admin; its reps see their own', async () => {
    const init = await crm(dir, ['--db', location, 'init', '--name', 'Olga Owner', '--email', 'olga@acme.example']);
    expect(init.code, init.stderr).toBe(0);
    const ravi = await crm(dir, ['--db', location, 'user', 'add', '--name', 'Ravi Kumar', '--email', 'ravi@acme.example', '--json']);
    expect(ravi.code, ravi.stderr).toBe(0);
    const { dbRole, password } = JSON.parse(ravi.stdout) as { dbRole: string; password: string };
    const asRavi = loginUrl(location, dbRole, password);
    for (const [who, name] of [[location, 'Owner lead'], [asRavi, 'Ravi lead']] as const) {
      const r = await crm(dir, ['--db', who, 'lead', 'add', '--name', name]);
      expect(r.code, r.stderr).toBe(0);
    }
    const names = async (url: string) => (JSON.parse((await crm(dir, ['--db', url, 'lead', 'list', '--json'])).stdout) as { name: string }[]).map((l) => l.name).sort();
    expect(await names(location)).toEqual(['Owner lead', 'Ravi lead']);
    expect(await names(asRavi)).toEqual(['Ravi lead']);
    // The owner acting as Ravi sees what Ravi sees.
    const acted = await crm(dir, ['--db', location, '--as', 'ravi@acme.example', 'lead', 'list', '--json']);
    expect((JSON.parse(acted.stdout) as { name: string }[]).map((l) => l.name)).toEqual(['Ravi lead']);
    const c = await connectAs(location, owner);
    try {
      // Outside crm, the owner's plain session is the admin's: it sees every lead (RLS in force, not bypassed).
      expect((await c.query("SELECT relforcerowsecurity AS f FROM pg_class WHERE oid = 'leads'::regclass")).rows[0].f).toBe(true);
      expect((await c.query('SELECT id FROM leads')).rowCount).toBe(2);
      // Demoted to a rep (by SQL here), the same login sees only its own: the unassigned lead it created, not Ravi's.
      await c.query("UPDATE users SET role = 'rep' WHERE email = 'olga@acme.example'");
      expect((await c.query('SELECT name FROM leads')).rows).toEqual([{ name: 'Owner lead' }]);
      // …and, no admin any more, cannot change users.
      expect((await c.query("UPDATE users SET role = 'admin' WHERE email = 'olga@acme.example'")).rowCount).toBe(0);
    } finally {
      await c.end();
    }
  }, 120_000);
});
