/**
 * Proposals as both backends read and write them: the same SQL text on SQLite and PostgreSQL,
 * run through the small async adapter of src/store/rows/orders.ts. How a new proposal gets its
 * number is the backend's (SQLite's rowid; PostgreSQL's max + 1 under the write lock), so each
 * passes its own `insertProposal`. Templates stay per backend (their attachments are read
 * differently).
 */
import type { NewProposalRevision, Proposal, ProposalEvent, ProposalItem, ProposalRevision, ProposalStatus } from '../../domain/proposals.js';
import type { Store } from '../types.js';
import type { RowSql } from './orders.js';

interface RevisionCols {
  subject: string;
  body: string;
  cc: string;
  bcc: string;
  currency: string;
  items: string;
  subtotal_minor: number;
  discount_minor: number;
  tax_minor: number;
  total_minor: number;
  valid_until: string | null;
}
interface ProposalRow extends RevisionCols {
  id: number;
  lead_id: number;
  lead_name: string;
  template_id: number | null;
  template_name: string;
  status: ProposalStatus;
  revision: number;
  created_by_email: string | null;
  created_at: string;
  updated_at: string;
  sent_at: string | null;
  decided_at: string | null;
}
interface RevisionRow extends RevisionCols {
  proposal_id: number;
  revision: number;
  created_by_email: string | null;
  created_at: string;
  sent_at: string | null;
  approved_by_email: string | null;
  approved_at: string | null;
}

const SELECT_PROPOSAL = `SELECT p.*, l.name AS lead_name, u.email AS created_by_email,
    r.subject, r.body, r.cc, r.bcc, r.currency, r.items, r.subtotal_minor, r.discount_minor, r.tax_minor, r.total_minor, r.valid_until
  FROM proposals p
  JOIN leads l ON l.id = p.lead_id
  JOIN proposal_revisions r ON r.proposal_id = p.id AND r.revision = p.revision
  LEFT JOIN users u ON u.id = p.created_by`;

const revisionFields = (r: RevisionCols) => ({
  subject: r.subject, body: r.body, cc: JSON.parse(r.cc) as string[], bcc: JSON.parse(r.bcc) as string[], currency: r.currency,
  items: JSON.parse(r.items) as ProposalItem[], subtotalMinor: r.subtotal_minor, discountMinor: r.discount_minor, taxMinor: r.tax_minor,
  totalMinor: r.total_minor, validUntil: r.valid_until,
});

const toProposal = (r: ProposalRow): Proposal => ({
  id: r.id, leadId: r.lead_id, leadName: r.lead_name, templateId: r.template_id, templateName: r.template_name, status: r.status, revision: r.revision,
  ...revisionFields(r), createdBy: r.created_by_email, createdAt: r.created_at, updatedAt: r.updated_at, sentAt: r.sent_at, decidedAt: r.decided_at,
});

/** The new proposal's row (revision 1), numbered as the backend numbers them: its id. */
export type InsertProposal = (p: Parameters<Store['proposals']['insert']>[0], at: string) => Promise<number>;

