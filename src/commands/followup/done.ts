import { printJson } from '../../io/output.js';
import { parseId } from '../../services/leads/normalize.js';
import { cancelFollowUp, completeFollowUp } from '../../services/followups/service.js';
import { examples, outputFlags, type Register } from '../shared.js';
import { followUpJson } from './render.js';

export const registerFollowUpDone: Register = (parent, context) => {
  const cmd = parent.command('done').description('mark a follow-up completed').addHelpText('after', examples('crm followup done 7 --note "Sent the quote"')).argument('<id>', 'follow-up id').option('--note <text>', 'what came of it (kept in its log)');
  outputFlags(cmd).action(async (rawId: string, opts: { note?: string; json?: boolean }, c) => {
    const ctx = context(c);
    const svc = await ctx.services();
    const f = await completeFollowUp(svc, parseId(rawId, 'follow-up'), opts.note);
    if (opts.json) printJson(ctx.io, followUpJson(f, svc.now));
    else ctx.io.out(`Completed follow-up ${f.id}: ${f.title}`);
  });
};

export const registerFollowUpCancel: Register = (parent, context) => {
  const cmd = parent.command('cancel').description('cancel a follow-up (its reminders are dropped)').addHelpText('after', examples('crm followup cancel 7 --reason "the lead went quiet"')).argument('<id>', 'follow-up id').option('--reason <text>', 'why');
  outputFlags(cmd).action(async (rawId: string, opts: { reason?: string; json?: boolean }, c) => {
    const ctx = context(c);
    const svc = await ctx.services();
    const f = await cancelFollowUp(svc, parseId(rawId, 'follow-up'), opts.reason);
    if (opts.json) printJson(ctx.io, followUpJson(f, svc.now));
    else ctx.io.out(`Cancelled follow-up ${f.id}: ${f.title}`);
  });
};
