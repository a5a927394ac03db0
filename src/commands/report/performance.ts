import { reportCommand } from './run.js';

export const registerReportPerformance = reportCommand({
  name: 'performance',
  description: 'per hour: calls, emails, meetings, deals won, revenue',
  options: [['--hourly', 'per hour (the only grouping)'], ['--day <day>', 'the day (default today)'], ['--user <email>', 'only this user']],
  examples: ['crm report performance --hourly --day yesterday', 'crm report performance --hourly --user ravi@acme.example'],
});
