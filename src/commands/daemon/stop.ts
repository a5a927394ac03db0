import { printJson } from '../../io/output.js';
import { assertRole } from '../../services/access.js';
import { examples, outputFlags, type Register } from '../shared.js';

export const registerDaemonStop: Register = (daemon, context) => {
  const cmd = daemon.command('stop').description('stop the daemon; deliveries in flight finish first').addHelpText('after', examples('crm daemon stop'));
  outputFlags(cmd).action(async (opts: { json?: boolean }, c) => {
    const ctx = context(c);
    assertRole(await ctx.actor(), ['admin'], 'stop the daemon');
    const { stopDaemon } = await import('../../daemon/control.js');
    const r = await stopDaemon(await ctx.store());
    if (opts.json) printJson(ctx.io, { stopped: Boolean(r), pid: r?.pid ?? null });
    else ctx.io.out(r ? `Stopped the daemon (pid ${r.pid})` : 'The daemon is not running');
  });
};
