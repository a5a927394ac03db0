import { examples, type Register } from '../shared.js';
import { registerMailboxPoll } from './poll.js';
import { registerMailboxSet } from './set.js';
import { registerMailboxStatus } from './status.js';

export const registerMailbox: Register = (program, context) => {
  const mailbox = program.command('mailbox').description('mailbox parsing: inquiries emailed to an IMAP mailbox become leads').addHelpText('after', examples('crm mailbox set --imap-host imap.example.com --user leads@acme.example', 'crm mailbox poll --dry-run', 'crm mailbox status'));
  for (const r of [registerMailboxSet, registerMailboxPoll, registerMailboxStatus]) r(mailbox, context);
};
