import { printJson } from '../../io/output.js';
import { parseId } from '../../services/leads/normalize.js';
import { showFollowUp } from '../../services/followups/service.js';
import { examples, outputFlags, type Register } from '../shared.js';
import { timeZoneOf, tzOption } from './options.js';
import { followUpJson, logJson, printFollowUp, reminderJson } from './render.js';

export const registerFollowUpShow: Register = (parent, context) => {
  const cmd = tzOption(parent.command('show').description('show a follow-up with its log and reminders').addHelpText('after', examples('crm followup show 7', 'crm followup show 7 --json')).argument('<id>', 'follow-up id'));
  outputFlags(cmd).action(async (rawId: string, opts: { tz?: string; json?: boolean }, c) => {
    const ctx = context(c);
    const tz = await timeZoneOf(ctx, opts.tz);
    const svc = await ctx.services();
    const { followUp, logs, reminders } = await showFollowUp(svc, parseId(rawId, 'follow-up'));
    if (opts.json) printJson(ctx.io, { ...followUpJson(followUp, svc.now), reminders: reminders.map(reminderJson), logs: logs.map(logJson) });
    else await printFollowUp(ctx, followUp, logs, reminders, tz);
  });
};
