import type { Register } from '../shared.js';
import { registerStoreCopy } from './copy.js';

/** crm store …: the store as a whole (copy it to another backend). */
export const registerStore: Register = (program, context) => {
  const store = program.command('store').description('the store as a whole: copy it into a new SQLite file or PostgreSQL database');
  for (const r of [registerStoreCopy]) r(store, context);
};
