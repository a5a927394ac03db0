/**
 * The statements of the consent repository (src/store/contract/consent.ts), the same on both
 * backends: an entry is appended and the lead's opt-out set to match.
 */
import type { NewConsentEntry } from '../../domain/consent.js';

export const INSERT_CONSENT = 'INSERT INTO consent_events (lead_id, channel, state, source, at, user_id, note) VALUES (?, ?, ?, ?, ?, ?, ?)';
export const OPT_OUT = "INSERT INTO opt_outs (kind, ref_id, channel, at) VALUES ('lead', ?, ?, ?) ON CONFLICT DO NOTHING";
export const OPT_IN = "DELETE FROM opt_outs WHERE kind = 'lead' AND ref_id = ? AND channel = ?";

/** The statements that record one entry: [sql, params][]. */
export function consentStatements(e: NewConsentEntry): [string, unknown[]][] {
  return [
    [INSERT_CONSENT, [e.leadId, e.channel, e.state, e.source, e.at, e.userId, e.note ?? null]],
    e.state === 'withdrawn' ? [OPT_OUT, [e.leadId, e.channel, e.at]] : [OPT_IN, [e.leadId, e.channel]],
  ];
}

export const HISTORY = `SELECT c.id, c.lead_id, c.channel, c.state, c.source, c.at, c.user_id, u.email AS user_email, c.note
  FROM consent_events c LEFT JOIN users u ON u.id = c.user_id WHERE c.lead_id = ? ORDER BY c.id`;

const list = (n: number) => Array.from({ length: Math.max(n, 1) }, () => '?').join(', ');

/** The leads (of n ids) whose latest entry for the channel (the last parameter) is 'granted'. */
export const grantedQuery = (n: number) => `SELECT c.lead_id FROM consent_events c
  WHERE c.lead_id IN (${list(n)}) AND c.channel = ? AND c.state = 'granted'
    AND c.id = (SELECT max(c2.id) FROM consent_events c2 WHERE c2.lead_id = c.lead_id AND c2.channel = c.channel)`;

export interface HistoryRow {
  id: number | string;
  lead_id: number | string;
  channel: string;
  state: string;
  source: string;
  at: string;
  user_id: number | string | null;
  user_email: string | null;
  note: string | null;
}
