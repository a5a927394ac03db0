import type { Command } from 'commander';
import { printJson } from '../../io/output.js';
import { parseId } from '../../services/leads/normalize.js';
import { sendProposal } from '../../services/proposals/service.js';
import { collect, examples, outputFlags, type Register } from '../shared.js';
import { sentJson, sentLine } from './render.js';

export const registerProposalSend: Register = (parent, context) => {
  outputFlags(
    parent.command('send').description('send a proposal to a lead by email (or send draft ID)').addHelpText('after', examples('crm proposal send --lead 12 --template standard --items items.csv --valid-until 2026-12-31', 'crm proposal send --lead 12 --template standard --items items.csv --draft', 'crm proposal send 4')).argument('[id]', 'a draft to send')
      .option('--lead <id>', 'the lead (it needs an email address)')
      .option('--template <name>', 'the template')
      .option('--cc <emails>', "copy to, instead of the template's (repeatable or comma-separated)", collect)
      .option('--bcc <emails>', "blind copy to, instead of the template's", collect)
      .option('--valid-until <date>', 'last valid day: 2026-12-31, 31/12/2026, "end of month"… (default: today + proposal.valid-days; crm help dates)')
      .option('--items <csv>', 'line items: description,quantity,unit_price,discount,tax')
      .option('--draft', 'store it as a draft; send it later with crm proposal send ID'),
  ).action(async (raw: string | undefined, opts: { lead?: string; template?: string; cc?: string[]; bcc?: string[]; validUntil?: string; items?: string; draft?: boolean; json?: boolean }, c: Command) => {
    const ctx = context(c);
    const r = await sendProposal(await ctx.services(), {
      id: raw === undefined ? undefined : parseId(raw, 'proposal'), lead: opts.lead === undefined ? undefined : parseId(opts.lead, 'lead'),
      template: opts.template, cc: opts.cc, bcc: opts.bcc, validUntil: opts.validUntil, items: opts.items, draft: opts.draft,
    });
    if (opts.json) printJson(ctx.io, sentJson(r));
    else ctx.io.out(sentLine(r));
  });
};
