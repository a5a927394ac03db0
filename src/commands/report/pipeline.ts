import { reportCommand } from './run.js';

export const registerReportPipeline = reportCommand({
  name: 'pipeline',
  description: 'value, weighted forecast and win rate by stage; average deal size; sales cycle length',
  options: [['--user <email>', 'only leads assigned to this user']],
  examples: ['crm report pipeline', 'crm report pipeline --user ravi@acme.example --format json'],
});
