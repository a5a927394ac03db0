import { printJson } from '../../io/output.js';
import { formatDuration } from '../../services/time/parse.js';
import { parseId } from '../../services/leads/normalize.js';
import { logCall, type CallInput } from '../../services/calls/service.js';
import { examples, outputFlags, type Register } from '../shared.js';
import { timeZoneOf, tzOption } from '../followup/options.js';
import { callJson } from './render.js';

/** The service's input as flags: ids and times arrive as typed. */
type Options = Omit<CallInput, 'leadId'> & { lead?: string; tz?: string; json?: boolean; quiet?: boolean };

export const registerCallLog: Register = (parent, context) => {
  const cmd = tzOption(
    parent
      .command('log')
      .description('log a call on a lead’s timeline').addHelpText('after', examples('crm call log --lead 12 --direction out --outcome connected --duration 4m30s --note "wants a demo"', 'crm call log --lead 12 --outcome rnr --callback "in 2h"'))
      .option('--lead <id>', 'the lead (or customer) id')
      .option('--direction <dir>', 'in | out', 'out')
      .option('--outcome <outcome>', 'connected | rnr | call-back | busy | voicemail | wrong-number | failed')
      .option('--duration <d>', 'how long: 4m30s, 90s, 2m (default 0)')
      .option('--at <time>', 'when it started (default: now minus the duration)')
      .option('--number <phone>', 'number dialled or calling (default: the lead’s first phone)')
      .option('--recording <url>', 'link to the recording')
      .option('--note <text>', 'what was said')
      .option('--callback <time>', 'schedule the call-back follow-up too, e.g. "in 2h", "tomorrow 10am"'),
  );
  outputFlags(cmd, { quiet: true }).action(async (opts: Options, c) => {
    const ctx = context(c);
    const tz = await timeZoneOf(ctx, opts.tz);
    const leadRaw = opts.lead ?? (await ctx.prompter.text('--lead', 'Lead id'));
    const outcome = opts.outcome ?? (await ctx.prompter.text('--outcome', 'Outcome (connected, rnr, call-back, busy, voicemail, wrong-number)'));
    const svc = await ctx.services();
    const r = await logCall(svc, { ...opts, leadId: parseId(leadRaw), outcome }, { timeZone: tz });
    if (opts.json) printJson(ctx.io, callJson(r.call));
    else if (opts.quiet) ctx.io.out(String(r.call.id));
    else {
      ctx.io.out(`Logged call ${r.call.id} on lead ${r.call.leadId} (${r.call.leadName}): ${r.call.outcome}, ${formatDuration(r.call.durationSeconds)}`);
      if (r.followUpId) ctx.io.out(`Scheduled call-back follow-up ${r.followUpId}`);
    }
  });
};
