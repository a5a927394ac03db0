import { examples, type Register } from '../shared.js';
import { registerAuditList } from './list.js';

export const registerAudit: Register = (program, context) => {
  const audit = program.command('audit').description('the audit log (admins only): contact views, exports and erasures, backups, restores, role changes, AI agent calls').addHelpText('after', examples('crm audit list --since 2026-12-01', 'crm audit list --contact 12'));
  registerAuditList(audit, context);
};
