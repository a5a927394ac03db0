import { printJson } from '../../io/output.js';
import { formatDuration } from '../../services/time/parse.js';
import { parseId } from '../../services/leads/normalize.js';
import { wrapUpCall } from '../../services/calls/service.js';
import { callToWrapUp } from '../../services/calls/twilio.js';
import { CALL_OUTCOMES } from '../../domain/calls.js';
import { examples, outputFlags, type Register } from '../shared.js';
import { timeZoneOf, tzOption } from '../followup/options.js';
import { callJson } from './render.js';

type Options = { outcome?: string; note?: string; callback?: string; tz?: string; json?: boolean };

export const registerCallWrapUp: Register = (parent, context) => {
  const cmd = tzOption(
    parent
      .command('wrap-up')
      .description('after a dialled call: its outcome and notes (asked on a terminal; flags otherwise)')
      .addHelpText('after', examples('crm call wrap-up', 'crm call wrap-up 41 --outcome call-back --callback "tomorrow 10am" --note "send the price list first"'))
      .argument('[id]', 'the call (default: your latest dialled call)')
      .option('--outcome <outcome>', `${CALL_OUTCOMES.join(' | ')} (default on a terminal: asked; otherwise what Twilio reported)`)
      .option('--note <text>', 'what was said')
      .option('--callback <time>', 'schedule the call-back follow-up, e.g. "in 2h", "tomorrow 10am"'),
  );
  outputFlags(cmd).action(async (idRaw: string | undefined, opts: Options, c) => {
    const ctx = context(c);
    const tz = await timeZoneOf(ctx, opts.tz);
    const svc = await ctx.services();
    const { call } = await callToWrapUp(svc, idRaw === undefined ? undefined : parseId(idRaw, 'call'));
    const asking = ctx.prompter.interactive;
    if (asking) ctx.io.err(`Call ${call.id} with ${call.leadName} (lead ${call.leadId}): ${call.outcome}, ${formatDuration(call.durationSeconds)}`);
    const outcome = opts.outcome ?? (asking
      ? await ctx.prompter.select('--outcome', 'Outcome', [call.outcome, ...CALL_OUTCOMES.filter((o) => o !== call.outcome)].map((o) => ({ value: o, name: o })))
      : call.outcome);
    const note = opts.note ?? (asking ? await ctx.prompter.optional('Notes (Enter for none)') : undefined);
    // A call-back offers its follow-up: asked on a terminal, taken from --callback otherwise.
    const callback = opts.callback ?? (asking && ['call-back', 'callback', 'call back'].includes(outcome.trim().toLowerCase()) ? await ctx.prompter.optional('Call back when? (e.g. "in 2h", "tomorrow 10am"; Enter for no follow-up)') : undefined);
    const r = await wrapUpCall(svc, call, { outcome, note, callback }, { timeZone: tz });
    if (opts.json) return printJson(ctx.io, { ...callJson(r.call), followUpId: r.call.followUpId });
    ctx.io.out(`Wrapped up call ${r.call.id} with ${r.call.leadName}: ${r.call.outcome}${r.call.note ? `, "${r.call.note}"` : ''}`);
    if (r.followUpId) ctx.io.out(`Scheduled call-back follow-up ${r.followUpId}`);
  });
};
