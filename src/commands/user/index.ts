import type { Register } from '../shared.js';
import { registerUserAdd } from './add.js';
import { registerUserEdit } from './edit.js';
import { registerUserList } from './list.js';

export const registerUser: Register = (program, context) => {
  const user = program.command('user').description('manage users and roles (admin, manager, rep, marketing)');
  for (const r of [registerUserAdd, registerUserList, registerUserEdit]) r(user, context);
};
