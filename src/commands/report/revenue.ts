import { reportCommand } from './run.js';

export const registerReportRevenue = reportCommand({
  name: 'revenue',
  description: 'invoiced revenue (billed invoices, not cancelled or rejected) by billing month, the user who took the order, or product',
  options: [['--by <what>', 'month | user | product (default month)'], ['--from <day>', 'first billing day'], ['--to <day>', 'last billing day']],
  examples: ['crm report revenue --by month', 'crm report revenue --by product --from 2026-01-01 --format csv'],
});

export const registerReportUnpaid = reportCommand({
  name: 'unpaid',
  description: 'invoices billed and not fully paid, the longest overdue first',
  options: [],
  examples: ['crm report unpaid', 'crm report unpaid --format json'],
});

export const registerReportAgeing = reportCommand({
  name: 'ageing',
  description: 'what is still due on invoices, by days past the due day: not due, 0-30, 31-60, 61-90, 90+',
  options: [],
  examples: ['crm report ageing', 'crm report ageing --format csv -o ageing.csv'],
});
