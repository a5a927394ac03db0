import { UsageError } from '../../errors.js';
import { listFollowUps } from '../../services/followups/service.js';
import { followUpsToIcs } from '../../services/followups/ics.js';
import { examples, type Register } from '../shared.js';
import { timeZoneOf, tzOption } from './options.js';

export const registerFollowUpExport: Register = (parent, context) => {
  tzOption(
    parent
      .command('export')
      .description('export follow-ups as an iCalendar file (RFC 5545) on stdout').addHelpText('after', examples('crm followup export --ics --mine > followups.ics', 'crm followup export --ics --upcoming 30d > next-month.ics'))
      .option('--ics', 'iCalendar format (the only one so far)')
      .option('--today', 'starting today')
      .option('--overdue', 'overdue ones')
      .option('--upcoming [window]', 'starting within this window (default 7d)')
      .option('--mine', 'assigned to me')
      .option('--user <email>', 'assigned to this user')
      .option('--status <status>', 'scheduled | open | completed | cancelled | all'),
  ).action(async (opts: { ics?: boolean; today?: boolean; overdue?: boolean; upcoming?: string | boolean; mine?: boolean; user?: string; status?: string; tz?: string }, c) => {
    const ctx = context(c);
    if (!opts.ics) throw new UsageError('say the format', 'crm followup export --ics > followups.ics');
    const tz = await timeZoneOf(ctx, opts.tz);
    const svc = await ctx.services();
    const rows = await listFollowUps(svc, {
      today: opts.today, overdue: opts.overdue, mine: opts.mine, user: opts.user, status: opts.status,
      upcoming: opts.upcoming === undefined ? undefined : typeof opts.upcoming === 'string' ? opts.upcoming : '7d',
    }, { timeZone: tz });
    ctx.io.stdout.write(await followUpsToIcs(rows, { now: svc.now }));
  });
};
