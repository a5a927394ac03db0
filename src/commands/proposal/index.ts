import { examples, type Register } from '../shared.js';
import { registerProposalApprove } from './approve.js';
import { registerProposalList } from './list.js';
import { registerProposalMark } from './mark.js';
import { registerProposalPdf } from './pdf.js';
import { registerProposalRevise } from './revise.js';
import { registerProposalSend } from './send.js';
import { registerProposalShow } from './show.js';
import { registerProposalTemplate } from './template.js';

export const registerProposal: Register = (program, context) => {
  const proposal = program.command('proposal').description('proposals and quotations: templates, send, track, approve, revise, PDF').addHelpText('after', examples('crm proposal send --lead 12 --template standard --items items.csv', 'crm proposal list --status sent', 'crm proposal mark 4 accepted'));
  for (const r of [registerProposalTemplate, registerProposalSend, registerProposalList, registerProposalShow, registerProposalPdf, registerProposalMark, registerProposalApprove, registerProposalRevise]) {
    r(proposal, context);
  }
};
