import { UsageError } from '../../errors.js';
import { printJson } from '../../io/output.js';
import { readInbox } from '../../services/notify/service.js';
import { examples, outputFlags, type Register } from '../shared.js';

export const registerInboxRead: Register = (parent, context) => {
  const cmd = parent.command('read').description('mark a notification (or --all) read').addHelpText('after', examples('crm inbox read 5', 'crm inbox read --all')).argument('[id]').option('--all', 'every unread notification');
  outputFlags(cmd).action(async (raw: string | undefined, opts: { all?: boolean; json?: boolean }, c) => {
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
