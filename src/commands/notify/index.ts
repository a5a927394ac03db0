import { examples, type Register } from '../shared.js';
import { registerNotifyOptIn, registerNotifyOptOut } from './opt-out.js';
import { registerNotifyPhone } from './phone.js';
import { registerNotifyRules } from './rules.js';
import { registerNotifySet } from './set.js';

export const registerNotify: Register = (program, context) => {
  const notify = program.command('notify').description('notification rules, opt-outs and phone numbers').addHelpText('after', examples('crm notify rules', 'crm notify set new-lead --channels inbox,email', 'crm notify opt-out --channel sms'));
  for (const r of [registerNotifyRules, registerNotifySet, registerNotifyOptOut, registerNotifyOptIn, registerNotifyPhone]) r(notify, context);
};
