import { UsageError } from '../../errors.js';
import { printJson } from '../../io/output.js';
import { dashboard } from '../../services/reports/dashboard.js';
import { resolveTimeZone } from '../../services/time/parse.js';
import { errorText, type Said } from '../hints.js';
import { examples, outputFlags, type Register } from '../shared.js';
import { dashboardText } from './render.js';
import { loadDashboardUi } from '../../ui/load.js';

/** A bare `crm dashboard` shows it: its flags and action sit on the noun itself. */
export const registerDashboardView: Register = (noun, context) => {
  const cmd = noun
    .description('the KPIs of your pipeline, follow-ups and calls; live on a terminal').addHelpText('after', examples('crm dashboard', 'crm dashboard --once', 'crm dashboard --json'))
    .option('--once', 'print once and exit (what scripts and pipes get anyway)')
    .option('--interval <seconds>', 'refresh interval of the live view', '5')
    .option('--tz <zone>', 'time zone for today / this month');
  outputFlags(cmd).action(async (opts: { once?: boolean; interval: string; tz?: string; json?: boolean }, c) => {
    const ctx = context(c);
    if (!opts.tz) await ctx.actor(); // the acting user's personal timezone
    const tz = resolveTimeZone(opts.tz, ctx.timeZone);
    const interval = Number(opts.interval);
    if (!Number.isFinite(interval) || interval < 1) throw new UsageError(`invalid --interval '${opts.interval}'`, 'a number of seconds, at least 1');
    const svc = await ctx.services();
    if (opts.json) return printJson(ctx.io, await dashboard(svc, tz));
    if (opts.once || !ctx.io.isInteractive) return ctx.io.out(dashboardText(ctx.io, await dashboard(svc, tz)));
    // Start loading ink while the first frame is computed.
    const ui = loadDashboardUi();
    const initial = dashboardText(ctx.io, await dashboard({ ...svc, now: ctx.now() }, tz));
    // A refresh that fails is shown under the last frame, in the CLI's words.
    const frame = () => dashboard({ ...svc, now: ctx.now() }, tz).then(
      (d) => dashboardText(ctx.io, d),
      (err: Said) => Promise.reject(new Error(err?.message !== undefined ? errorText(err) : String(err))),
    );
    await (await ui).runDashboard({
      frame,
      initial,
      intervalMs: interval * 1000,
      stdin: ctx.io.stdin as NodeJS.ReadStream,
      stdout: ctx.io.stdout as NodeJS.WriteStream,
      stderr: ctx.io.stderr as NodeJS.WriteStream,
    });
  });
};
