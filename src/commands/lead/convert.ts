import { printJson } from '../../io/output.js';
import { parseId } from '../../services/leads/normalize.js';
import { convertLead } from '../../services/leads/service.js';
import { examples, outputFlags, type Register } from '../shared.js';
import { leadJson } from './render.js';

export const registerLeadConvert: Register = (parent, context) => {
  const cmd = parent
    .command('convert')
    .description('convert a lead into a customer (moves it to the won stage), optionally recording the order id').addHelpText('after', examples('crm lead convert 12 --order-id SO-1042', 'crm lead convert 12'))
    .argument('<id>', 'lead id')
    .option('--order-id <id>', 'the resulting order, e.g. SO-1042');
  outputFlags(cmd).action(async (rawId: string, opts: { orderId?: string; json?: boolean }, c) => {
    const ctx = context(c);
    const svc = await ctx.services();
    const lead = await convertLead(svc, parseId(rawId), opts.orderId);
    if (opts.json) printJson(ctx.io, leadJson(lead));
    else ctx.io.out(`Lead ${lead.id} is now a customer (${lead.stage}${lead.orderId ? `, order ${lead.orderId}` : ''})`);
  });
};
