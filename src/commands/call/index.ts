import type { Register } from '../shared.js';
import { registerCallDelete } from './delete.js';
import { registerCallList } from './list.js';
import { registerCallLog } from './log.js';
import { registerCallSummary } from './summary.js';

export const registerCall: Register = (program, context) => {
  const call = program.command('call').description('the call log: log, list, per-user summary, delete');
  for (const r of [registerCallLog, registerCallList, registerCallSummary, registerCallDelete]) r(call, context);
};
