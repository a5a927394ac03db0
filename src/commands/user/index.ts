import { examples, type Register } from '../shared.js';
import { registerUserAdd } from './add.js';
import { registerUserEdit } from './edit.js';
import { registerUserList } from './list.js';

export const registerUser: Register = (program, context) => {
  const user = program
    .command('user')
    .description('manage users and roles (admin, manager, rep, marketing)')
    .addHelpText('after', examples('crm user add --name "Asha Rao" --email asha@example.com --role manager', 'crm user list', 'crm user edit ravi@example.com --deactivate --reassign-to asha@example.com'));
  for (const r of [registerUserAdd, registerUserList, registerUserEdit]) r(user, context);
};
