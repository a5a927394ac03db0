import { UsageError } from '../../errors.js';
import { printJson } from '../../io/output.js';
import { parseId } from '../../services/leads/normalize.js';
import { mergeLeads } from '../../services/leads/service.js';
import { confirmed, examples, outputFlags, type Register } from '../shared.js';
import { leadJson } from './render.js';

export const registerLeadMerge: Register = (parent, context) => {
  const cmd = parent
    .command('merge')
    .description('merge one lead into another: contacts, tags, owners and timeline move over; the first is deleted').addHelpText('after', examples('crm lead merge 31 --into 12'))
    .argument('<id>', 'the lead to merge away')
    .option('--into <id>', 'the lead that remains');
  outputFlags(cmd).action(async (rawId: string, opts: { into?: string; json?: boolean }, c) => {
    const ctx = context(c);
    if (!opts.into) throw new UsageError('--into is required', `crm lead merge ${rawId} --into <id>`);
    const svc = await ctx.services();
    if (!(await confirmed(ctx, `Merge lead ${rawId} into lead ${opts.into}? Lead ${rawId} is deleted`))) return;
    const lead = await mergeLeads(svc, parseId(rawId), parseId(opts.into));
    if (opts.json) printJson(ctx.io, leadJson(lead));
    else ctx.io.out(`Merged lead ${rawId} into lead ${lead.id}: ${lead.name}`);
  });
};
