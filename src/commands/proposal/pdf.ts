import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { printJson } from '../../io/output.js';
import { parseId } from '../../services/leads/normalize.js';
import { proposalPdf } from '../../services/proposals/service.js';
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
    const file = opts.output ?? r.filename;
    if (file === '-') {
      if (opts.json) throw new UsageError('--json and -o - both write to stdout', 'write the PDF to a file with -o FILE');
      ctx.io.stdout.write(r.pdf);
      return;
    }
    try {
      writeFileSync(file, r.pdf);
    } catch (err) {
      throw new UsageError(`cannot write '${file}': ${(err as Error).message}`, 'pick a writable path with -o');
    }
    if (opts.json) printJson(ctx.io, { id: r.proposal.id, revision: r.proposal.revision, file, bytes: r.pdf.length });
    else ctx.io.out(`Wrote ${file} (proposal ${r.proposal.id}, revision ${r.proposal.revision}, ${r.pdf.length} bytes)`);
  });
};
