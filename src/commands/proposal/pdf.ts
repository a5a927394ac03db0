import type { Command } from 'commander';
import { printJson } from '../../io/output.js';
import { parseId } from '../../services/leads/normalize.js';
import { proposalPdf } from '../../services/proposals/service.js';
import { writeDocument } from '../pdf-output.js';
import { examples, outputFlags, type Register } from '../shared.js';

export const registerProposalPdf: Register = (parent, context) => {
  outputFlags(
    parent.command('pdf').description("write a proposal's PDF").addHelpText('after', examples('crm proposal pdf 4', 'crm proposal pdf 4 --revision 1 -o quote-v1.pdf')).argument('<id>')
      .option('-o, --output <file>', 'where to write it (default proposal-ID.pdf; - for stdout)')
      .option('--revision <n>', 'an earlier revision'),
  ).action(async (raw: string, opts: { output?: string; revision?: string; json?: boolean }, c: Command) => {
    const ctx = context(c);
    const revision = opts.revision === undefined ? undefined : parseId(opts.revision, 'revision');
    const r = await proposalPdf(await ctx.services(), parseId(raw, 'proposal'), revision);
    const file = writeDocument(ctx.io, r.pdf, opts.output, r.filename, !!opts.json);
    if (file === null) return;
    if (opts.json) printJson(ctx.io, { id: r.proposal.id, revision: r.proposal.revision, file, bytes: r.pdf.length });
    else ctx.io.out(`Wrote ${file} (proposal ${r.proposal.id}, revision ${r.proposal.revision}, ${r.pdf.length} bytes)`);
  });
};
