import { examples, type Register } from '../shared.js';
import { registerAppointmentAdd } from './add.js';
import { registerAppointmentChanges } from './change.js';
import { registerAppointmentList } from './list.js';

export const registerAppointment: Register = (program, context) => {
  const appointment = program.command('appointment').alias('appt').description('appointments and demos: add, confirm, complete, cancel, no-show, list').addHelpText('after', examples('crm appointment add --lead 12 --kind demo --at "tomorrow 3pm"', 'crm appointment list --today', 'crm appointment confirm 3'));
  registerAppointmentAdd(appointment, context);
  registerAppointmentChanges(appointment, context);
  registerAppointmentList(appointment, context);
};
