import { examples, type Register } from '../shared.js';
import { registerCallDelete } from './delete.js';
import { registerCallList } from './list.js';
import { registerCallLog } from './log.js';
import { registerCallSummary } from './summary.js';

export const registerCall: Register = (program, context) => {
  const call = program.command('call').description('the call log: log, list, per-user summary, delete').addHelpText('after', examples('crm call log --lead 12 --outcome connected --duration 4m30s', 'crm call list --lead 12', 'crm call summary'));
  for (const r of [registerCallLog, registerCallList, registerCallSummary, registerCallDelete]) r(call, context);
};
