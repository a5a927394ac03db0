import { UsageError } from '../../errors.js';
import { printJson } from '../../io/output.js';
import { assertRole } from '../../services/access.js';
import { examples, outputFlags, type Register } from '../shared.js';
import { bin } from './options.js';

export const registerDaemonInstall: Register = (daemon, context) => {
  const cmd = daemon.command('install').description('install the daemon as a service').addHelpText('after', examples('crm daemon install --systemd')).option('--systemd', 'write a systemd user unit');
  outputFlags(cmd).action(async (opts: { systemd?: boolean; json?: boolean }, c) => {
    const ctx = context(c);
    if (!opts.systemd) throw new UsageError('say which service manager', 'crm daemon install --systemd');
    const store = await ctx.store();
    assertRole(await ctx.actor(), ['admin'], 'install the daemon as a service');
    const { installSystemd } = await import('../../daemon/control.js');
    const r = installSystemd({ store, env: ctx.env, bin: bin() });
    if (opts.json) return printJson(ctx.io, { unitFile: r.file, enable: 'systemctl --user daemon-reload && systemctl --user enable --now crm.service' });
    ctx.io.out(`Wrote ${r.file}`);
    ctx.io.out('Enable and start it with:');
    ctx.io.out('  systemctl --user daemon-reload');
    ctx.io.out('  systemctl --user enable --now crm.service');
    ctx.io.out('To keep it running when you are logged out: loginctl enable-linger $USER');
  });
};
