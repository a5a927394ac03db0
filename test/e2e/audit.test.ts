import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { TEST_BACKEND } from '../helpers/store.js';
import { teamHome, type Home } from '../helpers/cli.js';

describe('crm audit list (end to end)', () => {
  let h: Home;
  let lead: number;
  beforeAll(async () => {
    h = await teamHome();
    lead = (await h.json(['lead', 'add', '--name', 'Ana Sousa', '--email', 'ana@sousa.example', '--assign', 'ravi@acme.example'])).lead.id;
    await h.ok(['lead', 'show', String(lead), '--as', 'ravi@acme.example']);
    await h.ok(['user', 'edit', 'priya@acme.example', '--role', 'manager']);
  });
  afterAll(() => h.cleanup());

  it('records who viewed a contact and whose role changed, newest first, without the contact’s email', async () => {
    const all = await h.json(['audit', 'list']);
    expect(all.map((e: { action: string }) => e.action)).toEqual(['user.role', 'contact.view']);
    expect(all[0]).toMatchObject({ user: 'admin@acme.example', leadId: null, detail: { user: 'priya@acme.example', from: 'rep', to: 'manager' } });
    expect(all[1]).toMatchObject({ user: 'ravi@acme.example', leadId: lead, at: '2026-11-23T09:00:00.000Z' });
    expect(JSON.stringify(all)).not.toContain('ana@sousa.example');
  });

  it('filters by user, contact, action and time', async () => {
    expect(await h.json(['audit', 'list', '--user', 'ravi@acme.example'])).toHaveLength(1);
    expect((await h.json(['audit', 'list', '--contact', String(lead)])).map((e: { action: string }) => e.action)).toEqual(['contact.view']);
    expect(await h.json(['audit', 'list', '--action', 'user.role'])).toHaveLength(1);
    expect(await h.json(['audit', 'list', '--since', '2026-11-24'])).toEqual([]);
    expect(await h.json(['audit', 'list', '--since', '2026-11-23'])).toHaveLength(2);
    await h.fail(['audit', 'list', '--action', 'lunch'], 2, /unknown audit action 'lunch'/);
  });

  it('is for admins only', async () => {
    await h.fail(['audit', 'list', '--as', 'meera@acme.example'], 5, /may not read the audit log/);
    await h.fail(['audit', 'list', '--as', 'ravi@acme.example'], 5, /may not read the audit log/);
  });

  it.skipIf(TEST_BACKEND !== 'sqlite')('records backups and restores; the log refuses updates and deletes', async () => {
    const file = join(h.dir, 'b.db');
    await h.ok(['backup', file]);
    await h.ok(['restore', file, '--yes']);
    const actions = (await h.json(['audit', 'list'])).map((e: { action: string }) => e.action);
    expect(actions.slice(0, 2)).toEqual(['restore', 'backup']);
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(join(h.dir, 'crm.db'));
    try {
      expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
      expect(() => db.prepare("UPDATE audit_log SET action = 'x'").run()).toThrow(/append-only/);
    } finally {
      db.close();
    }
  });
});
