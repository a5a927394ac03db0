import { examples, type Register } from '../shared.js';
import { registerFollowUpAdd } from './add.js';
import { registerFollowUpCancel, registerFollowUpDone } from './done.js';
import { registerFollowUpEdit } from './edit.js';
import { registerFollowUpExport } from './export.js';
import { registerFollowUpList } from './list.js';
import { registerFollowUpLog } from './log.js';
import { registerFollowUpRecur } from './recur.js';
import { registerFollowUpRule } from './rule.js';
import { registerFollowUpShow } from './show.js';

export const registerFollowUp: Register = (program, context) => {
  const followup = program.command('followup').alias('fu').description('follow-ups: schedule, list (today, overdue, upcoming), complete, recur, rules, iCalendar export').addHelpText('after', examples('crm followup add --lead 12 --title "Call back" --start "tomorrow 10am"', 'crm followup list --today --mine', 'crm followup done 7 --note "Sent the quote"'));
  for (const r of [registerFollowUpAdd, registerFollowUpList, registerFollowUpShow, registerFollowUpEdit, registerFollowUpDone, registerFollowUpCancel, registerFollowUpLog, registerFollowUpExport, registerFollowUpRecur, registerFollowUpRule]) {
    r(followup, context);
  }
};
