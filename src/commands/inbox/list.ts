import { parseCount } from '../../services/leads/normalize.js';
import { printList } from '../../io/output.js';
import { listInbox } from '../../services/notify/service.js';
import { outputFlags, type Register } from '../shared.js';
import { inboxColumns, inboxJson } from './render.js';

/** A bare `crm inbox` lists: its flags and action sit on the noun itself (`inbox`, not `inbox list`). */
export const registerInboxList: Register = (noun, context) => {
  noun.description('your notifications in the terminal (unread unless --all)').option('--all', 'read ones too').option('--limit <n>', 'at most n (default 100)');
  outputFlags(noun, { quiet: true }).action(async (opts: { all?: boolean; limit?: string; json?: boolean; quiet?: boolean }, c) => {
    const ctx = context(c);
    const limit = opts.limit ? parseCount(opts.limit, '--limit', 1) : 100;
    const rows = await listInbox(await ctx.services(), { all: opts.all, limit });
    await printList(ctx.io, { ...opts, limit }, rows, inboxColumns, inboxJson, opts.all ? 'Your inbox is empty.' : 'No unread notifications (crm inbox --all shows read ones).');
  });
};
