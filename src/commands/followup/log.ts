import { printJson } from '../../io/output.js';
import { parseId } from '../../services/leads/normalize.js';
import { logFollowUp } from '../../services/followups/service.js';
import { examples, outputFlags, type Register } from '../shared.js';
import { timeZoneOf, tzOption } from './options.js';

export const registerFollowUpLog: Register = (parent, context) => {
  const cmd = tzOption(
    parent
      .command('log')
      .description('add an entry to a follow-up’s log (several per follow-up)').addHelpText('after', examples('crm followup log 7 --type call --subject "No answer"', 'crm followup log 7 --type email --subject "Sent the brochure" --at "yesterday 16:00"'))
      .argument('<id>', 'follow-up id')
      .option('--type <type>', 'call | sms | meeting | email | note', 'note')
      .option('--subject <text>', 'short subject, e.g. "No answer"')
      .option('--description <text>', 'details')
      .option('--at <time>', 'when it happened (default now)'),
  );
  outputFlags(cmd).action(async (rawId: string, opts: { type?: string; subject?: string; description?: string; at?: string; tz?: string; json?: boolean }, c) => {
    const ctx = context(c);
    const tz = await timeZoneOf(ctx, opts.tz);
    const svc = await ctx.services();
    const entry = await logFollowUp(svc, parseId(rawId, 'follow-up'), opts, { timeZone: tz });
    if (opts.json) printJson(ctx.io, entry);
    else ctx.io.out(`Logged ${entry.type} on follow-up ${entry.followUpId}`);
  });
};
