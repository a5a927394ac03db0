/**
 * Proposal templates and proposals on PostgreSQL: the port of src/store/sqlite/proposals.ts.
 *
 * A proposal's id is its number, shown to people (`#12`) and on its PDF: it stays gap-free, as
 * SQLite's rowid is (a rolled-back send takes no number). A PostgreSQL sequence is not
 * transactional, so the id is max(id) + 1, given explicitly: the services insert inside a write
 * transaction, which holds the database-wide write lock, so two processes never read the same max.
 */
import type { NewProposalRevision, Proposal, ProposalEvent, ProposalFile, ProposalItem, ProposalRevision, ProposalStatus, ProposalTemplate } from '../../domain/proposals.js';
import { ConflictError } from '../../errors.js';
import type { Store } from '../types.js';
import type { PgSql } from './sql.js';

interface TemplateRow {
  id: number;
  name: string;
  subject: string;
  body: string;
  cc: string;
  bcc: string;
  created_by_email: string | null;
  created_at: string;
  attachments: ProposalTemplate['attachments'];
}

/** With its attachments' names and sizes (one round trip; SQLite reads them in a second query). */
const SELECT_TEMPLATE = `SELECT t.*, u.email AS created_by_email,
    coalesce((SELECT json_agg(json_build_object('filename', f.filename, 'contentType', f.content_type, 'bytes', octet_length(f.content)) ORDER BY f.id)
                FROM proposal_template_files f WHERE f.template_id = t.id), '[]') AS attachments
  FROM proposal_templates t LEFT JOIN users u ON u.id = t.created_by`;

export function proposalTemplatesRepo(sql: PgSql): Store['proposalTemplates'] {
  const toTemplate = (r: TemplateRow): ProposalTemplate => ({
    id: r.id, name: r.name, subject: r.subject, body: r.body, cc: JSON.parse(r.cc) as string[], bcc: JSON.parse(r.bcc) as string[],
    attachments: r.attachments, createdBy: r.created_by_email, createdAt: r.created_at,
  });
  return {
    async insert(t, files, at) {
      const id = await sql.insert('INSERT INTO proposal_templates (name, subject, body, cc, bcc, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        t.name, t.subject, t.body, JSON.stringify(t.cc), JSON.stringify(t.bcc), t.createdBy, at);
      for (const f of files) await sql.run('INSERT INTO proposal_template_files (template_id, filename, content_type, content) VALUES (?, ?, ?, ?)', id, f.filename, f.contentType, f.content);
      return id;
    },
    async get(id) {
      const r = await sql.get<TemplateRow>(`${SELECT_TEMPLATE} WHERE t.id = ?`, id);
      return r && toTemplate(r);
    },
    async byName(name) {
      const r = await sql.get<TemplateRow>(`${SELECT_TEMPLATE} WHERE t.name = ? COLLATE NOCASE`, name);
      return r && toTemplate(r);
    },
    async list() {
      return (await sql.all<TemplateRow>(`${SELECT_TEMPLATE} ORDER BY lower(t.name COLLATE "C")`)).map(toTemplate);
    },
    async files(id) {
      const rows = await sql.all<{ filename: string; content_type: string; content: Buffer }>('SELECT filename, content_type, content FROM proposal_template_files WHERE template_id = ? ORDER BY id', id);
      return rows.map((f): ProposalFile => ({ filename: f.filename, contentType: f.content_type, content: f.content }));
    },
    async remove(id) {
      await sql.run('DELETE FROM proposal_templates WHERE id = ?', id);
    },
  };
}

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

export function proposalsRepo(sql: PgSql): Store['proposals'] {
  const insertRevision = (id: number, revision: number, rev: NewProposalRevision) =>
    sql.run(
      `INSERT INTO proposal_revisions (proposal_id, revision, subject, body, cc, bcc, currency, items, subtotal_minor, discount_minor, tax_minor, total_minor, valid_until, created_by, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      id, revision, rev.subject, rev.body, JSON.stringify(rev.cc), JSON.stringify(rev.bcc), rev.currency, JSON.stringify(rev.items),
      rev.subtotalMinor, rev.discountMinor, rev.taxMinor, rev.totalMinor, rev.validUntil, rev.createdBy, rev.createdAt,
    );
  /** The next number: max + 1 under the write lock. Outside a transaction (no lock) a racing insert may take it first: try the next. */
  async function insertProposal(p: Parameters<Store['proposals']['insert']>[0], at: string): Promise<number> {
    for (let attempt = 0; ; attempt++) {
      const { n } = (await sql.get<{ n: number }>('SELECT coalesce(max(id), 0) + 1 AS n FROM proposals'))!;
      try {
        await sql.run(
          'INSERT INTO proposals (id, lead_id, template_id, template_name, status, revision, created_by, created_at, updated_at) OVERRIDING SYSTEM VALUE VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?)',
          n, p.leadId, p.templateId, p.templateName, p.status, p.createdBy, at, at,
        );
        return n;
      } catch (err) {
        if (!(err instanceof ConflictError) || sql.flow.getStore() !== undefined || attempt >= 5) throw err;
      }
    }
  }
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
