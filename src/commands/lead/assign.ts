import { printJson } from '../../io/output.js';
import { parseId } from '../../services/leads/normalize.js';
import { assignLead } from '../../services/leads/service.js';
import { collect, examples, outputFlags, type Register } from '../shared.js';
import { leadJson } from './render.js';

export const registerLeadAssign: Register = (parent, context) => {
  const cmd = parent
    .command('assign')
    .description('set who a lead is assigned to (managers and admins)').addHelpText('after', examples('crm lead assign 12 --to ravi@acme.example', 'crm lead assign 12 --add priya@acme.example --remove tom@acme.example'))
    .argument('<id>', 'lead id')
    .option('--to <email>', 'replace the assignees with these users', collect)
    .option('--add <email>', 'add assignees', collect)
    .option('--remove <email>', 'remove assignees', collect);
  outputFlags(cmd).action(async (rawId: string, opts: { to?: string[]; add?: string[]; remove?: string[]; json?: boolean }, c) => {
    const ctx = context(c);
    const svc = await ctx.services();
    const lead = await assignLead(svc, parseId(rawId), opts);
    if (opts.json) printJson(ctx.io, leadJson(lead));
    else ctx.io.out(`Lead ${lead.id} is assigned to ${lead.assignees.map((a) => a.email).join(', ') || 'nobody'}`);
  });
};
