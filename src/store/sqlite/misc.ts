import { isContactAttempt } from '../../domain/activity.js';
import { FOR_LEAD, FORGET_IMPORT, MATERIALISE_CREATED, toActivity, type ActivityRow } from '../rows/activities.js';
import type { Store } from '../types.js';
import type { Sql } from './index.js';
import { keyed } from '../../domain/keyed.js';

export function settingsRepo(sql: Sql): Store['settings'] {
  return {
    async get(key) {
      return sql.get<{ value: string }>('SELECT value FROM settings WHERE key = ?', key)?.value;
    },
    async set(key, value) {
      if (value === null) sql.run('DELETE FROM settings WHERE key = ?', key);
      else sql.run('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', key, value);
    },
    async all() {
      return keyed(sql.all<{ key: string; value: string }>('SELECT key, value FROM settings ORDER BY key').map((r) => [r.key, r.value] as const));
    },
  };
}

export function userSettingsRepo(sql: Sql): Store['userSettings'] {
  return {
    async get(userId, key) {
      return (sql.get<{ value: string }>('SELECT value FROM user_settings WHERE user_id = ? AND key = ?', userId, key))?.value;
    },
    async set(userId, key, value) {
      if (value === null) sql.run('DELETE FROM user_settings WHERE user_id = ? AND key = ?', userId, key);
      else sql.run('INSERT INTO user_settings (user_id, key, value) VALUES (?, ?, ?) ON CONFLICT (user_id, key) DO UPDATE SET value = excluded.value', userId, key, value);
    },
    async all(userId) {
      return keyed((sql.all<{ key: string; value: string }>('SELECT key, value FROM user_settings WHERE user_id = ? ORDER BY key', userId)).map((r) => [r.key, r.value] as const));
    },
  };
}


/** leads.attempted_at (DERIVED_FIELDS in src/domain/derived.ts): the first attempt recorded sets it; later ones leave it. */
export function markAttempted(sql: Sql, leadId: number, at: string): void {
  sql.run('UPDATE leads SET attempted_at = ? WHERE id = ? AND attempted_at IS NULL', at, leadId);
}

export function activitiesRepo(sql: Sql): Store['activities'] {
  return {
    async add(a) {
      const res = sql.run(
        'INSERT INTO activities (lead_id, type, at, user_id, body, data) VALUES (?, ?, ?, ?, ?, ?)',
        a.leadId, a.type, a.at, a.userId, a.body ?? null, JSON.stringify(a.data ?? {}),
      );
      if (isContactAttempt(a.type)) markAttempted(sql, a.leadId, a.at);
      return Number(res.lastInsertRowid);
    },
    async forLead(leadId, limit = 1000) {
      return (sql.all<ActivityRow>(FOR_LEAD, leadId, leadId, limit)).map(toActivity);
    },
    async reassign(fromLeadId, toLeadId) {
      sql.run(MATERIALISE_CREATED, toLeadId, fromLeadId);
      sql.run(FORGET_IMPORT, fromLeadId);
      sql.run('UPDATE activities SET lead_id = ? WHERE lead_id = ?', toLeadId, fromLeadId);
    },
  };
}
