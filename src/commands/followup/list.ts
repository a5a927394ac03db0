import { printList } from '../../io/output.js';
import { parseId } from '../../services/leads/normalize.js';
import { listFollowUps } from '../../services/followups/service.js';
import { examples, outputFlags, pageFlags, pageOf, pageRows, type Register } from '../shared.js';
import { timeZoneOf, tzOption } from './options.js';
import { followUpColumns, followUpJson } from './render.js';

interface Options {
  today?: boolean;
  overdue?: boolean;
  upcoming?: string | boolean;
  mine?: boolean;
  user?: string;
  status?: string;
  lead?: string;
  limit?: string;
  all?: boolean;
  tz?: string;
  json?: boolean;
  quiet?: boolean;
}

export const registerFollowUpList: Register = (parent, context) => {
  const cmd = tzOption(
    parent
      .command('list')
      .alias('ls')
      .description('list follow-ups you may see (scheduled and open unless --status), soonest first').addHelpText('after', examples('crm followup list --today --mine', 'crm followup list --overdue --user ravi@acme.example', 'crm followup list --upcoming 14d --format csv'))
      .option('--today', 'starting today (in your time zone)')
      .option('--overdue', 'past their end and still scheduled or open')
      .option('--upcoming [window]', 'starting within this window from now (default 7d)')
      .option('--mine', 'assigned to me')
      .option('--user <email>', 'assigned to this user')
      .option('--status <status>', 'scheduled | open | completed | cancelled | all (comma-separated)')
      .option('--lead <id>', 'on this lead'),
  );
  pageFlags(cmd, 200, 'follow-ups');
  outputFlags(cmd, { quiet: true, list: true }).action(async (opts: Options, c) => {
    const ctx = context(c);
    const tz = await timeZoneOf(ctx, opts.tz);
    const svc = await ctx.services();
    const page = pageOf(opts, ctx.io.isStdoutTTY, 200);
    const rows = await listFollowUps(svc, {
      today: opts.today, overdue: opts.overdue,
      upcoming: opts.upcoming === undefined ? undefined : typeof opts.upcoming === 'string' ? opts.upcoming : '7d',
      mine: opts.mine, user: opts.user, status: opts.status,
      lead: opts.lead ? parseId(opts.lead) : undefined,
      limit: page.limit === undefined ? undefined : page.limit + (page.paged ? 1 : 0),
    }, { timeZone: tz });
    const shown = pageRows(rows, page);
    await printList(ctx.io, { ...opts, footer: shown.footer }, shown.rows, followUpColumns(svc.now, tz), (f) => followUpJson(f, svc.now), 'No follow-ups match.');
  });
};
