import { reportCommand } from './run.js';

export const registerReportLeads = reportCommand({
  name: 'leads',
  description: 'leads created per user, source or status (stage), for a day or a range',
  options: [['--by <user|source|status>', 'group by'], ['--day <day>', 'one day (default today)'], ['--from <day>', 'first day'], ['--to <day>', 'last day'], ['--user <email>', 'only leads assigned to this user']],
  examples: ['crm report leads --by source', 'crm report leads --by user --from 2026-11-01 --to 2026-11-30 --format chart'],
});
