import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { freshHome, teamHome, type Home } from '../helpers/cli.js';

let h: Home;
afterEach(() => h?.cleanup());

describe('crm init, users, whoami', () => {
  it('init creates the store, the pipeline and the admin; re-running changes nothing', async () => {
    h = freshHome();
    await h.fail(['lead', 'list'], 7, /no crm store at .*crm\.db\nhint: run `crm init`/);
    const first = await h.json(['init', '--name', 'Asha Rao', '--email', 'asha@acme.example']);
    expect(first).toMatchObject({ created: true, admin: { email: 'asha@acme.example', role: 'admin' } });
    const again = await h.json(['init', '--name', 'Someone Else', '--email', 'else@acme.example']);
    expect(again).toMatchObject({ created: false, admin: { email: 'asha@acme.example' } });
    const stages = await h.json(['stage', 'list']);
    expect(stages.map((s: { name: string; probability: number; outcome: string }) => `${s.name} ${s.probability} ${s.outcome}`)).toEqual([
      'New 10 open', 'Contacted 20 open', 'Qualified 40 open', 'Demo 60 open', 'Proposal Sent 75 open', 'Won 100 won', 'Lost 0 lost',
    ]);
    expect((await h.json(['whoami'])).user.email).toBe('asha@acme.example');
  });

  it('init without a TTY and without --email is a usage error, not a hang', async () => {
    h = freshHome();
    await h.fail(['init'], 2, /--email is required/);
  });

  it('init --demo gives a store to look at', async () => {
    h = freshHome();
    await h.ok(['init', '--demo']);
    expect((await h.json(['lead', 'list', '--limit', '500'])).length).toBeGreaterThan(40);
    expect((await h.json(['user', 'list'])).map((u: { role: string }) => u.role).sort()).toEqual(['admin', 'manager', 'rep', 'rep', 'rep']);
  });

  it('users: add, list, edit roles and managers; only admins may', async () => {
    h = await teamHome();
    const users = await h.json(['user', 'list']);
    expect(users.find((u: { email: string }) => u.email === 'ravi@acme.example')).toMatchObject({ role: 'rep', manager: 'meera@acme.example', active: true });
    await h.fail(['user', 'add', '--name', 'Dup', '--email', 'RAVI@acme.example'], 4, /already exists/);
    await h.fail(['user', 'add', '--name', 'Bad', '--email', 'x@y.example', '--role', 'boss'], 2, /invalid role 'boss'/);
    await h.fail(['--as', 'ravi@acme.example', 'user', 'add', '--name', 'N', '--email', 'n@acme.example'], 5, /is a rep and may not add users/);
    await h.ok(['user', 'edit', 'priya@acme.example', '--role', 'manager']);
    await h.ok(['user', 'edit', 'ravi@acme.example', '--deactivate']);
    await h.fail(['--as', 'ravi@acme.example', 'lead', 'list'], 5, /deactivated/);
    await h.fail(['lead', 'add', '--name', 'X', '--assign', 'ravi@acme.example'], 2, /deactivated/);
    await h.fail(['user', 'edit', 'admin@acme.example', '--role', 'rep'], 4, /last active admin/);
  });
});

