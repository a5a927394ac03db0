import { printJson, printList } from '../../io/output.js';
import { UsageError } from '../../errors.js';
import { listInbox, readInbox } from '../../services/notify/service.js';
import type { InboxItem } from '../../domain/notify.js';
import { outputFlags, type Register } from '../shared.js';

const inboxJson = (i: InboxItem) => ({ id: i.id, rule: i.rule, leadId: i.leadId, subject: i.subject, body: i.body, createdAt: i.createdAt, readAt: i.readAt });

export const registerInbox: Register = (program, context) => {
  const inbox = outputFlags(
    program.command('inbox').description("your notifications in the terminal (unread unless --all)").option('--all', 'read ones too').option('--limit <n>', 'at most n (default 100)'),
    { quiet: true },
  ).action(async (opts: { all?: boolean; limit?: string; json?: boolean; quiet?: boolean }, c) => {
    const ctx = context(c);
    const limit = opts.limit ? Number(opts.limit) : 100;
    if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`invalid --limit '${opts.limit}'`, 'a whole number ≥ 1');
    const rows = await listInbox(await ctx.services(), { all: opts.all, limit });
    await printList(ctx.io, { ...opts, limit }, rows, [
      { header: 'ID', cell: (i) => i.id },
      { header: 'WHEN', cell: (i) => i.createdAt.slice(0, 16).replace('T', ' ') },
      { header: 'RULE', cell: (i) => i.rule },
      { header: 'LEAD', cell: (i) => i.leadId },
      { header: 'MESSAGE', cell: (i) => `${i.readAt ? '' : '* '}${i.body}` },
    ], inboxJson, opts.all ? 'Your inbox is empty.' : 'No unread notifications (crm inbox --all shows read ones).');
  });
  outputFlags(inbox.command('read').description('mark a notification (or --all) read').argument('[id]').option('--all', 'every unread notification')).action(async (raw: string | undefined, opts: { all?: boolean; json?: boolean }, c) => {
    const ctx = context(c);
    // `crm inbox read --all`: commander gives --all to the parent (crm inbox --all) as well.
    opts.all = opts.all || Boolean(c.parent?.opts().all);
    if (!raw && !opts.all) throw new UsageError('say which notification', 'crm inbox read ID, or crm inbox read --all');
    const target = opts.all ? 'all' : Number(raw);
    if (target !== 'all' && (!Number.isInteger(target) || target < 1)) throw new UsageError(`invalid id '${raw}'`, 'give the number shown by crm inbox');
    const n = await readInbox(await ctx.services(), target);
    if (opts.json) printJson(ctx.io, { marked: n });
    else ctx.io.out(`Marked ${n} notification(s) read`);
  });
};
