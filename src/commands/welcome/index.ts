import { examples, type Register } from '../shared.js';
import { registerWelcomeList } from './list.js';
import { registerWelcomeRemove } from './remove.js';
import { registerWelcomeSet } from './set.js';

export const registerWelcome: Register = (program, context) => {
  const welcome = program.command('welcome').description('welcome messages to new leads from inquiries, per source and/or intake channel').addHelpText('after', examples('crm welcome set --source Website --channel email --template welcome', 'crm welcome list'));
  for (const r of [registerWelcomeSet, registerWelcomeList, registerWelcomeRemove]) r(welcome, context);
};
