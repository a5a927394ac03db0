import { MAX_LIST_ROWS } from '../../services/leads/normalize.js';
import { printList } from '../../io/output.js';
import { listInbox } from '../../services/notify/service.js';
import { examples, outputFlags, pageOf, pageRows, type Register } from '../shared.js';
import { inboxColumns, inboxJson } from './render.js';

/** A bare `crm inbox` lists: its flags and action sit on the noun itself (`inbox`, not `inbox list`). */
export const registerInboxList: Register = (noun, context) => {
  noun.description('your notifications in the terminal (unread unless --all)').addHelpText('after', examples('crm inbox', 'crm inbox --all --limit 20', 'crm inbox read --all')).option('--all', 'read ones too').option('--limit <n>', 'at most n, or all (default: 100 on a terminal; all when piped, with --json or -q)');
  outputFlags(noun, { quiet: true, list: true }).action(async (opts: { all?: boolean; limit?: string; json?: boolean; quiet?: boolean }, c) => {
    const ctx = context(c);
    // --all here means read ones too; every row is --limit all.
    const page = pageOf({ ...opts, all: false }, ctx.io.isStdoutTTY, 100);
    const limit = page.limit === undefined ? MAX_LIST_ROWS : page.limit + (page.paged ? 1 : 0);
    const shown = pageRows(await listInbox(await ctx.services(), { all: opts.all, limit }), page);
    await printList(ctx.io, { ...opts, footer: shown.footer?.replace('--all for every one', '--limit all for every one') }, shown.rows, inboxColumns, inboxJson, opts.all ? 'Your inbox is empty.' : 'No unread notifications (crm inbox --all shows read ones).');
  });
};
