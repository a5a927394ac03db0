import { reportCommand } from './run.js';

export const registerReportConversions = reportCommand({
  name: 'conversions',
  description: 'lead → customer conversions by the user who converted',
  options: [['--user <email>', 'only this user'], ['--details', 'one row per conversion'], ['--from <day>', 'first day'], ['--to <day>', 'last day']],
  examples: ['crm report conversions --from 2026-11-01 --to 2026-11-30', 'crm report conversions --details --format json'],
});
