/**
 * Proposal templates on PostgreSQL, and the number a new proposal gets (its rows are shared: src/store/rows/proposals.ts).
 *
 * A proposal's id is its number, shown to people (`#12`) and on its PDF: it stays gap-free, as
 * SQLite's rowid is (a rolled-back send takes no number). A PostgreSQL sequence is not
 * transactional, so the id is max(id) + 1, given explicitly: the services insert inside a write
 * transaction, which holds the database-wide write lock, so two processes never read the same max.
 */
import type { ProposalFile, ProposalTemplate } from '../../domain/proposals.js';
import { proposalsRepoOn } from '../rows/proposals.js';
import { rowSql } from './orders.js';
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

/** Proposals on PostgreSQL: the shared repository of src/store/rows/proposals.ts, numbered max + 1 (see above). */
export function proposalsRepo(sql: PgSql): Store['proposals'] {
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
  return proposalsRepoOn(rowSql(sql), insertProposal);
}
