import type { Register } from '../shared.js';
import { registerIntakeForm } from './form/index.js';
import { registerIntakeLog } from './log.js';

export const registerIntake: Register = (program, context) => {
  const intake = program.command('intake').description('HTTP intake: web forms, and SMS/WhatsApp through Twilio, served by the daemon');
  registerIntakeForm(intake, context);
  registerIntakeLog(intake, context);
};
