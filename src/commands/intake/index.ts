import { examples, type Register } from '../shared.js';
import { registerIntakeForm } from './form/index.js';
import { registerIntakeLog } from './log.js';

export const registerIntake: Register = (program, context) => {
  const intake = program.command('intake').description('HTTP intake: web forms, and SMS/WhatsApp through Twilio, served by the daemon').addHelpText('after', examples('crm intake form add contact --fields your-name=name,your-email=email,msg=message --source Website', 'crm intake form list', 'crm intake log'));
  registerIntakeForm(intake, context);
  registerIntakeLog(intake, context);
};
