import { examples, type Register } from '../shared.js';
import { registerStoreCopy } from './copy.js';

/** crm store …: the store as a whole (copy it to another backend). */
export const registerStore: Register = (program, context) => {
  const store = program.command('store').description('the store as a whole: copy it into a new SQLite file or PostgreSQL database').addHelpText('after', examples('crm store copy --to team.db', 'crm store copy --to postgres://crm@db.acme.example/crm'));
  for (const r of [registerStoreCopy]) r(store, context);
};
