import { printList } from '../../io/output.js';
import { parseId } from '../../services/leads/normalize.js';
import { listCalls } from '../../services/calls/service.js';
import { collect, examples, outputFlags, pageFlags, pageOf, pageRows, type Register } from '../shared.js';
import { timeZoneOf, tzOption } from '../followup/options.js';
import { callColumns, callJson } from './render.js';

export const registerCallList: Register = (parent, context) => {
  const cmd = tzOption(
    parent
      .command('list')
      .alias('ls')
      .description('list calls you may see, newest first').addHelpText('after', examples('crm call list --lead 12', 'crm call list --from 2026-11-01 --to 2026-11-30 --outcome connected --format csv'))
      .option('--lead <id>', 'on this lead')
      .option('--user <email>', 'made by this user')
      .option('--from <time>', 'at or after (a date means that day’s start)')
      .option('--to <time>', 'before (a date includes that whole day)')
      .option('--outcome <outcome>', 'with this outcome (repeatable or comma-separated)', collect)
      .option('--direction <dir>', 'in | out'),
  );
  pageFlags(cmd, 200, 'calls');
  outputFlags(cmd, { quiet: true, list: true }).action(async (opts: { lead?: string; user?: string; from?: string; to?: string; outcome?: string[]; direction?: string; limit?: string; all?: boolean; tz?: string; json?: boolean; quiet?: boolean }, c) => {
    const ctx = context(c);
    const tz = await timeZoneOf(ctx, opts.tz);
    const svc = await ctx.services();
    const page = pageOf(opts, ctx.io.isStdoutTTY, 200);
    const limit = page.limit === undefined ? undefined : page.limit + (page.paged ? 1 : 0);
    const shown = pageRows(await listCalls(svc, { ...opts, lead: opts.lead ? parseId(opts.lead) : undefined, limit }, { timeZone: tz }), page);
    await printList(ctx.io, { ...opts, footer: shown.footer }, shown.rows, callColumns(tz), callJson, 'No calls match.');
  });
};
