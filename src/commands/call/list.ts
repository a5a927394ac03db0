import { printList } from '../../io/output.js';
import { parseId, parseCount } from '../../services/leads/normalize.js';
import { listCalls } from '../../services/calls/service.js';
import { collect, outputFlags, type Register } from '../shared.js';
import { timeZoneOf, tzOption } from '../followup/options.js';
import { callColumns, callJson } from './render.js';

export const registerCallList: Register = (parent, context) => {
  const cmd = tzOption(
    parent
      .command('list')
      .alias('ls')
      .description('list calls you may see, newest first')
      .option('--lead <id>', 'on this lead')
      .option('--user <email>', 'made by this user')
      .option('--from <time>', 'at or after (a date means that day’s start)')
      .option('--to <time>', 'before (a date includes that whole day)')
      .option('--outcome <outcome>', 'with this outcome (repeatable or comma-separated)', collect)
      .option('--direction <dir>', 'in | out')
      .option('--limit <n>', 'at most n rows', '200'),
  );
  outputFlags(cmd, { quiet: true }).action(async (opts: { lead?: string; user?: string; from?: string; to?: string; outcome?: string[]; direction?: string; limit: string; tz?: string; json?: boolean; quiet?: boolean }, c) => {
    const ctx = context(c);
    const tz = timeZoneOf(ctx, opts.tz);
    const svc = await ctx.services();
    const limit = parseCount(opts.limit, '--limit', 1);
    const calls = await listCalls(svc, { ...opts, lead: opts.lead ? parseId(opts.lead) : undefined, limit }, { timeZone: tz });
    await printList(ctx.io, opts, calls, callColumns(tz), callJson, 'No calls match.');
  });
};
