import { UsageError } from '../../errors.js';
import { printJson } from '../../io/output.js';
import { parseId } from '../../services/leads/normalize.js';
import { moveLead } from '../../services/leads/service.js';
import { outputFlags, type Register } from '../shared.js';
import { leadJson } from './render.js';

export const registerLeadMove: Register = (parent, context) => {
  const cmd = parent
    .command('move')
    .description('move a lead to another pipeline stage')
    .argument('<id>', 'lead id')
    .option('--stage <stage>', 'target stage')
    .option('--reason <text>', 'why (required when moving to a lost stage)');
  outputFlags(cmd).action(async (rawId: string, opts: { stage?: string; reason?: string; json?: boolean }, c) => {
    const ctx = context(c);
    if (!opts.stage) throw new UsageError('--stage is required', `crm lead move ${rawId} --stage Qualified`);
    const svc = await ctx.services();
    const lead = await moveLead(svc, parseId(rawId), opts.stage, opts.reason);
    if (opts.json) printJson(ctx.io, leadJson(lead));
    else ctx.io.out(`Lead ${lead.id} is now in ${lead.stage}`);
  });
};
