import { reportCommand } from './run.js';

export const registerReportFollowups = reportCommand({
  name: 'followups',
  description: 'follow-ups per user or per contact, by status',
  options: [['--by <user|contact>', 'group by'], ['--from <day>', 'first day (YYYY-MM-DD, today, yesterday)'], ['--to <day>', 'last day'], ['--category <name>', 'only this category'], ['--user <email>', 'only this user']],
  examples: ['crm report followups --by user --from 2026-11-01 --to 2026-11-30', 'crm report followups --by contact --user ravi@acme.example --format csv -o followups.csv'],
});
