import { examples, type Register } from '../shared.js';
import { registerDaemonInstall } from './install.js';
import { registerDaemonLogs } from './logs.js';
import { registerDaemonRestart } from './restart.js';
import { registerDaemonRun } from './run.js';
import { registerDaemonStart } from './start.js';
import { registerDaemonStatus } from './status.js';
import { registerDaemonStop } from './stop.js';

export const registerDaemon: Register = (program, context) => {
  const daemon = program.command('daemon').description('the background daemon: delivers notifications, runs scheduled jobs').addHelpText('after', examples('crm daemon start', 'crm daemon status', 'crm daemon logs -f'));
  for (const r of [registerDaemonStart, registerDaemonStop, registerDaemonRestart, registerDaemonStatus, registerDaemonRun, registerDaemonLogs, registerDaemonInstall]) r(daemon, context);
};
