import { reportCommand } from './run.js';

export const registerReportConversions = reportCommand({
  name: 'conversions',
  description: 'lead → customer conversions by the user who converted',
  options: [['--user <email>', 'only this user'], ['--details', 'one row per conversion'], ['--from <day>', 'first day'], ['--to <day>', 'last day']],
});
