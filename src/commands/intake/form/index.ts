import { examples, type Register } from '../../shared.js';
import { registerIntakeFormAdd } from './add.js';
import { registerIntakeFormList } from './list.js';
import { registerIntakeFormRemove } from './remove.js';
import { registerIntakeFormRotateToken } from './rotate-token.js';
import { registerIntakeFormShow } from './show.js';

export const registerIntakeForm: Register = (intake, context) => {
  const form = intake.command('form').description('web forms the daemon accepts submissions for (managers and admins)').addHelpText('after', examples('crm intake form add contact --fields your-name=name,your-email=email,msg=message --source Website', 'crm intake form list'));
  for (const r of [registerIntakeFormAdd, registerIntakeFormList, registerIntakeFormShow, registerIntakeFormRemove, registerIntakeFormRotateToken]) r(form, context);
};
