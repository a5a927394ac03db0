import { printJson } from '../../io/output.js';
import { pollMailbox } from '../../services/intake/mailbox.js';
import { examples, outputFlags, type Register } from '../shared.js';
import { printPoll } from './render.js';

export const registerMailboxPoll: Register = (parent, context) => {
  const cmd = parent
    .command('poll')
    .description('poll the mailbox now (the daemon does it on schedule)').addHelpText('after', examples('crm mailbox poll --dry-run', 'crm mailbox poll'))
    .option('--dry-run', 'fetch and show what would happen; store nothing, mark nothing');
  outputFlags(cmd).action(async (opts: { dryRun?: boolean; json?: boolean }, c) => {
    const ctx = context(c);
    const svc = await ctx.services();
    const r = await pollMailbox(svc.store, svc.now, { dryRun: opts.dryRun, actor: svc.actor, env: ctx.env });
    if (opts.json) return printJson(ctx.io, r);
    printPoll(ctx.io, r);
  });
};