describe('stages, sources, tags, settings', () => {
  it('stage add/rename/move/set-probability/remove keep the pipeline consistent', async () => {
    h = await teamHome();
    await h.ok(['stage', 'add', 'Negotiation', '--probability', '85']);
    const names = async () => (await h.json(['stage', 'list'])).map((s: { name: string }) => s.name);
    expect(await names()).toEqual(['New', 'Contacted', 'Qualified', 'Demo', 'Proposal Sent', 'Negotiation', 'Won', 'Lost']);
    await h.ok(['stage', 'move', 'Negotiation', '--after', 'Qualified']);
    await h.ok(['stage', 'rename', 'Demo', 'Demo Done']);
    await h.ok(['stage', 'set-probability', 'Demo Done', '65']);
    expect(await names()).toEqual(['New', 'Contacted', 'Qualified', 'Negotiation', 'Demo Done', 'Proposal Sent', 'Won', 'Lost']);
    const lead = await h.json(['lead', 'add', '--name', 'In Demo', '--stage', 'demo done']);
    expect(lead.lead.probability).toBe(65);
    await h.fail(['stage', 'remove', '--yes', 'Demo Done'], 4, /holds 1 lead\(s\)\nhint: .*--move-to/);
    await h.ok(['stage', 'remove', '--yes', 'Demo Done', '--move-to', 'Qualified']);
    expect((await h.json(['lead', 'show', String(lead.lead.id)])).stage).toBe('Qualified');
    await h.fail(['stage', 'set-probability', 'New', '120'], 2, /invalid probability '120'/);
    await h.fail(['stage', 'add', 'new'], 4, /already exists/);
    await h.fail(['--as', 'ravi@acme.example', 'stage', 'add', 'Mine'], 5);
  });

  it('sources and tags', async () => {
    h = await teamHome();
    await h.ok(['source', 'add', 'Trade Show']);
    await h.ok(['lead', 'add', '--name', 'Met at booth', '--source', 'trade show', '--tag', 'expo,vip']);
    expect((await h.json(['source', 'list'])).find((s: { name: string }) => s.name === 'Trade Show').leads).toBe(1);
    await h.fail(['source', 'remove', '--yes', 'Trade Show'], 4, /used by 1 lead/);
    await h.ok(['source', 'rename', 'Trade Show', 'Expo']);
    expect((await h.json(['lead', 'list']))[0].source).toBe('Expo');
    expect((await h.json(['tag', 'list'])).map((t: { name: string }) => t.name)).toEqual(['expo', 'vip']);
    await h.fail(['tag', 'remove', '--yes', 'vip'], 4, /--force/);
    await h.ok(['tag', 'remove', '--yes', 'vip', '--force']);
    expect((await h.json(['lead', 'list']))[0].tags).toEqual(['expo']);
  });

  it('config set/get/list validates values', async () => {
    h = await teamHome();
    expect((await h.json(['config', 'list'])).currency).toBe('EUR');
    await h.ok(['config', 'set', 'phone.region', 'in']);
    expect((await h.ok(['config', 'get', 'phone.region'])).trim()).toBe('IN');
    const lead = await h.json(['lead', 'add', '--name', 'Local', '--phone', '98765 43210']);
    expect(lead.lead.phones).toEqual(['+919876543210']);
    await h.fail(['config', 'set', 'currency', 'EURO'], 2, /unknown currency 'EURO'/);
    await h.fail(['config', 'set', 'colour', 'blue'], 3, /unknown setting 'colour'/);
  });
});

describe('the store file', () => {
  it('refuses a store written by a newer crm, and never downgrades it', async () => {
    h = await teamHome();
    const file = join(h.dir, 'crm.db');
    const db = new Database(file);
    db.pragma('user_version = 999');
    db.close();
    await h.fail(['lead', 'list'], 7, /schema version 999, newer than this crm understands/);
    const check = new Database(file);
    expect(check.pragma('user_version', { simple: true })).toBe(999);
    check.close();
  });

  it('refuses a file that is not a crm store', async () => {
    h = freshHome();
    const file = join(h.dir, 'other.db');
    const db = new Database(file);
    db.exec('CREATE TABLE t (x)');
    db.close();
    await h.fail(['--db', file, 'lead', 'list'], 7, /not a crm store/);
    writeFileSync(join(h.dir, 'garbage.db'), 'this is not sqlite at all, just text '.repeat(100));
    await h.fail(['--db', join(h.dir, 'garbage.db'), 'lead', 'list'], 7, /cannot open the store|not a database/);
  });

  it('--db and CRM_DB choose the store', async () => {
    h = freshHome();
    const other = join(h.dir, 'elsewhere.db');
    await h.ok(['--db', other, 'init', '--name', 'A', '--email', 'a@acme.example']);
    await h.ok(['lead', 'add', '--name', 'Over there'], { env: { CRM_DB: other } });
    expect((await h.json(['--db', other, 'lead', 'list'])).length).toBe(1);
  });
});
