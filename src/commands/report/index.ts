import { examples, type Register } from '../shared.js';
import { registerReportConversions } from './conversions.js';
import { registerReportDemos } from './demos.js';
import { registerReportFollowups } from './followups.js';
import { registerReportLeads } from './leads.js';
import { registerReportPerformance } from './performance.js';
import { registerReportPipeline } from './pipeline.js';
import { registerReportAgeing, registerReportRevenue, registerReportUnpaid } from './revenue.js';
import { registerSchedule } from './schedule.js';

export const registerReports: Register = (program, context) => {
  const report = program.command('report').description('reports: followups, conversions, leads, performance, pipeline, demos, revenue, unpaid, ageing; scheduled reports').addHelpText('after', examples('crm report pipeline', 'crm report leads --by source --from 2026-11-01 --to 2026-11-30', 'crm report schedule list'));
  for (const r of [registerReportFollowups, registerReportConversions, registerReportLeads, registerReportPerformance, registerReportPipeline, registerReportDemos, registerReportRevenue, registerReportUnpaid, registerReportAgeing]) r(report, context);
  registerSchedule(report, context);
};
