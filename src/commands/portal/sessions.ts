import { formatTimestamp } from '../../io/format.js';
import { printList } from '../../io/output.js';
import type { PortalSession } from '../../domain/portal.js';
import { parseId } from '../../services/leads/normalize.js';
import { listSessions } from '../../services/portal/service.js';
import { timeZoneOf, tzOption } from '../followup/options.js';
import { examples, outputFlags, type Register } from '../shared.js';

export const registerPortalSessions: Register = (parent, context) => {
  const cmd = tzOption(parent.command('sessions').description('the live portal sessions, newest first (reps: of their leads)')
    .addHelpText('after', examples('crm portal sessions', 'crm portal sessions --lead 12 --json'))
    .option('--lead <id>', 'of this lead or customer'));
  outputFlags(cmd, { quiet: true, list: true }).action(async (opts: { lead?: string; tz?: string; json?: boolean; quiet?: boolean }, c) => {
    const ctx = context(c);
    const tz = await timeZoneOf(ctx, opts.tz);
    const rows = await listSessions(await ctx.services(), opts.lead === undefined ? undefined : parseId(opts.lead));
    await printList<PortalSession>(ctx.io, opts, rows, [
      { header: 'ID', cell: (s) => s.id },
      { header: 'LEAD', cell: (s) => `${s.leadId} ${s.leadName}` },
      { header: 'PERSON', cell: (s) => (s.personId === null ? '' : `person:${s.personId}`) },
      { header: 'EMAIL', cell: (s) => s.email },
      { header: 'SIGNED IN', cell: (s) => formatTimestamp(s.createdAt, tz) },
      { header: 'EXPIRES', cell: (s) => formatTimestamp(s.expiresAt, tz) },
      { header: 'FROM', cell: (s) => s.remote },
    ], (s) => s, 'No live portal sessions.');
  });
};
