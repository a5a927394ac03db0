import type { Register } from '../shared.js';
import { registerDashboardView } from './view.js';

export const registerDashboard: Register = (program, context) => {
  registerDashboardView(program.command('dashboard'), context);
};
