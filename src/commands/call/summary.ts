import { printList } from '../../io/output.js';
import { callSummary } from '../../services/calls/service.js';
import { examples, outputFlags, type Register } from '../shared.js';
import { timeZoneOf, tzOption } from '../followup/options.js';
import { summaryColumns, summaryJson } from './render.js';

export const registerCallSummary: Register = (parent, context) => {
  const cmd = tzOption(parent.command('summary').description('calls per user: today, yesterday, this month, all').addHelpText('after', examples('crm call summary', 'crm call summary --format tsv')));
  outputFlags(cmd, { list: true }).action(async (opts: { tz?: string; json?: boolean }, c) => {
    const ctx = context(c);
    const rows = await callSummary(await ctx.services(), { timeZone: await timeZoneOf(ctx, opts.tz) });
    await printList(ctx.io, opts, rows.map((r) => ({ ...r, id: r.userId })), summaryColumns, summaryJson, 'No calls logged yet.');
  });
};
