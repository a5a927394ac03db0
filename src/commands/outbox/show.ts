import { printJson, printRecord } from '../../io/output.js';
import { showOutbox } from '../../services/outbox/service.js';
import { examples, outputFlags, type Register } from '../shared.js';
import { outboxId } from './options.js';
import { outboxJson } from './render.js';

export const registerOutboxShow: Register = (parent, context) => {
  const cmd = parent.command('show').description('one notification').addHelpText('after', examples('crm outbox show 12', 'crm outbox show 12 --json')).argument('<id>');
  outputFlags(cmd).action(async (raw: string, opts: { json?: boolean }, c) => {
    const ctx = context(c);
    const m = await showOutbox(await ctx.services(), outboxId(raw));
    if (opts.json) return printJson(ctx.io, outboxJson(m));
    await printRecord(ctx.io, `Notification ${m.id} (${m.status})`, [
      ['key', m.key], ['rule', m.rule], ['channel', m.channel], ['to', m.address], ['lead', m.leadId], ['attempts', m.attempts],
      ['next attempt', m.status === 'failed' || m.status === 'pending' ? m.nextAttemptAt : null], ['error', m.lastError], ['created', m.createdAt], ['sent', m.sentAt],
      ['cc', m.content?.cc?.join(', ')], ['bcc', m.content?.bcc?.join(', ')],
      ['attachments', m.attachments?.map((a) => `${a.filename} (${a.encoding === 'base64' ? Buffer.byteLength(a.content, 'base64') : a.content.length} bytes)`).join(', ')],
    ]);
  });
};
