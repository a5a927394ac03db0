import { printJson } from '../../io/output.js';
import { parseId } from '../../services/leads/normalize.js';
import { editFollowUp } from '../../services/followups/service.js';
import { examples, outputFlags, type Register } from '../shared.js';
import { followUpFieldOptions, timeZoneOf, type FollowUpFieldFlags } from './options.js';
import { followUpJson } from './render.js';

export const registerFollowUpEdit: Register = (parent, context) => {
  // --no-notify after --notify, so that leaving both out leaves the reminders alone.
  const cmd = followUpFieldOptions(
    parent
      .command('edit')
      .description('change a scheduled or open follow-up (reminders follow a new start)').addHelpText('after', examples('crm followup edit 7 --start "friday 15:00" --duration 1h', 'crm followup edit 7 --priority high --no-notify'))
      .argument('<id>', 'follow-up id')
      .option('--status <status>', 'scheduled | open'),
  ).option('--no-notify', 'drop all reminders');
  outputFlags(cmd).action(async (rawId: string, opts: Omit<FollowUpFieldFlags, 'notify'> & { notify?: string[] | false; status?: string; json?: boolean }, c) => {
    const ctx = context(c);
    const tz = await timeZoneOf(ctx, opts.tz);
    const svc = await ctx.services();
    const f = await editFollowUp(svc, parseId(rawId, 'follow-up'), {
      title: opts.title, type: opts.type, start: opts.start, end: opts.end, duration: opts.duration, priority: opts.priority,
      category: opts.category, description: opts.description, assign: opts.assign,
      notify: opts.notify === false ? [] : Array.isArray(opts.notify) ? opts.notify : undefined, channels: opts.channel, status: opts.status,
    }, { timeZone: tz });
    if (opts.json) printJson(ctx.io, followUpJson(f, svc.now));
    else ctx.io.out(`Updated follow-up ${f.id}: ${f.title}`);
  });
};
