import { reportCommand } from './run.js';

export const registerReportDemos = reportCommand({
  name: 'demos',
  description: 'demos completed on a day, or confirmed for a day',
  options: [['--completed <day>', 'completed on this day (today, yesterday, YYYY-MM-DD)'], ['--confirmed <day>', 'confirmed for this day (tomorrow, …)'], ['--user <email>', 'only leads assigned to this user']],
  examples: ['crm report demos --completed today', 'crm report demos --confirmed tomorrow'],
});
