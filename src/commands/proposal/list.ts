import type { Command } from 'commander';
import { printList } from '../../io/output.js';
import { parseId, parseCount } from '../../services/leads/normalize.js';
import { listProposals } from '../../services/proposals/service.js';
import { outputFlags, type Register } from '../shared.js';
import { proposalColumns, proposalJson } from './render.js';

export const registerProposalList: Register = (parent, context) => {
  outputFlags(
    parent.command('list').alias('ls').description('proposals, newest first')
      .option('--status <status>', 'draft, pending-approval, sent, viewed, accepted, rejected, expired (comma-separated)')
      .option('--lead <id>', 'of this lead')
      .option('--limit <n>', 'at most this many', '100'),
    { quiet: true },
  ).action(async (opts: { status?: string; lead?: string; limit: string; json?: boolean; quiet?: boolean }, c: Command) => {
    const ctx = context(c);
    const limit = parseCount(opts.limit, '--limit', 1);
    const rows = await listProposals(await ctx.services(), { status: opts.status, lead: opts.lead === undefined ? undefined : parseId(opts.lead, 'lead'), limit });
    await printList(ctx.io, { ...opts, limit }, rows, proposalColumns, proposalJson, 'No proposals (crm proposal send --lead ID --template NAME).');
  });
};
