import { examples, type Register } from '../shared.js';
import { registerCallDelete } from './delete.js';
import { registerCallDial } from './dial.js';
import { registerCallWrapUp } from './wrap-up.js';
import { registerCallList } from './list.js';
import { registerCallLog } from './log.js';
import { registerCallSummary } from './summary.js';

export const registerCall: Register = (program, context) => {
  const call = program.command('call').description('calls: dial through Twilio, wrap up, log, list, per-user summary, delete').addHelpText('after', examples('crm call dial 12', 'crm call log --lead 12 --outcome connected --duration 4m30s', 'crm call summary'));
  for (const r of [registerCallDial, registerCallWrapUp, registerCallLog, registerCallList, registerCallSummary, registerCallDelete]) r(call, context);
};
