import type { ProposalFile, ProposalTemplate } from '../../domain/proposals.js';
import { proposalsRepoOn } from '../rows/proposals.js';
import { rowSql } from './orders.js';
import type { Store } from '../types.js';
import type { Sql } from './index.js';

interface TemplateRow {
  id: number;
  name: string;
  subject: string;
  body: string;
  cc: string;
  bcc: string;
  created_by_email: string | null;
  created_at: string;
}

const SELECT_TEMPLATE = 'SELECT t.*, u.email AS created_by_email FROM proposal_templates t LEFT JOIN users u ON u.id = t.created_by';

export function proposalTemplatesRepo(sql: Sql): Store['proposalTemplates'] {
  const toTemplate = (r: TemplateRow): ProposalTemplate => ({
    id: r.id, name: r.name, subject: r.subject, body: r.body, cc: JSON.parse(r.cc) as string[], bcc: JSON.parse(r.bcc) as string[],
    attachments: sql.all<{ filename: string; content_type: string; bytes: number }>('SELECT filename, content_type, length(content) AS bytes FROM proposal_template_files WHERE template_id = ? ORDER BY id', r.id)
      .map((f) => ({ filename: f.filename, contentType: f.content_type, bytes: f.bytes })),
    createdBy: r.created_by_email, createdAt: r.created_at,
  });
  return {
    async insert(t, files, at) {
      const res = sql.run('INSERT INTO proposal_templates (name, subject, body, cc, bcc, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        t.name, t.subject, t.body, JSON.stringify(t.cc), JSON.stringify(t.bcc), t.createdBy, at);
      const id = Number(res.lastInsertRowid);
      for (const f of files) sql.run('INSERT INTO proposal_template_files (template_id, filename, content_type, content) VALUES (?, ?, ?, ?)', id, f.filename, f.contentType, f.content);
      return id;
    },
    async get(id) {
      const r = sql.get<TemplateRow>(`${SELECT_TEMPLATE} WHERE t.id = ?`, id);
      return r && toTemplate(r);
    },
    async byName(name) {
      const r = sql.get<TemplateRow>(`${SELECT_TEMPLATE} WHERE t.name = ? COLLATE NOCASE`, name);
      return r && toTemplate(r);
    },
    async list() {
      return sql.all<TemplateRow>(`${SELECT_TEMPLATE} ORDER BY t.name COLLATE NOCASE`).map(toTemplate);
    },
    async files(id) {
      return sql.all<{ filename: string; content_type: string; content: Buffer }>('SELECT filename, content_type, content FROM proposal_template_files WHERE template_id = ? ORDER BY id', id)
        .map((f): ProposalFile => ({ filename: f.filename, contentType: f.content_type, content: f.content }));
    },
    async remove(id) {
      sql.run('DELETE FROM proposal_templates WHERE id = ?', id);
    },
  };
}

/** Proposals on SQLite: the shared repository of src/store/rows/proposals.ts, numbered by the rowid. */
export function proposalsRepo(sql: Sql): Store['proposals'] {
  const q = rowSql(sql);
  return proposalsRepoOn(q, async (p, at) =>
    q.insert('INSERT INTO proposals (lead_id, template_id, template_name, status, revision, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?, ?)',
      p.leadId, p.templateId, p.templateName, p.status, p.createdBy, at, at));
}
