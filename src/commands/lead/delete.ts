import { printJson } from '../../io/output.js';
import { parseId } from '../../services/leads/normalize.js';
import { deleteLeads, restoreLead } from '../../services/leads/service.js';
import { confirmed, examples, outputFlags, type Register } from '../shared.js';
import { leadJson } from './render.js';

export const registerLeadDelete: Register = (parent, context) => {
  const cmd = parent
    .command('delete')
    .alias('rm')
    .description('delete leads (soft: crm lead restore brings them back)').addHelpText('after', examples('crm lead delete 12', 'crm lead list --status junk -q | xargs crm lead delete --yes'))
    .argument('<ids...>', 'lead ids');
  outputFlags(cmd).action(async (rawIds: string[], opts: { json?: boolean }, c) => {
    const ctx = context(c);
    const svc = await ctx.services();
    if (!(await confirmed(ctx, `Delete lead${rawIds.length > 1 ? 's' : ''} ${rawIds.join(', ')}? (crm lead restore brings them back)`))) return;
    const ids = await deleteLeads(svc, rawIds.map((r) => parseId(r)));
    if (opts.json) printJson(ctx.io, { deleted: ids });
    else ctx.io.out(`Deleted lead${ids.length > 1 ? 's' : ''} ${ids.join(', ')} (restore with crm lead restore <id>)`);
  });
};

export const registerLeadRestore: Register = (parent, context) => {
  const cmd = parent.command('restore').description('restore a deleted lead').addHelpText('after', examples('crm lead list --deleted', 'crm lead restore 12')).argument('<id>', 'lead id');
  outputFlags(cmd).action(async (rawId: string, opts: { json?: boolean }, c) => {
    const ctx = context(c);
    const svc = await ctx.services();
    const lead = await restoreLead(svc, parseId(rawId));
    if (opts.json) printJson(ctx.io, leadJson(lead));
    else ctx.io.out(`Restored lead ${lead.id}: ${lead.name}`);
  });
};
