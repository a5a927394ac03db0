import { examples, type Register } from '../shared.js';
import { registerOutboxList } from './list.js';
import { registerOutboxRetry } from './retry.js';
import { registerOutboxShow } from './show.js';

export const registerOutbox: Register = (program, context) => {
  const outbox = program.command('outbox').description('notifications waiting, sent, failed or dead').addHelpText('after', examples('crm outbox list --failed', 'crm outbox show 12', 'crm outbox retry --dead'));
  for (const r of [registerOutboxList, registerOutboxShow, registerOutboxRetry]) r(outbox, context);
};
