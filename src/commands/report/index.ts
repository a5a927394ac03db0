import type { Register } from '../shared.js';
import { registerReportConversions } from './conversions.js';
import { registerReportDemos } from './demos.js';
import { registerReportFollowups } from './followups.js';
import { registerReportLeads } from './leads.js';
import { registerReportPerformance } from './performance.js';
import { registerReportPipeline } from './pipeline.js';
import { registerSchedule } from './schedule.js';

export const registerReports: Register = (program, context) => {
  const report = program.command('report').description('reports: followups, conversions, leads, performance, pipeline, demos; scheduled reports');
  for (const r of [registerReportFollowups, registerReportConversions, registerReportLeads, registerReportPerformance, registerReportPipeline, registerReportDemos]) r(report, context);
  registerSchedule(report, context);
};
