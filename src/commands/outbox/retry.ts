import { UsageError } from '../../errors.js';
import { printJson, printList } from '../../io/output.js';
import { retryOutbox, retryOutboxWhere } from '../../services/outbox/service.js';
import { examples, outputFlags, type Register } from '../shared.js';
import { outboxId } from './options.js';
import { outboxColumns, outboxJson } from './render.js';

interface Opts {
  json?: boolean;
  dead?: boolean;
  failed?: boolean;
  rule?: string;
  channel?: string;
  since?: string;
  dryRun?: boolean;
}

export const registerOutboxRetry: Register = (parent, context) => {
  const cmd = parent
    .command('retry')
    .description('deliver failed or dead notifications again, now: one by id, or all matching the filters (admins)').addHelpText('after', examples('crm outbox retry 12', 'crm outbox retry --dead --channel email --since 1d --dry-run'))
    .argument('[id]')
    .option('--dead', 'the dead ones (with --failed: both; neither: both)')
    .option('--failed', 'the failed ones, waiting for their next attempt')
    .option('--rule <rule>', 'of this rule (new-lead, campaign:4, …; see crm notify rules)')
    .option('--channel <channel>', 'email, sms, whatsapp, inbox or webhook')
    .option('--since <duration>', 'whose last failure is at most this old (1d, 2h)')
    .option('--dry-run', 'list what would be retried; change nothing');
  outputFlags(cmd).action(async (raw: string | undefined, opts: Opts, c) => {
    const ctx = context(c);
    const filtered = opts.dead || opts.failed || opts.rule !== undefined || opts.channel !== undefined || opts.since !== undefined;
    if (raw !== undefined) {
      if (filtered || opts.dryRun) throw new UsageError('an id and filters together', 'give an id, or filters (--dead, --failed, --rule, --channel, --since)');
      const m = await retryOutbox(await ctx.services(), outboxId(raw));
      if (opts.json) printJson(ctx.io, outboxJson(m));
      else ctx.io.out(`Notification ${m.id} is pending again; the daemon delivers it within seconds`);
      return;
    }
    if (!filtered) throw new UsageError('no notification chosen', 'give an id, or filters: --dead, --failed, --rule RULE, --channel CHANNEL, --since 1d (--dry-run to see them first)');
    const found = await retryOutboxWhere(await ctx.services(), opts, { dryRun: opts.dryRun });
    if (opts.dryRun) {
      await printList(ctx.io, opts, found, outboxColumns, outboxJson);
      ctx.io.hint(`${found.length} notification(s) would be retried; run it again without --dry-run`);
      return;
    }
    if (opts.json) return printJson(ctx.io, found.map(outboxJson));
    ctx.io.out(`${found.length} notification(s) pending again${found.length ? `: ${found.map((m) => m.id).join(', ')}; the daemon delivers them within seconds` : ''}`);
  });
};
