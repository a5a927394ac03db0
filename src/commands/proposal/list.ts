import type { Command } from 'commander';
import { printList } from '../../io/output.js';
import { MAX_LIST_ROWS, parseId } from '../../services/leads/normalize.js';
import { listProposals } from '../../services/proposals/service.js';
import { examples, outputFlags, pageFlags, pageOf, pageRows, type Register } from '../shared.js';
import { proposalColumns, proposalJson } from './render.js';

export const registerProposalList: Register = (parent, context) => {
  outputFlags(
    pageFlags(parent.command('list').alias('ls').description('proposals, newest first').addHelpText('after', examples('crm proposal list --status sent,viewed', 'crm proposal list --lead 12'))
      .option('--status <status>', 'draft, pending-approval, sent, viewed, accepted, rejected, expired (comma-separated)')
      .option('--lead <id>', 'of this lead')
      , 100, 'proposals'),
    { quiet: true, list: true },
  ).action(async (opts: { status?: string; lead?: string; limit?: string; all?: boolean; json?: boolean; quiet?: boolean }, c: Command) => {
    const ctx = context(c);
    const page = pageOf(opts, ctx.io.isStdoutTTY, 100);
    const limit = page.limit === undefined ? MAX_LIST_ROWS : page.limit + (page.paged ? 1 : 0);
    const shown = pageRows(await listProposals(await ctx.services(), { status: opts.status, lead: opts.lead === undefined ? undefined : parseId(opts.lead, 'lead'), limit }), page);
    await printList(ctx.io, { ...opts, footer: shown.footer }, shown.rows, proposalColumns, proposalJson, 'No proposals (crm proposal send --lead ID --template NAME).');
  });
};
