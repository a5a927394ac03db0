import type { Command } from 'commander';
import { printJson } from '../../io/output.js';
import { parseId } from '../../services/leads/normalize.js';
import { markProposal } from '../../services/proposals/service.js';
import { examples, outputFlags, type Register } from '../shared.js';
import { proposalJson } from './render.js';

export const registerProposalMark: Register = (parent, context) => {
  outputFlags(
    parent.command('mark').description("record the client's answer: viewed, accepted or rejected").addHelpText('after', examples('crm proposal mark 4 accepted --note "signed on the call"', 'crm proposal mark 4 rejected --note "over budget"')).argument('<id>').argument('<status>', 'viewed | accepted | rejected')
      .option('--note <text>', 'why, what they said'),
  ).action(async (raw: string, status: string, opts: { note?: string; json?: boolean }, c: Command) => {
    const ctx = context(c);
    const p = await markProposal(await ctx.services(), parseId(raw, 'proposal'), status, opts.note);
    if (opts.json) printJson(ctx.io, proposalJson(p));
    else ctx.io.out(`Proposal ${p.id} marked ${p.status}`);
  });
};
