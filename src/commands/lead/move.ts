import { UsageError } from '../../errors.js';
import { printJson } from '../../io/output.js';
import { parseId } from '../../services/leads/normalize.js';
import { getLead, moveLead } from '../../services/leads/service.js';
import { findStage } from '../../services/lookup.js';
import { outputFlags, type Register } from '../shared.js';
import { leadJson } from './render.js';

export const registerLeadMove: Register = (parent, context) => {
  const cmd = parent
    .command('move')
    .description('move a lead to another pipeline stage (a won stage converts it to a customer)')
    .argument('<id>', 'lead id')
    .argument('[stage]', 'target stage (or --stage)')
    .option('--stage <stage>', 'target stage')
    .option('--reason <text>', 'why (required when moving to a lost stage)')
    .option('--order-id <id>', 'the order that won it (asked on a terminal when moving to a won stage)')
    .addHelpText('after', '\nExamples:\n  crm lead move 12 Demo\n  crm lead move 12 Lost --reason "went with a competitor"\n  crm lead move 12 Won --order-id SO-1042');
  outputFlags(cmd).action(async (rawId: string, stageArg: string | undefined, opts: { stage?: string; reason?: string; orderId?: string; json?: boolean }, c) => {
    const ctx = context(c);
    if (stageArg && opts.stage && stageArg.trim().toLowerCase() !== opts.stage.trim().toLowerCase()) {
      throw new UsageError(`two stages given: '${stageArg}' and --stage '${opts.stage}'`, 'give the stage once');
    }
    const stageName = stageArg ?? opts.stage;
    if (!stageName) throw new UsageError('which stage?', `crm lead move ${rawId} Qualified (or --stage Qualified)`);
    const svc = await ctx.services();
    const id = parseId(rawId);
    let orderId = opts.orderId;
    if (orderId === undefined && ctx.io.isInteractive) {
      const [stage, lead] = [await findStage(svc.store, stageName), await getLead(svc, id)];
      if (stage.outcome === 'won' && lead.type === 'lead' && lead.status === 'active') orderId = await ctx.prompter.optional(`Order id for ${lead.name} (Enter for none)`);
    }
    const lead = await moveLead(svc, id, stageName, opts.reason, { orderId });
    if (opts.json) printJson(ctx.io, leadJson(lead));
    else ctx.io.out(`Lead ${lead.id} is now in ${lead.stage}${lead.type === 'customer' && lead.convertedAt === svc.now.toISOString() ? ' and a customer' : ''}`);
  });
};
