import { printJson } from '../../io/output.js';
import { portalSettings, setPortal, type PortalSettings } from '../../services/portal/service.js';
import { UsageError } from '../../errors.js';
import { linkBase } from '../campaign/options.js';
import { examples, outputFlags, type Register } from '../shared.js';

function print(io: { out(s: string): void }, s: PortalSettings): void {
  io.out(`portal                ${s.enabled ? 'on' : 'off'}`);
  io.out(`link lifetime         ${s.linkMinutes} min`);
  io.out(`session lifetime      ${s.sessionHours} h`);
  io.out(`order-request prefix  ${JSON.stringify(s.orderRequestPrefix)}`);
  io.out(`sections              ${s.sections.join(', ') || '(none)'}`);
}

export const registerPortalShow: Register = (parent, context) => {
  const cmd = parent.command('show').description("the portal's settings: on or off, link and session lifetimes, order-request prefix, sections shown")
    .addHelpText('after', examples('crm portal show', 'crm portal show --json'));
  outputFlags(cmd).action(async (opts: { json?: boolean }, c) => {
    const ctx = context(c);
    const s = await portalSettings(await ctx.store());
    const base = await linkBase(ctx);
    const url = base ? `${base}/portal/` : null;
    if (opts.json) printJson(ctx.io, { ...s, url });
    else {
      print(ctx.io, s);
      ctx.io.out(`address               ${url ?? '(none: set http.public-url, or start the daemon)'}`);
    }
  });
};

export const registerPortalSet: Register = (parent, context) => {
  const cmd = parent.command('set').description('turn the portal on or off and change its settings (admins)')
    .addHelpText('after', examples('crm portal set --on', 'crm portal set --link-minutes 15 --sections orders,invoices,ledger,tickets', 'crm portal set --off'))
    .option('--on', 'serve the portal under <http.public-url>/portal/')
    .option('--off', 'stop serving it (every /portal path answers 404)')
    .option('--link-minutes <n>', 'how long a sign-in link stays valid')
    .option('--session-hours <n>', 'how long a session lasts after sign-in')
    .option('--order-request-prefix <text>', "text before an order request's title")
    .option('--sections <list>', 'sections shown: orders, invoices, ledger, proposals, tickets, order-request (comma-separated)');
  outputFlags(cmd).action(async (opts: { on?: boolean; off?: boolean; linkMinutes?: string; sessionHours?: string; orderRequestPrefix?: string; sections?: string; json?: boolean }, c) => {
    const ctx = context(c);
    if (opts.on && opts.off) throw new UsageError('give --on or --off, not both');
    if (!opts.on && !opts.off && [opts.linkMinutes, opts.sessionHours, opts.orderRequestPrefix, opts.sections].every((v) => v === undefined)) {
      throw new UsageError('nothing to change', 'give --on or --off, --link-minutes, --session-hours, --order-request-prefix or --sections');
    }
    const s = await setPortal(await ctx.services(), { on: opts.on ? true : opts.off ? false : undefined, linkMinutes: opts.linkMinutes, sessionHours: opts.sessionHours, orderRequestPrefix: opts.orderRequestPrefix, sections: opts.sections });
    if (opts.json) printJson(ctx.io, s);
    else print(ctx.io, s);
  });
};
