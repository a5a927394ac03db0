import type { Register } from '../../shared.js';
import { registerIntakeFormAdd } from './add.js';
import { registerIntakeFormList } from './list.js';
import { registerIntakeFormRemove } from './remove.js';
import { registerIntakeFormRotateToken } from './rotate-token.js';
import { registerIntakeFormShow } from './show.js';

export const registerIntakeForm: Register = (intake, context) => {
  const form = intake.command('form').description('web forms the daemon accepts submissions for (managers and admins)');
  for (const r of [registerIntakeFormAdd, registerIntakeFormList, registerIntakeFormShow, registerIntakeFormRemove, registerIntakeFormRotateToken]) r(form, context);
};
