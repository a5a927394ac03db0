import type { Command } from 'commander';
import { printJson } from '../../io/output.js';
import { parseId } from '../../services/leads/normalize.js';
import { reviseProposal } from '../../services/proposals/service.js';
import { examples, outputFlags, type Register } from '../shared.js';
import { sentJson, sentLine } from './render.js';

export const registerProposalRevise: Register = (parent, context) => {
  outputFlags(
    parent.command('revise').description('make the next revision (the earlier ones are kept) and send it again').addHelpText('after', examples('crm proposal revise 4 --items items-v2.csv --valid-until 2027-01-31', 'crm proposal revise 4 --draft')).argument('<id>')
      .option('--items <csv>', 'new line items (default: the current ones)')
      .option('--valid-until <date>', 'new last valid day: 2027-01-31, 31/01/2027, "end of month"… (crm help dates)')
      .option('--draft', 'keep the new revision as a draft'),
  ).action(async (raw: string, opts: { items?: string; validUntil?: string; draft?: boolean; json?: boolean }, c: Command) => {
    const ctx = context(c);
    const r = await reviseProposal(await ctx.services(), parseId(raw, 'proposal'), opts);
    if (opts.json) printJson(ctx.io, sentJson(r));
    else ctx.io.out(sentLine(r));
  });
};
