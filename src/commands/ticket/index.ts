import { examples, type Register } from '../shared.js';
import { registerTicketAdd } from './add.js';
import { registerTicketAssign } from './assign.js';
import { registerTicketClose, registerTicketReopen } from './close.js';
import { registerTicketEdit } from './edit.js';
import { registerTicketList } from './list.js';
import { registerTicketReply } from './reply.js';
import { registerTicketShow } from './show.js';

export const registerTicket: Register = (program, context) => {
  const ticket = program
    .command('ticket')
    .description('support tickets: add, list, show, reply by email, assign, close, reopen, edit')
    .addHelpText('after', examples('crm ticket add --lead 12 --subject "Invoice shows the wrong address" --priority high', 'crm ticket reply 7 --body "Fixed, see the new invoice."', 'crm ticket list --breached'));
  for (const r of [registerTicketAdd, registerTicketList, registerTicketShow, registerTicketReply, registerTicketAssign, registerTicketClose, registerTicketReopen, registerTicketEdit]) r(ticket, context);
};
