import type { Register } from '../shared.js';
import { registerMailboxPoll } from './poll.js';
import { registerMailboxSet } from './set.js';
import { registerMailboxStatus } from './status.js';

export const registerMailbox: Register = (program, context) => {
  const mailbox = program.command('mailbox').description('mailbox parsing: inquiries emailed to an IMAP mailbox become leads');
  for (const r of [registerMailboxSet, registerMailboxPoll, registerMailboxStatus]) r(mailbox, context);
};
