/** The statements of the portal repository (src/store/contract/portal.ts), the same on both backends. */
import type { NewPortalLink, NewPortalSession, PortalContact, PortalLink, PortalSession } from '../../domain/portal.js';

export interface LinkRow {
  id: number;
  lead_id: number;
  person_id: number | null;
  email: string;
  created_by: number | null;
  remote: string | null;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface SessionRow {
  id: number;
  lead_id: number;
  lead_name: string;
  person_id: number | null;
  email: string;
  link_id: number | null;
  remote: string | null;
  user_agent: string | null;
  created_at: string;
  expires_at: string;
  ended_at: string | null;
  end_reason: string | null;
}

const num = (v: number | string | null) => (v === null ? null : Number(v));

export const toLink = (r: LinkRow): PortalLink => ({
  id: Number(r.id), leadId: Number(r.lead_id), personId: num(r.person_id), email: r.email, createdById: num(r.created_by), remote: r.remote,
  createdAt: r.created_at, expiresAt: r.expires_at, usedAt: r.used_at,
});

export const toSession = (r: SessionRow): PortalSession => ({
  id: Number(r.id), leadId: Number(r.lead_id), leadName: r.lead_name, personId: num(r.person_id), email: r.email, linkId: num(r.link_id),
  remote: r.remote, userAgent: r.user_agent, createdAt: r.created_at, expiresAt: r.expires_at, endedAt: r.ended_at, endReason: r.end_reason,
});

export const LINK_COLUMNS = 'id, lead_id, person_id, email, created_by, remote, created_at, expires_at, used_at';
export const INSERT_LINK = 'INSERT INTO portal_links (token_hash, lead_id, person_id, email, created_by, remote, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)';
export const linkParams = (l: NewPortalLink, at: string) => [l.tokenHash, l.leadId, l.personId, l.email, l.createdById, l.remote, at, l.expiresAt];
export const LINK_BY_HASH = `SELECT ${LINK_COLUMNS} FROM portal_links WHERE token_hash = ?`;
export const USE_LINK = 'UPDATE portal_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?';
export const LINKS_SINCE = 'SELECT count(*) AS n FROM portal_links WHERE lower(email) = lower(?) AND created_at >= ?';

export const INSERT_SESSION = 'INSERT INTO portal_sessions (token_hash, lead_id, person_id, email, link_id, remote, user_agent, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)';
export const sessionParams = (s: NewPortalSession, at: string) => [s.tokenHash, s.leadId, s.personId, s.email, s.linkId, s.remote, s.userAgent, at, s.expiresAt];
const SESSION_SELECT = `SELECT s.id, s.lead_id, l.name AS lead_name, s.person_id, s.email, s.link_id, s.remote, s.user_agent, s.created_at, s.expires_at, s.ended_at, s.end_reason
  FROM portal_sessions s JOIN leads l ON l.id = s.lead_id`;
export const LIVE_SESSION = `${SESSION_SELECT} WHERE s.token_hash = ? AND s.ended_at IS NULL AND s.expires_at > ?`;
export const END_SESSION = 'UPDATE portal_sessions SET ended_at = ?, end_reason = ? WHERE id = ? AND ended_at IS NULL';

/** Revoking: [sessions, links] statements with their parameters. personId undefined: the whole lead. */
export function revokeStatements(leadId: number, personId: number | null | undefined, at: string): [[string, unknown[]], [string, unknown[]]] {
  const who = personId === undefined ? '' : personId === null ? ' AND person_id IS NULL' : ' AND person_id = ?';
  const p = personId === undefined || personId === null ? [] : [personId];
  return [
    [`UPDATE portal_sessions SET ended_at = ?, end_reason = 'revoked' WHERE lead_id = ?${who} AND ended_at IS NULL AND expires_at > ?`, [at, leadId, ...p, at]],
    [`UPDATE portal_links SET expires_at = ? WHERE lead_id = ?${who} AND used_at IS NULL AND expires_at > ?`, [at, leadId, ...p, at]],
  ];
}

export function sessionsQuery(leadId: number | undefined, at: string): [string, unknown[]] {
  return leadId === undefined
    ? [`${SESSION_SELECT} WHERE s.ended_at IS NULL AND s.expires_at > ? ORDER BY s.id DESC`, [at]]
    : [`${SESSION_SELECT} WHERE s.lead_id = ? AND s.ended_at IS NULL AND s.expires_at > ? ORDER BY s.id DESC`, [leadId, at]];
}

export const PERSONS_BY_EMAIL = `SELECT p.lead_id, p.id AS person_id, p.name, p.email FROM contact_persons p JOIN leads l ON l.id = p.lead_id
  WHERE lower(p.email) = lower(?) AND p.portal = 1 AND l.deleted_at IS NULL ORDER BY p.id`;
export const LEADS_BY_EMAIL = `SELECT l.id AS lead_id, NULL AS person_id, l.name, e.email FROM lead_emails e JOIN leads l ON l.id = e.lead_id
  WHERE e.email_norm = lower(?) AND l.deleted_at IS NULL ORDER BY l.id`;

export interface ContactRow {
  lead_id: number;
  person_id: number | null;
  name: string;
  email: string;
}
export const toContact = (r: ContactRow): PortalContact => ({ leadId: Number(r.lead_id), personId: num(r.person_id), name: r.name, email: r.email });
