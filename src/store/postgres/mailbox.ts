import type { MailboxConfig, MailboxMessage, MailboxOutcome, MailboxPoll } from '../../domain/intake.js';
import type { Store } from '../types.js';
import type { PgSql } from './sql.js';

interface ConfigRow {
  name: string;
  host: string;
  port: number;
  tls: number;
  user: string;
  folder: string;
  every_minutes: number;
  move_to: string | null;
  source_id: number | null;
  actor_id: number;
  uid_validity: number | null;
  last_uid: number;
  updated_at: string;
}

interface MessageRow {
  mailbox: string;
  uid_validity: number;
  uid: number;
  message_key: string;
  lead_id: number | null;
  outcome: string;
  reason: string | null;
  at: string;
  done: number;
}

interface PollRow {
  id: number;
  mailbox: string;
  started_at: string;
  ok: number;
  fetched: number;
  created: number;
  reengaged: number;
  existing: number;
  junk: number;
  skipped: number;
  rejected: number;
  seen: number;
  uid_validity: number | null;
  last_uid: number | null;
  error: string | null;
}

const toMessage = (r: MessageRow): MailboxMessage => ({
  scope: r.mailbox, uidValidity: r.uid_validity, uid: r.uid, messageKey: r.message_key, leadId: r.lead_id,
  outcome: r.outcome as MailboxOutcome, reason: r.reason, at: r.at, done: r.done === 1,
});

const toPoll = (r: PollRow): MailboxPoll => ({
  id: r.id, mailbox: r.mailbox, startedAt: r.started_at, ok: r.ok === 1, fetched: r.fetched, created: r.created, reengaged: r.reengaged,
  existing: r.existing, junk: r.junk, skipped: r.skipped, rejected: r.rejected, seen: r.seen, uidValidity: r.uid_validity, lastUid: r.last_uid, error: r.error,
});

export function mailboxesRepo(sql: PgSql): Store['mailboxes'] {
  return {
    async get(name) {
      const r = await sql.get<ConfigRow>('SELECT * FROM mailboxes WHERE name = ?', name);
      if (!r) return undefined;
      return {
        name: r.name, host: r.host, port: r.port, tls: r.tls === 1, user: r.user, folder: r.folder, everyMinutes: r.every_minutes, moveTo: r.move_to,
        sourceId: r.source_id, actorId: r.actor_id, uidValidity: r.uid_validity, lastUid: r.last_uid, updatedAt: r.updated_at,
      } satisfies MailboxConfig;
    },
    async put(c) {
      // "user" is a reserved word in PostgreSQL: quoted.
      await sql.run(
        `INSERT INTO mailboxes (name, host, port, tls, "user", folder, every_minutes, move_to, source_id, actor_id, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET host = excluded.host, port = excluded.port, tls = excluded.tls, "user" = excluded."user", folder = excluded.folder,
           every_minutes = excluded.every_minutes, move_to = excluded.move_to, source_id = excluded.source_id, actor_id = excluded.actor_id, updated_at = excluded.updated_at`,
        c.name, c.host, c.port, c.tls ? 1 : 0, c.user, c.folder, c.everyMinutes, c.moveTo, c.sourceId, c.actorId, c.updatedAt,
      );
    },
    async setCursor(name, uidValidity, lastUid) {
      await sql.run('UPDATE mailboxes SET uid_validity = ?, last_uid = ? WHERE name = ?', uidValidity, lastUid, name);
    },
    async addPoll(p) {
      return sql.insert(
        `INSERT INTO mailbox_polls (mailbox, started_at, ok, fetched, created, reengaged, existing, junk, skipped, rejected, seen, uid_validity, last_uid, error)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        p.mailbox, p.startedAt, p.ok ? 1 : 0, p.fetched, p.created, p.reengaged, p.existing, p.junk, p.skipped, p.rejected, p.seen, p.uidValidity, p.lastUid, p.error,
      );
    },
    async lastPoll(name, opts = {}) {
      const r = await sql.get<PollRow>(`SELECT * FROM mailbox_polls WHERE mailbox = ?${opts.okOnly ? ' AND ok = 1' : ''} ORDER BY id DESC LIMIT 1`, name);
      return r && toPoll(r);
    },
    async handled(name, uidValidity, uids) {
      // One statement for the batch: one primary-key lookup per UID.
      if (!uids.length) return new Set<number>();
      const rows = await sql.all<{ uid: number }>('SELECT uid FROM mailbox_messages WHERE mailbox = ? AND uid_validity = ? AND uid = ANY(?::bigint[])', name, uidValidity, uids);
      return new Set(rows.map((r) => Number(r.uid)));
    },
    async byKey(key) {
      const r = await sql.get<MessageRow>('SELECT * FROM mailbox_messages WHERE message_key = ? ORDER BY at, uid_validity, uid LIMIT 1', key);
      return r && toMessage(r);
    },
    async record(m) {
      // ON CONFLICT DO NOTHING: a second record of the same UID (another process, at once) waits
      // for the first's row and is ignored.
      await sql.run(
        'INSERT INTO mailbox_messages (mailbox, uid_validity, uid, message_key, lead_id, outcome, reason, at, done) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
        m.scope, m.uidValidity, m.uid, m.messageKey, m.leadId, m.outcome, m.reason, m.at, m.done ? 1 : 0,
      );
    },
    async pending(name) {
      return (await sql.all<MessageRow>('SELECT * FROM mailbox_messages WHERE mailbox = ? AND done = 0 ORDER BY uid_validity, uid', name)).map(toMessage);
    },
    async markDone(name, uidValidity, uids) {
      if (!uids.length) return;
      await sql.run('UPDATE mailbox_messages SET done = 1 WHERE mailbox = ? AND uid_validity = ? AND uid = ANY(?::bigint[])', name, uidValidity, uids);
    },
  };
}
