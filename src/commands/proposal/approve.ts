import type { Command } from 'commander';
import { printJson } from '../../io/output.js';
import { parseId } from '../../services/leads/normalize.js';
import { approveProposal } from '../../services/proposals/service.js';
import { examples, outputFlags, type Register } from '../shared.js';
import { sentJson, sentLine } from './render.js';

export const registerProposalApprove: Register = (parent, context) => {
  outputFlags(parent.command('approve').description('approve and send a proposal waiting for approval (managers, admins)').addHelpText('after', examples('crm proposal approve 4 --note "discount agreed with finance"')).argument('<id>').option('--note <text>', 'a note for the history')).action(
    async (raw: string, opts: { note?: string; json?: boolean }, c: Command) => {
      const ctx = context(c);
      const r = await approveProposal(await ctx.services(), parseId(raw, 'proposal'), opts.note);
      if (opts.json) printJson(ctx.io, sentJson(r));
      else ctx.io.out(`Approved. ${sentLine(r)}`);
    },
  );
};
