import { printList } from '../../io/output.js';
import { listOutbox } from '../../services/outbox/service.js';
import type { OutboxStatus } from '../../domain/notify.js';
import { outputFlags, type Register } from '../shared.js';
import { outboxColumns, outboxJson } from './render.js';

interface Options {
  pending?: boolean;
  failed?: boolean;
  dead?: boolean;
  sent?: boolean;
  limit?: string;
  json?: boolean;
  quiet?: boolean;
}

export const registerOutboxList: Register = (parent, context) => {
  const cmd = parent
    .command('list')
    .alias('ls')
    .description('list notifications, newest first')
    .option('--pending', 'waiting for their first delivery (or being delivered)')
    .option('--failed', 'failed, retry scheduled')
    .option('--dead', 'gave up: permanent error or too many attempts')
    .option('--sent', 'delivered')
    .option('--limit <n>', 'at most n (default 100)');
  outputFlags(cmd, { quiet: true }).action(async (opts: Options, c) => {
    const ctx = context(c);
    const status: OutboxStatus[] = [];
    if (opts.pending) status.push('pending', 'sending');
    if (opts.failed) status.push('failed');
    if (opts.dead) status.push('dead');
    if (opts.sent) status.push('sent');
    const rows = await listOutbox(await ctx.services(), { status, limit: opts.limit });
    await printList(ctx.io, { ...opts, limit: opts.limit ? Number(opts.limit) : 100 }, rows, outboxColumns, outboxJson, 'No notifications.');
  });
};
