import type { Command } from 'commander';
import { printJson } from '../../io/output.js';
import { parseId } from '../../services/leads/normalize.js';
import { markProposal } from '../../services/proposals/service.js';
import { acceptProposalAsOrder } from '../../services/orders/service.js';
import { UsageError } from '../../errors.js';
import { formatMoney } from '../../io/format.js';
import { orderJson } from '../order/render.js';
import { examples, outputFlags, type Register } from '../shared.js';
import { proposalJson } from './render.js';

export const registerProposalMark: Register = (parent, context) => {
  outputFlags(
    parent.command('mark').description("record the client's answer: viewed, accepted or rejected").addHelpText('after', examples('crm proposal mark 4 accepted --note "signed on the call"', 'crm proposal mark 4 accepted --order', 'crm proposal mark 4 rejected --note "over budget"')).argument('<id>').argument('<status>', 'viewed | accepted | rejected')
      .option('--note <text>', 'why, what they said')
      .option('--order', 'with accepted: make a draft order of its lines in the same step (crm order bill bills it)'),
  ).action(async (raw: string, status: string, opts: { note?: string; order?: boolean; json?: boolean }, c: Command) => {
    const ctx = context(c);
    if (opts.order) {
      if (status.trim().toLowerCase() !== 'accepted') throw new UsageError('--order goes with accepted', 'crm proposal mark ID accepted --order');
      const r = await acceptProposalAsOrder(await ctx.services(), parseId(raw, 'proposal'), opts.note);
      if (opts.json) printJson(ctx.io, { ...proposalJson(r.proposal), order: orderJson(r.order) });
      else ctx.io.out(`Proposal ${r.proposal.id} marked accepted; order ${r.order.id} made from it (${formatMoney(r.order.totalMinor, r.order.currency)}, draft; bill it with crm order bill ${r.order.id})`);
      return;
    }
    const p = await markProposal(await ctx.services(), parseId(raw, 'proposal'), status, opts.note);
    if (opts.json) printJson(ctx.io, proposalJson(p));
    else ctx.io.out(`Proposal ${p.id} marked ${p.status}`);
  });
};