export function proposalsRepoOn(sql: RowSql, insertProposal: InsertProposal): Store['proposals'] {
  const insertRevision = (id: number, revision: number, rev: NewProposalRevision) =>
    sql.run(
      `INSERT INTO proposal_revisions (proposal_id, revision, subject, body, cc, bcc, currency, items, subtotal_minor, discount_minor, tax_minor, total_minor, valid_until, created_by, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      id, revision, rev.subject, rev.body, JSON.stringify(rev.cc), JSON.stringify(rev.bcc), rev.currency, JSON.stringify(rev.items),
      rev.subtotalMinor, rev.discountMinor, rev.taxMinor, rev.totalMinor, rev.validUntil, rev.createdBy, rev.createdAt,
    );
  return {
    async insert(p, rev, at) {
      const id = await insertProposal(p, at);
      await insertRevision(id, 1, rev);
      return id;
    },
    async addRevision(id, rev) {
      const { n } = (await sql.get<{ n: number }>('SELECT coalesce(max(revision), 0) + 1 AS n FROM proposal_revisions WHERE proposal_id = ?', id))!;
      await insertRevision(id, n, rev);
      await sql.run('UPDATE proposals SET revision = ?, updated_at = ? WHERE id = ?', n, rev.createdAt, id);
      return n;
    },
    async update(id, patch, at) {
      const sets: string[] = ['updated_at = ?'];
      const vals: unknown[] = [at];
      if (patch.status !== undefined) sets.push('status = ?'), vals.push(patch.status);
      if (patch.sentAt !== undefined) sets.push('sent_at = ?'), vals.push(patch.sentAt);
      if (patch.decidedAt !== undefined) sets.push('decided_at = ?'), vals.push(patch.decidedAt);
      await sql.run(`UPDATE proposals SET ${sets.join(', ')} WHERE id = ?`, ...vals, id);
    },
    async markRevisionSent(id, revision, at, approvedBy) {
      if (approvedBy === undefined) await sql.run('UPDATE proposal_revisions SET sent_at = ? WHERE proposal_id = ? AND revision = ?', at, id, revision);
      else await sql.run('UPDATE proposal_revisions SET sent_at = ?, approved_by = ?, approved_at = ? WHERE proposal_id = ? AND revision = ?', at, approvedBy, at, id, revision);
    },
    async get(id) {
      const r = await sql.get<ProposalRow>(`${SELECT_PROPOSAL} WHERE p.id = ?`, id);
      return r && toProposal(r);
    },
    async list(q) {
      const where: string[] = [];
      const vals: unknown[] = [];
      if (q.statuses?.length) where.push(`p.status IN (${q.statuses.map(() => '?').join(',')})`), vals.push(...q.statuses);
      if (q.leadId !== undefined) where.push('p.lead_id = ?'), vals.push(q.leadId);
      if (q.visibleTo !== undefined) where.push('EXISTS (SELECT 1 FROM lead_assignees a WHERE a.lead_id = p.lead_id AND a.user_id = ?)'), vals.push(q.visibleTo);
      if (q.validBefore !== undefined) where.push('r.valid_until < ?'), vals.push(q.validBefore);
      if (q.validOnOrBefore !== undefined) where.push('r.valid_until <= ?'), vals.push(q.validOnOrBefore);
      const rows = await sql.all<ProposalRow>(`${SELECT_PROPOSAL} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY p.id DESC LIMIT ?`, ...vals, q.limit ?? 1000);
      return rows.map(toProposal);
    },
    async revisions(id) {
      const rows = await sql.all<RevisionRow>(
        `SELECT r.*, u.email AS created_by_email, a.email AS approved_by_email FROM proposal_revisions r
           LEFT JOIN users u ON u.id = r.created_by LEFT JOIN users a ON a.id = r.approved_by
          WHERE r.proposal_id = ? ORDER BY r.revision`, id,
      );
      return rows.map((r): ProposalRevision => ({
        proposalId: r.proposal_id, revision: r.revision, ...revisionFields(r), createdBy: r.created_by_email, createdAt: r.created_at,
        sentAt: r.sent_at, approvedBy: r.approved_by_email, approvedAt: r.approved_at,
      }));
    },
    async addEvent(e) {
      await sql.run('INSERT INTO proposal_events (proposal_id, revision, event, status, at, user_id, note) VALUES (?, ?, ?, ?, ?, ?, ?)', e.proposalId, e.revision, e.event, e.status, e.at, e.userId, e.note);
    },
    async moveToLead(fromLeadId, toLeadId) {
      await sql.run('UPDATE proposals SET lead_id = ? WHERE lead_id = ?', toLeadId, fromLeadId);
    },
    async events(id) {
      const rows = await sql.all<{ id: number; proposal_id: number; revision: number; event: string; status: ProposalStatus; at: string; user_id: number | null; user: string | null; note: string | null }>(
        'SELECT e.*, u.email AS user FROM proposal_events e LEFT JOIN users u ON u.id = e.user_id WHERE e.proposal_id = ? ORDER BY e.at, e.id', id,
      );
      return rows.map((e): ProposalEvent => ({ id: e.id, proposalId: e.proposal_id, revision: e.revision, event: e.event, status: e.status, at: e.at, userId: e.user_id, user: e.user, note: e.note }));
    },
  };
}
