import { printList } from '../../io/output.js';
import { listOutbox } from '../../services/outbox/service.js';
import type { OutboxStatus } from '../../domain/notify.js';
import { MAX_LIST_ROWS } from '../../services/leads/normalize.js';
import { examples, outputFlags, pageFlags, pageOf, pageRows, type Register } from '../shared.js';
import { outboxColumns, outboxJson } from './render.js';

interface Options {
  pending?: boolean;
  failed?: boolean;
  dead?: boolean;
  sent?: boolean;
  limit?: string;
  all?: boolean;
  json?: boolean;
  quiet?: boolean;
}

export const registerOutboxList: Register = (parent, context) => {
  const cmd = parent
    .command('list')
    .alias('ls')
    .description('list notifications, newest first').addHelpText('after', examples('crm outbox list --pending', 'crm outbox list --dead --format csv'))
    .option('--pending', 'waiting for their first delivery (or being delivered)')
    .option('--failed', 'failed, retry scheduled')
    .option('--dead', 'gave up: permanent error or too many attempts')
    .option('--sent', 'delivered');
  pageFlags(cmd, 100, 'notifications');
  outputFlags(cmd, { quiet: true, list: true }).action(async (opts: Options, c) => {
    const ctx = context(c);
    const status: OutboxStatus[] = [];
    if (opts.pending) status.push('pending', 'sending');
    if (opts.failed) status.push('failed');
    if (opts.dead) status.push('dead');
    if (opts.sent) status.push('sent');
    const page = pageOf(opts, ctx.io.isStdoutTTY, 100);
    const limit = page.limit === undefined ? MAX_LIST_ROWS : page.limit + (page.paged ? 1 : 0);
    const shown = pageRows(await listOutbox(await ctx.services(), { status, limit }), page);
    await printList(ctx.io, { ...opts, footer: shown.footer }, shown.rows, outboxColumns, outboxJson, 'No notifications.');
  });
};
