import { printJson } from '../../io/output.js';
import { formatTimestamp } from '../../io/format.js';
import { parseId } from '../../services/leads/normalize.js';
import { addFollowUp } from '../../services/followups/service.js';
import { examples, outputFlags, type Register } from '../shared.js';
import { followUpFieldOptions, timeZoneOf, type FollowUpFieldFlags } from './options.js';
import { followUpJson } from './render.js';

export const registerFollowUpAdd: Register = (parent, context) => {
  const cmd = followUpFieldOptions(
    parent
      .command('add')
      .description('schedule a follow-up on a lead (recurring with --every)').addHelpText('after', examples('crm followup add --lead 12 --title "Call back about pricing" --type call --start "tomorrow 10am" --notify 15m', 'crm followup add --lead 12 --title "Monthly check-in" --start "next monday 9:30" --every 30d --until 2027-06-30'))
      .option('--lead <id>', 'the lead (or customer) id')
      .option('--status <status>', 'scheduled | open', 'scheduled')
      .option('--every <days>', 'repeat every N days, e.g. 30d or 2w')
      .option('--until <date>', 'last day of the recurrence'),
  );
  outputFlags(cmd, { quiet: true }).action(async (opts: FollowUpFieldFlags & { lead?: string; status?: string; every?: string; until?: string; json?: boolean; quiet?: boolean }, c) => {
    const ctx = context(c);
    const tz = await timeZoneOf(ctx, opts.tz);
    const leadRaw = opts.lead ?? (await ctx.prompter.text('--lead', 'Lead id'));
    const title = opts.title ?? (await ctx.prompter.text('--title', 'Title'));
    const svc = await ctx.services();
    const r = await addFollowUp(svc, {
      leadId: parseId(leadRaw), title, type: opts.type, start: opts.start, end: opts.end, duration: opts.duration,
      priority: opts.priority, category: opts.category, description: opts.description, assign: opts.assign,
      notify: opts.notify, channels: opts.channel, status: opts.status, every: opts.every, until: opts.until,
    }, { timeZone: tz });
    if (opts.json) printJson(ctx.io, { ...followUpJson(r.followUp, svc.now), generated: r.generated });
    else if (opts.quiet) ctx.io.out(String(r.followUp.id));
    else {
      const f = r.followUp;
      ctx.io.out(`Added follow-up ${f.id} on lead ${f.leadId} (${f.leadName}): ${f.title}, ${formatTimestamp(f.startAt, tz)} ${tz}`);
      if (r.seriesId) ctx.io.out(`Recurring (series ${r.seriesId}); ${r.generated.length} more occurrence(s) generated ahead`);
    }
  });
};
