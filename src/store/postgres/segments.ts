/**
 * Segments and campaigns on PostgreSQL: the port of src/store/sqlite/segments.ts. A campaign's
 * outbox keys are found by a key range compared COLLATE "C" (byte order, as SQLite's BINARY):
 * under a linguistic collation 'campaign1/' … 'campaign10' would not be a range.
 */
import type { Campaign, CampaignRecipient, Segment } from '../../domain/campaigns.js';
import type { Store } from '../types.js';
import type { PgSql } from './sql.js';
import { NOCASE_ORDER } from './leads.js';

interface SegmentRow {
  id: number;
  name: string;
  where_text: string;
  created_by_email: string | null;
  created_at: string;
}

const SELECT = 'SELECT g.*, u.email AS created_by_email FROM segments g LEFT JOIN users u ON u.id = g.created_by';
const toSegment = (r: SegmentRow): Segment => ({ id: r.id, name: r.name, where: r.where_text, createdBy: r.created_by_email, createdAt: r.created_at });

export function segmentsRepo(sql: PgSql): Store['segments'] {
  return {
    async insert(s, at) {
      return sql.insert('INSERT INTO segments (name, where_text, created_by, created_at) VALUES (?, ?, ?, ?)', s.name, s.where, s.createdBy, at);
    },
    async byName(name) {
      const r = await sql.get<SegmentRow>(`${SELECT} WHERE g.name = ? COLLATE NOCASE`, name);
      return r && toSegment(r);
    },
    async list() {
      return (await sql.all<SegmentRow>(`${SELECT} ORDER BY ${NOCASE_ORDER('g.name')}`)).map(toSegment);
    },
    async remove(id) {
      await sql.run('DELETE FROM segments WHERE id = ?', id);
    },
  };
}

interface CampaignRow {
  id: number;
  name: string;
  type: Campaign['type'];
  audience: string;
  tag: string | null;
  subject: string | null;
  body: string;
  status: Campaign['status'];
  created_by_email: string | null;
  created_at: string;
  sent_at: string | null;
  send_at: string | null;
  rate: number | null;
  queued_at: string | null;
  cancelled_at: string | null;
}
const SELECT_CAMPAIGN = 'SELECT c.*, u.email AS created_by_email FROM campaigns c LEFT JOIN users u ON u.id = c.created_by';
const toCampaign = (r: CampaignRow): Campaign => ({
  id: r.id, name: r.name, type: r.type, audience: r.audience, tag: r.tag, subject: r.subject, body: r.body, status: r.status,
  createdBy: r.created_by_email, createdAt: r.created_at, sentAt: r.sent_at, sendAt: r.send_at, rate: r.rate, queuedAt: r.queued_at, cancelledAt: r.cancelled_at,
});

/** A campaign's outbox keys are campaign<id>/lead<leadId>: this range (byte order) reads them through the unique key index. */
const keyRange = (campaignId: number): [string, string] => [`campaign${campaignId}/`, `campaign${campaignId}0`];
const IN_RANGE = (col: string) => `${col} COLLATE "C" >= ? AND ${col} COLLATE "C" < ?`;

/** A recipient's state: the skip reason, else its outbox row's status or, dead, its failure kind when cancelled or opted out ('sent' when the row was pruned, which only happens to sent ones). */
const RECIPIENT_STATE = `CASE WHEN r.status <> 'queued' THEN r.status
  WHEN o.id IS NULL THEN 'sent'
  WHEN o.status = 'dead' AND o.failure = 'cancelled' THEN 'cancelled'
  WHEN o.status = 'dead' AND o.failure = 'opted-out' THEN 'opted-out'
  ELSE o.status END`;
const RECIPIENTS = `SELECT r.lead_id, l.name, r.address, ${RECIPIENT_STATE} AS state, coalesce(o.attempts, 0) AS attempts,
    CASE WHEN o.status IN ('failed','dead') THEN o.last_error END AS error, o.sent_at, o.updated_at
  FROM campaign_recipients r JOIN leads l ON l.id = r.lead_id LEFT JOIN outbox o ON o.key = r.outbox_key
  WHERE r.campaign_id = ?`;
const TRANSITION_COLUMNS = { sendAt: 'send_at', rate: 'rate', queuedAt: 'queued_at', sentAt: 'sent_at', cancelledAt: 'cancelled_at', sentBy: 'sent_by' } as const;
/** Recipients written per INSERT (7 parameters each, far below PostgreSQL's 65,535). */
const RECIPIENT_BATCH = 500;

