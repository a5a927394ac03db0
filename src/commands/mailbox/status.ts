import { printJson } from '../../io/output.js';
import { mailboxStatus } from '../../services/intake/mailbox.js';
import { examples, outputFlags, type Register } from '../shared.js';
import { printMailboxStatus } from './render.js';

export const registerMailboxStatus: Register = (parent, context) => {
  const cmd = parent.command('status').description('configuration, last poll, counts, last error, UIDVALIDITY and last UID').addHelpText('after', examples('crm mailbox status', 'crm mailbox status --json'));
  outputFlags(cmd).action(async (opts: { json?: boolean }, c) => {
    const ctx = context(c);
    const s = await mailboxStatus(await ctx.services(), ctx.env);
    if (opts.json) return printJson(ctx.io, s);
    await printMailboxStatus(ctx.io, s);
  });
};
