import type { Register } from '../shared.js';
import { registerProposalApprove } from './approve.js';
import { registerProposalList } from './list.js';
import { registerProposalMark } from './mark.js';
import { registerProposalPdf } from './pdf.js';
import { registerProposalRevise } from './revise.js';
import { registerProposalSend } from './send.js';
import { registerProposalShow } from './show.js';
import { registerProposalTemplate } from './template.js';

export const registerProposal: Register = (program, context) => {
  const proposal = program.command('proposal').description('proposals and quotations: templates, send, track, approve, revise, PDF (P1, P2)');
  for (const r of [registerProposalTemplate, registerProposalSend, registerProposalList, registerProposalShow, registerProposalPdf, registerProposalMark, registerProposalApprove, registerProposalRevise]) {
    r(proposal, context);
  }
};
