/**
 * SQLite only: migration 0028 turns the opt-outs leads had into consent entries from source
 * 'migrated' (withdrawn, at the opt-out's time), leaves users' opt-outs and other channels alone,
 * and keeps campaign recipients through the table's rebuild.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrations } from '../../../src/store/sqlite/migrations/index.js';
import m0028 from '../../../src/store/sqlite/migrations/0028_consent.js';
import { openStore } from '../../../src/store/index.js';

const BEFORE = migrations.indexOf(m0028);
const T = '2026-01-01T00:00:00.000Z';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'crm-consent-mig-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function oldStore(): string {
  const file = join(dir, 'crm.db');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  for (let v = 0; v < BEFORE; v++) db.exec(migrations[v]!);
  db.pragma(`user_version = ${BEFORE}`);
  const user = db.prepare("INSERT INTO users (name, email, role, created_at) VALUES ('Asha', 'admin@acme.example', 'admin', ?)").run(T).lastInsertRowid;
  const stage = (db.prepare('SELECT id FROM stages ORDER BY position LIMIT 1').get() as { id: number } | undefined)?.id
    ?? db.prepare("INSERT INTO stages (name, position, probability, outcome) VALUES ('New', 1, 10, 'open')").run().lastInsertRowid;
  const lead = (name: string) => db.prepare("INSERT INTO leads (type, kind, name, stage_id, currency, status, created_by, created_at, updated_at) VALUES ('lead', 'person', ?, ?, 'EUR', 'active', ?, ?, ?)").run(name, stage, user, T, T).lastInsertRowid;
  const ana = lead('Ana');
  const bo = lead('Bo');
  const optOut = db.prepare('INSERT INTO opt_outs (kind, ref_id, channel, at) VALUES (?, ?, ?, ?)');
  optOut.run('lead', ana, 'email', '2026-02-01T00:00:00.000Z');
  optOut.run('lead', ana, 'call', '2026-03-01T00:00:00.000Z');
  optOut.run('lead', ana, 'inbox', T); // not a consent channel
  optOut.run('user', ana, 'sms', T); // a user's, with the same id
  const campaign = db.prepare("INSERT INTO campaigns (name, type, audience, subject, body, status, created_by, created_at) VALUES ('C', 'email', 'leads', 'S', 'B', 'sent', ?, ?)").run(user, T).lastInsertRowid;
  db.prepare("INSERT INTO campaign_recipients (campaign_id, lead_id, seq, status, address, outbox_key, at) VALUES (?, ?, -1, 'opted-out', 'bo@x.example', NULL, ?)").run(campaign, bo, T);
  db.close();
  return file;
}

describe('migration 0028 (consent)', () => {
  it("makes a lead's opt-outs of consent channels withdrawn entries from 'migrated'; the rest stays as it was", async () => {
    const store = await openStore(oldStore());
    try {
      const [ana, bo] = [1, 2];
      const history = await store.consent.history(ana);
      expect(history.map((e) => [e.channel, e.state, e.source, e.at, e.user])).toEqual([
        ['email', 'withdrawn', 'migrated', '2026-02-01T00:00:00.000Z', null],
        ['call', 'withdrawn', 'migrated', '2026-03-01T00:00:00.000Z', null],
      ]);
      expect(await store.optOuts.list('lead', ana)).toEqual(['call', 'email', 'inbox']);
      expect(await store.optOuts.list('user', ana)).toEqual(['sms']);
      expect(await store.consent.history(bo)).toEqual([]);
      const rec = await store.campaigns.recipients(1, {});
      expect(rec.map((r) => [r.leadId, r.status])).toEqual([[bo, 'opted-out']]);
    } finally {
      await store.close();
    }
  });
});