export function campaignsRepo(sql: PgSql): Store['campaigns'] {
  return {
    async insert(c, at) {
      return sql.insert('INSERT INTO campaigns (name, type, audience, tag, subject, body, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        c.name, c.type, c.audience, c.tag, c.subject, c.body, c.createdBy, at);
    },
    async get(id) {
      const r = await sql.get<CampaignRow>(`${SELECT_CAMPAIGN} WHERE c.id = ?`, id);
      return r && toCampaign(r);
    },
    async list() {
      return (await sql.all<CampaignRow>(`${SELECT_CAMPAIGN} ORDER BY c.id DESC`)).map(toCampaign);
    },
    async update(id, c) {
      return (await sql.run("UPDATE campaigns SET name = ?, type = ?, audience = ?, tag = ?, subject = ?, body = ? WHERE id = ? AND status = 'draft'",
        c.name, c.type, c.audience, c.tag, c.subject, c.body, id)).changes > 0;
    },
    async transition(id, from, status, fields) {
      if (from.length === 0) return false; // SQLite's empty IN (): no campaign is in none of the states
      const sets = ['status = ?'];
      const params: unknown[] = [status];
      for (const [k, col] of Object.entries(TRANSITION_COLUMNS)) {
        const v = fields[k as keyof typeof fields];
        if (v !== undefined) {
          sets.push(`${col} = ?`);
          params.push(v);
        }
      }
      return (await sql.run(`UPDATE campaigns SET ${sets.join(', ')} WHERE id = ? AND status IN (${from.map(() => '?').join(',')})`, ...params, id, ...from)).changes > 0;
    },
    async resolved(campaignId, leadIds) {
      if (leadIds.length === 0) return new Set();
      const rows = await sql.all<{ lead_id: number }>('SELECT lead_id FROM campaign_recipients WHERE campaign_id = ? AND lead_id = ANY(?::bigint[])', campaignId, leadIds);
      return new Set(rows.map((r) => r.lead_id));
    },
    async addRecipients(campaignId, rows, at) {
      // One multi-row INSERT per batch instead of a statement (and a savepoint) per recipient.
      for (let i = 0; i < rows.length; i += RECIPIENT_BATCH) {
        const batch = rows.slice(i, i + RECIPIENT_BATCH);
        const params: unknown[] = [];
        for (const r of batch) params.push(campaignId, r.leadId, r.seq, r.status, r.address, r.outboxKey, at);
        await sql.run(
          `INSERT INTO campaign_recipients (campaign_id, lead_id, seq, status, address, outbox_key, at)
           VALUES ${batch.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')} ON CONFLICT DO NOTHING`,
          ...params,
        );
      }
    },
    async nextSeq(campaignId) {
      return (await sql.get<{ n: number }>('SELECT coalesce(max(seq) + 1, 0) AS n FROM campaign_recipients WHERE campaign_id = ?', campaignId))!.n;
    },
    async recipients(campaignId, q = {}) {
      const rows = await sql.all<{ lead_id: number; name: string; address: string | null; state: CampaignRecipient['status']; attempts: number; error: string | null; sent_at: string | null }>(
        `SELECT * FROM (${RECIPIENTS}) x ${q.status ? 'WHERE state = ?' : ''} ORDER BY lead_id LIMIT ?`,
        campaignId, ...(q.status ? [q.status] : []), q.limit ?? null,
      );
      return rows.map((r) => ({ leadId: r.lead_id, name: r.name, address: r.address, status: r.state, attempts: r.attempts, error: r.error, sentAt: r.sent_at }));
    },
    async tally(campaignId) {
      const counts: Partial<Record<CampaignRecipient['status'], number>> = {};
      for (const r of await sql.all<{ state: CampaignRecipient['status']; n: number }>(`SELECT state, count(*) AS n FROM (${RECIPIENTS}) x GROUP BY state`, campaignId)) counts[r.state] = r.n;
      const last = await sql.get<{ at: string | null }>(
        `SELECT max(coalesce(o.sent_at, o.updated_at)) AS at FROM outbox o WHERE ${IN_RANGE('o.key')} AND o.status IN ('sent','dead')`, ...keyRange(campaignId),
      );
      return { counts, lastFinalAt: last?.at ?? null };
    },
    async cancelPending(campaignId, at) {
      return (await sql.run(
        `UPDATE outbox SET status = 'dead', last_error = ?, failure = 'cancelled', updated_at = ? WHERE ${IN_RANGE('key')} AND status IN ('pending','failed')`,
        `cancelled: campaign ${campaignId} was cancelled`, at, ...keyRange(campaignId),
      )).changes;
    },
    async bouncedEmails() {
      const rows = await sql.all<{ a: string }>("SELECT DISTINCT lower(address) AS a FROM outbox WHERE failure = 'bounce' AND status = 'dead' AND channel = 'email' AND address IS NOT NULL");
      return new Set(rows.map((r) => r.a));
    },
    async secret() {
      // Through the definer's function: marketing sends campaigns but may not read campaign_secrets (migration 0011).
      return (await sql.get<{ secret: string }>('SELECT crm_campaign_secret() AS secret'))!.secret;
    },
  };
}
