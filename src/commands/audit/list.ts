import { formatTimestamp } from '../../io/format.js';
import { printList, type Column } from '../../io/output.js';
import type { AuditEntry } from '../../domain/audit.js';
import { parseId } from '../../services/leads/normalize.js';
import { listAudit } from '../../services/audit/service.js';
import { timeZoneOf, tzOption } from '../followup/options.js';
import { examples, outputFlags, pageFlags, pageOf, pageRows, type Register } from '../shared.js';

/** The stable --json shape of an audit entry (docs/json.md). */
export function auditJson(e: AuditEntry) {
  return { id: e.id, at: e.at, user: e.user, action: e.action, leadId: e.leadId, detail: e.detail };
}

function auditColumns(tz: string): Column<AuditEntry>[] {
  return [
    { header: 'ID', cell: (e) => e.id },
    { header: 'AT', cell: (e) => formatTimestamp(e.at, tz) },
    { header: 'USER', cell: (e) => e.user ?? '-' },
    { header: 'ACTION', cell: (e) => e.action },
    { header: 'LEAD', cell: (e) => e.leadId ?? '' },
    { header: 'DETAIL', cell: (e) => Object.entries(e.detail).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ') },
  ];
}

export const registerAuditList: Register = (parent, context) => {
  const cmd = tzOption(
    parent
      .command('list')
      .alias('ls')
      .description('who viewed, exported or erased contacts, backups, restores, role changes and AI agent calls, newest first (admins only)')
      .addHelpText('after', examples('crm audit list --since 2026-12-01', 'crm audit list --contact 12 --json', 'crm audit list --user priya@acme.example --action mcp.call'))
      .option('--user <email>', 'done by this user')
      .option('--contact <id>', 'about this lead or customer')
      .option('--since <time>', 'at or after (a date means that day’s start)')
      .option('--action <action>', 'only this action: contact.view, contact.export, contact.erase, backup, restore, user.role, mcp.call'),
  );
  pageFlags(cmd, 200, 'entries');
  outputFlags(cmd, { quiet: true, list: true }).action(async (opts: { user?: string; contact?: string; since?: string; action?: string; limit?: string; all?: boolean; tz?: string; json?: boolean; quiet?: boolean; format?: string }, c) => {
    const ctx = context(c);
    const tz = await timeZoneOf(ctx, opts.tz);
    const svc = await ctx.services();
    const page = pageOf(opts, ctx.io.isStdoutTTY, 200);
    const limit = page.limit === undefined ? undefined : page.limit + (page.paged ? 1 : 0);
    const rows = await listAudit(svc, { user: opts.user, lead: opts.contact === undefined ? undefined : parseId(opts.contact), since: opts.since, action: opts.action, limit }, { timeZone: tz });
    const shown = pageRows(rows, page);
    await printList(ctx.io, { ...opts, footer: shown.footer }, shown.rows, auditColumns(tz), auditJson, 'No audit entries match.');
  });
};
