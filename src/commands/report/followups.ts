import { reportCommand } from './run.js';

export const registerReportFollowups = reportCommand({
  name: 'followups',
  description: 'follow-ups per user or per contact, by status',
  options: [['--by <user|contact>', 'group by'], ['--from <day>', 'first day (YYYY-MM-DD, today, yesterday)'], ['--to <day>', 'last day'], ['--category <name>', 'only this category'], ['--user <email>', 'only this user']],
});
