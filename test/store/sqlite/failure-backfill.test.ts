/**
 * SQLite only: migration 0019 classifies the failures stored before outbox.failure existed, from
 * their texts, the way failureKindOfText does; and leaves no attempted_at trigger behind.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { failureKindOfText } from '../../../src/domain/notify.js';
import { migrations } from '../../../src/store/sqlite/migrations/index.js';
import { openStore } from '../../../src/store/index.js';
import type { Sql } from '../../../src/store/sqlite/index.js';

const BEFORE = 18;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'crm-backfill-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A store file as crm left it at schema version 18, with these outbox rows. */
function oldStore(rows: [key: string, status: string, lastError: string | null][]): string {
  const file = join(dir, 'crm.db');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  for (let v = 0; v < BEFORE; v++) db.exec(migrations[v]!);
  db.pragma(`user_version = ${BEFORE}`);
  const ins = db.prepare(`INSERT INTO outbox (key, rule, channel, recipient_kind, address, status, attempts, next_attempt_at, last_error, created_at, updated_at)
    VALUES (?, 'campaign:1', 'email', 'lead', ?, ?, 1, '2026-01-01T00:00:00.000Z', ?, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`);
  for (const [key, status, error] of rows) ins.run(key, `${key}@Old.example`, status, error);
  db.close();
  return file;
}

describe('migration 0019 on a store with failures recorded as text only', () => {
  const rows: [string, string, string | null][] = [
    ['bounced', 'dead', 'SMTP error: 550 5.1.1 <bounced@old.example>: user unknown (EENVELOPE)'],
    ['relay', 'dead', 'SMTP error: 554 5.7.1 relay denied (EENVELOPE)'],
    ['busy', 'failed', 'SMTP error: 421 4.3.2 too busy (EENVELOPE)'],
    ['login', 'dead', 'SMTP refused the login: 535 5.7.8 bad credentials (EAUTH)'],
    ['down', 'failed', 'SMTP server unreachable: connect ECONNREFUSED 127.0.0.1:2525 (ESOCKET)'],
    ['cancel', 'dead', 'cancelled: campaign 1 was cancelled'],
    ['stop', 'dead', 'the recipient opted out of email'],
    ['nohost', 'dead', 'email is not configured (smtp.host is empty)'],
    ['waiting', 'pending', null],
    ['done', 'sent', null],
  ];

  it('gives each failure the kind its text names, as failureKindOfText reads it; unfailed rows get none', async () => {
    const store = await openStore(oldStore(rows));
    try {
      const sql = (store as unknown as { sql: Sql }).sql;
      const got = Object.fromEntries(sql.all<{ key: string; failure: string | null }>('SELECT key, failure FROM outbox').map((r) => [r.key, r.failure]));
      expect(got).toEqual({
        bounced: 'bounce', relay: 'bounce', busy: 'error', login: 'error', down: 'error', cancel: 'cancelled', stop: 'opted-out', nohost: 'error', waiting: null, done: null,
      });
      for (const [key, , error] of rows) if (error) expect(got[key], key).toBe(failureKindOfText(error));
      expect(await store.campaigns.bouncedEmails()).toEqual(new Set(['bounced@old.example', 'relay@old.example']));
    } finally {
      store.close();
    }
  });

  it('drops the attempted_at triggers: the store applies the rule itself', async () => {
    const store = await openStore(oldStore([]));
    try {
      const sql = (store as unknown as { sql: Sql }).sql;
      const triggers = sql.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name").map((r) => r.name);
      expect(triggers).not.toContain('activities_attempted');
      expect(triggers).not.toContain('calls_attempted');
      expect(triggers).toEqual(expect.arrayContaining(['leads_furthest_stage', 'lead_stats_insert', 'lead_stats_update', 'lead_stats_delete']));
    } finally {
      store.close();
    }
  });
});
