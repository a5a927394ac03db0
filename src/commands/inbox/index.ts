import type { Register } from '../shared.js';
import { registerInboxList } from './list.js';
import { registerInboxRead } from './read.js';

export const registerInbox: Register = (program, context) => {
  const inbox = program.command('inbox');
  for (const r of [registerInboxList, registerInboxRead]) r(inbox, context);
};
