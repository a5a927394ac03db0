import { printJson } from '../../io/output.js';
import { tzOption } from '../followup/options.js';
import { examples, outputFlags, type Register } from '../shared.js';
import { campaignId, linkBase, sendService } from './options.js';
import { campaignJson, when } from './render.js';

export const registerCampaignSend: Register = (parent, context) => {
  const cmd = parent
    .command('send')
    .description('send to every recipient (asks first; --yes without a terminal); again after an interruption: resumes').addHelpText('after', examples('crm campaign send 3', 'crm campaign send 3 --at "friday 09:00" --rate 300/min', 'crm campaign send 3 --yes'))
    .argument('<id>')
    .option('--at <time>', 'schedule the first message: "friday 09:00", "tomorrow 10am", ISO (team time zone)')
    .option('--rate <rate>', 'throttle: 5/s, 300/min, 1000/h (default: as fast as the daemon delivers)');
  outputFlags(tzOption(cmd)).action(async (raw: string, opts: { at?: string; rate?: string; tz?: string; json?: boolean }, c) => {
    const ctx = context(c);
    const svc = await sendService();
    const services = await ctx.services();
    const id = campaignId(raw);
    const o = { at: opts.at, rate: opts.rate, tz: opts.tz, timeZone: ctx.timeZone, env: ctx.env, linkBase: await linkBase(ctx) };
    const plan = await svc.planSend(services, id, o);
    const what = plan.resume
      ? `Resume sending campaign ${plan.campaign.id} (${plan.campaign.name}) to the rest of its ${plan.recipients} recipients?`
      : `Send campaign ${plan.campaign.id} (${plan.campaign.name}, ${plan.campaign.type}) to ${plan.recipients} recipient${plan.recipients === 1 ? '' : 's'}${plan.sendAt > services.now.toISOString() ? ` at ${when(plan.sendAt)}` : ' now'}${plan.rate === null ? '' : ` at ${svc.formatRate(plan.rate)}`}?`;
    if (!(await ctx.prompter.confirm('--yes', what))) {
      ctx.io.err('Nothing sent.');
      return;
    }
    if (plan.resume && (opts.at || opts.rate)) ctx.io.hint('Resuming keeps the first run\'s --at and --rate.');
    const progress = ctx.io.isInteractive ? (done: number, total: number) => ctx.io.hint(`queued ${done}/${total}`) : undefined;
    const r = await svc.sendCampaign(services, id, { ...o, onBatch: progress });
    const skipped = r.skipped['opted-out'] + r.skipped.bounced + r.skipped['no-address'] + r.skipped['no-consent'];
    if (opts.json) return printJson(ctx.io, { campaign: campaignJson(r.campaign), resumed: r.resumed, queued: r.queued, skipped: { optedOut: r.skipped['opted-out'], bounced: r.skipped.bounced, noAddress: r.skipped['no-address'], noConsent: r.skipped['no-consent'] }, sendAt: r.sendAt, rate: r.rate, lastDueAt: r.lastDueAt });
    ctx.io.out(
      `${r.resumed ? 'Resumed: queued' : 'Queued'} ${r.queued} message${r.queued === 1 ? '' : 's'} for campaign ${r.campaign.id} (${r.campaign.status})` +
        (skipped ? `; skipped ${skipped}: ${r.skipped['opted-out']} opted out, ${r.skipped.bounced} bounced, ${r.skipped['no-address']} without an address${r.skipped['no-consent'] ? `, ${r.skipped['no-consent']} without consent (privacy.require-consent)` : ''}` : ''),
    );
    if (r.rate !== null && r.lastDueAt) ctx.io.out(`Throttled at ${svc.formatRate(r.rate)}: the last is due ${when(r.lastDueAt)}.`);
    else if (r.sendAt > services.now.toISOString()) ctx.io.out(`Scheduled for ${when(r.sendAt)}.`);
    ctx.io.hint(`The daemon delivers them (crm daemon start); follow with crm campaign show ${r.campaign.id}.`);
  });
};
