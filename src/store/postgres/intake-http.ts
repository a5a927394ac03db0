import type { IntakeForm, IntakeLogEntry } from '../../domain/intake.js';
import type { Store } from '../types.js';
import type { PgSql } from './sql.js';
import { keyed } from '../../domain/keyed.js';

interface FormRow {
  id: number;
  name: string;
  token_hash: string;
  fields: string;
  source_id: number | null;
  tags: string;
  honeypot: string | null;
  rate_count: number;
  rate_seconds: number;
  redirect: string | null;
  origin: string | null;
  actor_id: number;
  created_at: string;
  token_rotated_at: string | null;
}

const toForm = (r: FormRow): IntakeForm => ({
  id: r.id, name: r.name, tokenHash: r.token_hash, fields: keyed(JSON.parse(r.fields) as Record<string, string>), sourceId: r.source_id,
  tags: JSON.parse(r.tags) as string[], honeypot: r.honeypot, rateCount: r.rate_count, rateSeconds: r.rate_seconds,
  redirect: r.redirect, origin: r.origin, actorId: r.actor_id, createdAt: r.created_at, tokenRotatedAt: r.token_rotated_at,
});

export function intakeFormsRepo(sql: PgSql): Store['intakeForms'] {
  return {
    async insert(f) {
      const r = await sql.get<FormRow>(
        `INSERT INTO intake_forms (name, token_hash, fields, source_id, tags, honeypot, rate_count, rate_seconds, redirect, origin, actor_id, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
        f.name, f.tokenHash, JSON.stringify(f.fields), f.sourceId, JSON.stringify(f.tags), f.honeypot, f.rateCount, f.rateSeconds, f.redirect, f.origin, f.actorId, f.createdAt,
      );
      return toForm(r!);
    },
    async byName(name) {
      const r = await sql.get<FormRow>('SELECT * FROM intake_forms WHERE name = ?', name);
      return r && toForm(r);
    },
    async list() {
      return (await sql.all<FormRow>('SELECT * FROM intake_forms ORDER BY name')).map(toForm);
    },
    async setTokenHash(id, tokenHash, at) {
      await sql.run('UPDATE intake_forms SET token_hash = ?, token_rotated_at = ? WHERE id = ?', tokenHash, at, id);
    },
    async remove(id) {
      await sql.run('DELETE FROM intake_forms WHERE id = ?', id);
    },
  };
}

interface LogRow {
  id: number;
  at: string;
  channel: string;
  ref: string | null;
  remote: string | null;
  status: number;
  result: IntakeLogEntry['result'];
  reason: string | null;
  lead_id: number | null;
  outcome: string | null;
}

export function intakeLogRepo(sql: PgSql): Store['intakeLog'] {
  return {
    async add(e) {
      return sql.insert(
        'INSERT INTO intake_log (at, channel, ref, remote, status, result, reason, lead_id, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        e.at, e.channel, e.ref, e.remote, e.status, e.result, e.reason, e.leadId, e.outcome,
      );
    },
    async list(q) {
      const where: string[] = [];
      const args: unknown[] = [];
      if (q.channel) {
        where.push('channel = ?');
        args.push(q.channel);
      }
      if (q.ref) {
        where.push('ref = ? COLLATE NOCASE');
        args.push(q.ref);
      }
      const rows = await sql.all<LogRow>(`SELECT * FROM intake_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`, ...args, q.limit ?? 50);
      return rows.map((r) => ({
        id: r.id, at: r.at, channel: r.channel, ref: r.ref, remote: r.remote, status: r.status, result: r.result, reason: r.reason, leadId: r.lead_id, outcome: r.outcome,
      }));
    },
  };
}

export function inboundMessagesRepo(sql: PgSql): Store['inboundMessages'] {
  return {
    // INSERT … ON CONFLICT DO NOTHING: of two deliveries of one id at once, the second waits for
    // the first's row and inserts nothing, so exactly one gets true.
    async mark(sid, leadId, at) {
      return (await sql.run('INSERT INTO intake_messages (sid, lead_id, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING', sid, leadId, at)).changes === 1;
    },
    async has(sid) {
      return Boolean(await sql.get('SELECT 1 FROM intake_messages WHERE sid = ?', sid));
    },
  };
}
