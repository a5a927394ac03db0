import { printJson, printList } from '../../io/output.js';
import { UsageError } from '../../errors.js';
import { listOutbox, retryOutbox, showOutbox } from '../../services/outbox/service.js';
import type { OutboxMessage, OutboxStatus } from '../../domain/notify.js';
import { outputFlags, type Register } from '../shared.js';

export function outboxJson(m: OutboxMessage) {
  return {
    id: m.id, key: m.key, rule: m.rule, channel: m.channel, recipient: m.recipientKind === 'webhook' ? null : { kind: m.recipientKind, id: m.recipientId },
    address: m.address, leadId: m.leadId, status: m.status, attempts: m.attempts, nextAttemptAt: m.status === 'sent' || m.status === 'dead' ? null : m.nextAttemptAt,
    lastError: m.lastError, createdAt: m.createdAt, sentAt: m.sentAt,
  };
}

function id(raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`invalid id '${raw}'`, 'give the number shown by crm outbox list');
  return n;
}

export const registerOutbox: Register = (program, context) => {
  const outbox = program.command('outbox').description('notifications waiting, sent, failed or dead (N2)');
  outputFlags(
    outbox.command('list').alias('ls').description('list notifications, newest first')
      .option('--pending', 'waiting for their first delivery (or being delivered)')
      .option('--failed', 'failed, retry scheduled')
      .option('--dead', 'gave up: permanent error or too many attempts')
      .option('--sent', 'delivered')
      .option('--limit <n>', 'at most n (default 100)'),
    { quiet: true },
  ).action(async (opts: { pending?: boolean; failed?: boolean; dead?: boolean; sent?: boolean; limit?: string; json?: boolean; quiet?: boolean }, c) => {
    const ctx = context(c);
    const status: OutboxStatus[] = [];
    if (opts.pending) status.push('pending', 'sending');
    if (opts.failed) status.push('failed');
    if (opts.dead) status.push('dead');
    if (opts.sent) status.push('sent');
    const rows = await listOutbox(await ctx.services(), { status, limit: opts.limit });
    await printList(ctx.io, { ...opts, limit: opts.limit ? Number(opts.limit) : 100 }, rows, [
      { header: 'ID', cell: (m) => m.id },
      { header: 'STATUS', cell: (m) => m.status },
      { header: 'RULE', cell: (m) => m.rule },
      { header: 'CHANNEL', cell: (m) => m.channel },
      { header: 'TO', cell: (m) => m.address ?? (m.recipientKind === 'webhook' ? 'webhook' : `${m.recipientKind} ${m.recipientId}`) },
      { header: 'LEAD', cell: (m) => m.leadId },
      { header: 'TRIES', cell: (m) => m.attempts },
      { header: 'ERROR', cell: (m) => m.lastError },
    ], outboxJson, 'No notifications.');
  });
  outputFlags(outbox.command('show').description('one notification').argument('<id>')).action(async (raw: string, opts: { json?: boolean }, c) => {
    const ctx = context(c);
    const m = await showOutbox(await ctx.services(), id(raw));
    if (opts.json) return printJson(ctx.io, outboxJson(m));
    const { printRecord } = await import('../../io/output.js');
    await printRecord(ctx.io, `Notification ${m.id} (${m.status})`, [
      ['key', m.key], ['rule', m.rule], ['channel', m.channel], ['to', m.address], ['lead', m.leadId], ['attempts', m.attempts],
      ['next attempt', m.status === 'failed' || m.status === 'pending' ? m.nextAttemptAt : null], ['error', m.lastError], ['created', m.createdAt], ['sent', m.sentAt],
      ['cc', m.content?.cc?.join(', ')], ['bcc', m.content?.bcc?.join(', ')],
      ['attachments', m.attachments?.map((a) => `${a.filename} (${a.encoding === 'base64' ? Buffer.byteLength(a.content, 'base64') : a.content.length} bytes)`).join(', ')],
    ]);
  });
  outputFlags(outbox.command('retry').description('deliver a failed or dead notification again, now (admins)').argument('<id>')).action(async (raw: string, opts: { json?: boolean }, c) => {
    const ctx = context(c);
    const m = await retryOutbox(await ctx.services(), id(raw));
    if (opts.json) printJson(ctx.io, outboxJson(m));
    else ctx.io.out(`Notification ${m.id} is pending again; the daemon delivers it within seconds`);
  });
};
