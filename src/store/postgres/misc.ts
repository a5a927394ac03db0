import { isContactAttempt } from '../../domain/activity.js';
import { FOR_LEAD, FORGET_IMPORT, MATERIALISE_CREATED, toActivity, type ActivityRow } from '../rows/activities.js';
import type { Store } from '../types.js';
import type { PgSql } from './sql.js';
import { keyed } from '../../domain/keyed.js';

export function settingsRepo(sql: PgSql): Store['settings'] {
  return {
    async get(key) {
      return (await sql.get<{ value: string }>('SELECT value FROM settings WHERE key = ?', key))?.value;
    },
    async set(key, value) {
      if (value === null) await sql.run('DELETE FROM settings WHERE key = ?', key);
      else await sql.run('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', key, value);
    },
    async all() {
      return keyed((await sql.all<{ key: string; value: string }>('SELECT key, value FROM settings ORDER BY key')).map((r) => [r.key, r.value] as const));
    },
  };
}

export function userSettingsRepo(sql: PgSql): Store['userSettings'] {
  return {
    async get(userId, key) {
      return (await sql.get<{ value: string }>('SELECT value FROM user_settings WHERE user_id = ? AND key = ?', userId, key))?.value;
    },
    async set(userId, key, value) {
      if (value === null) await sql.run('DELETE FROM user_settings WHERE user_id = ? AND key = ?', userId, key);
      else await sql.run('INSERT INTO user_settings (user_id, key, value) VALUES (?, ?, ?) ON CONFLICT (user_id, key) DO UPDATE SET value = excluded.value', userId, key, value);
    },
    async all(userId) {
      return keyed((await sql.all<{ key: string; value: string }>('SELECT key, value FROM user_settings WHERE user_id = ? ORDER BY key', userId)).map((r) => [r.key, r.value] as const));
    },
  };
}


/** leads.attempted_at (DERIVED_FIELDS in src/domain/derived.ts): the first attempt recorded sets it; later ones leave it. */
export async function markAttempted(sql: PgSql, leadId: number, at: string): Promise<void> {
  await sql.run('UPDATE leads SET attempted_at = ? WHERE id = ? AND attempted_at IS NULL', at, leadId);
}

export function activitiesRepo(sql: PgSql): Store['activities'] {
  return {
    async add(a) {
      const id = await sql.insert(
        'INSERT INTO activities (lead_id, type, at, user_id, body, data) VALUES (?, ?, ?, ?, ?, ?)',
        a.leadId, a.type, a.at, a.userId, a.body ?? null, JSON.stringify(a.data ?? {}),
      );
      if (isContactAttempt(a.type)) await markAttempted(sql, a.leadId, a.at);
      return id;
    },
    async forLead(leadId, limit = 1000) {
      return (await sql.all<ActivityRow>(FOR_LEAD, leadId, leadId, limit)).map(toActivity);
    },
    async reassign(fromLeadId, toLeadId) {
      await sql.run(MATERIALISE_CREATED, toLeadId, fromLeadId);
      await sql.run(FORGET_IMPORT, fromLeadId);
      await sql.run('UPDATE activities SET lead_id = ? WHERE lead_id = ?', toLeadId, fromLeadId);
    },
  };
}
