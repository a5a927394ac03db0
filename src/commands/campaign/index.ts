import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Context } from '../../context.js';
import { alive } from '../../io/pidlock.js';
import { effectiveSetting } from '../../services/settings/service.js';
import { NotFoundError, UsageError } from '../../errors.js';
import { printJson, printList, printRecord } from '../../io/output.js';
import { createCampaign, editCampaign, previewCampaign } from '../../services/campaigns/service.js';
import type { CampaignProgress } from '../../services/campaigns/send.js';
import type { Campaign, CampaignRecipient } from '../../domain/campaigns.js';
import { outputFlags, type Register } from '../shared.js';
import { tzOption } from '../followup/options.js';

const campaignJson = (c: Campaign & { recipients?: number; progress?: CampaignProgress | null }) => ({
  id: c.id, name: c.name, type: c.type, to: c.audience, tag: c.tag, subject: c.subject, body: c.body, status: c.status,
  recipients: c.recipients, createdBy: c.createdBy, createdAt: c.createdAt, sendAt: c.sendAt, rate: c.rate, queuedAt: c.queuedAt, sentAt: c.sentAt,
  cancelledAt: c.cancelledAt, ...(c.progress !== undefined ? { progress: c.progress } : {}),
});

const sendService = () => import('../../services/campaigns/send.js');
const when = (iso: string | null) => (iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : null);

/**
 * Where unsubscribe links point: http.public-url, else the running daemon's endpoint, else the
 * http.listen address (unless it is off or port 0, which only a running daemon can resolve).
 */
async function linkBase(ctx: Context): Promise<string | undefined> {
  const settings = await (await ctx.store()).settings.all();
  const pub = effectiveSetting(settings, ctx.env, 'http.public-url');
  if (pub) return pub.replace(/\/+$/, '');
  try {
    const a = JSON.parse(readFileSync(ctx.files().daemon().http, 'utf8')) as { publicUrl: string; pid: number };
    if (alive(a.pid)) return a.publicUrl.replace(/\/+$/, '');
  } catch {
    // no daemon endpoint running
  }
  const listen = effectiveSetting(settings, ctx.env, 'http.listen');
  return listen === 'off' || /:0$/.test(listen) ? undefined : `http://${listen}`;
}

function id(raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`invalid campaign id '${raw}'`, 'ids are whole numbers (crm campaign list)');
  return n;
}

function readBody(file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFoundError(`no such body file '${file}'`, 'give the path of a text or Markdown file');
    throw new UsageError(`cannot read '${file}': ${(err as Error).message}`);
  }
}

export const registerCampaign: Register = (program, context) => {
  const campaign = program.command('campaign').description('campaigns: create, edit, preview, test, send, cancel, show, recipients');

  outputFlags(
    campaign
      .command('create')
      .description('create a draft campaign (admins, managers, marketing)')
      .option('--name <name>', 'what the team calls it; {campaign_name} in the message')
      .option('--type <type>', 'email | sms | whatsapp', 'email')
      .option('--to <audience>', 'leads | customers | all | segment:NAME')
      .option('--tag <tag>', 'only contacts with this tag')
      .option('--subject <text>', 'email subject (tags allowed)')
      .option('--body-file <file>', 'the message; tags such as {contact_name} {business_name} {campaign_name}'),
  ).action(async (opts: { name?: string; type?: string; to?: string; tag?: string; subject?: string; bodyFile?: string; json?: boolean }, c: Command) => {
    const ctx = context(c);
    if (opts.bodyFile === undefined) throw new UsageError('a campaign needs --body-file', 'write the message in a file: --body-file offer.md');
    const created = await createCampaign(await ctx.services(), { ...opts, body: readBody(opts.bodyFile) });
    if (opts.json) printJson(ctx.io, { ...campaignJson(created), ...(created.sms ? { sms: created.sms } : {}) });
    else {
      ctx.io.out(`Created campaign ${created.id} (${created.name}, ${created.type} to ${created.audience}): a draft`);
      if (created.sms && created.sms.segments > 1) ctx.io.out(`The SMS body takes ${created.sms.segments} segments (${created.sms.units} ${created.sms.encoding} characters).`);
    }
  });

  outputFlags(campaign.command('list').alias('ls').description('list campaigns, newest first'), { quiet: true }).action(async (opts: { json?: boolean; quiet?: boolean }, c: Command) => {
    const ctx = context(c);
    const rows = await (await sendService()).listCampaignsSettled(await ctx.services());
    const columns = [
      { header: 'ID', cell: (x: Campaign) => x.id },
      { header: 'NAME', cell: (x: Campaign) => x.name },
      { header: 'TYPE', cell: (x: Campaign) => x.type },
      { header: 'TO', cell: (x: Campaign) => (x.tag ? `${x.audience} tag:${x.tag}` : x.audience) },
      { header: 'STATUS', cell: (x: Campaign) => x.status },
      { header: 'SENT', cell: (x: Campaign) => (x.sentAt ? x.sentAt.slice(0, 16).replace('T', ' ') : x.sendAt && x.status === 'scheduled' ? `at ${x.sendAt.slice(0, 16).replace('T', ' ')}` : '') },
    ];
    await printList(ctx.io, opts, rows, columns, campaignJson, 'No campaigns yet (crm campaign create …).');
  });

  outputFlags(campaign.command('show').description('a campaign and its recipients: counts per message state once sent').argument('<id>')).action(async (raw: string, opts: { json?: boolean }, c: Command) => {
    const ctx = context(c);
    const x = await (await sendService()).campaignReport(await ctx.services(), id(raw));
    if (opts.json) return printJson(ctx.io, campaignJson(x));
    const p = x.progress;
    await printRecord(ctx.io, `Campaign ${x.id}: ${x.name}`, [
      ['Type', x.type],
      ['To', x.tag ? `${x.audience} (tag ${x.tag})` : x.audience],
      ['Status', x.status],
      ['Recipients', p ? x.recipients : `${x.recipients} (if sent now)`],
      ...(p
        ? ([
            ['Queued', p.queued],
            ['Waiting', p.pending + p.sending],
            ['Sent', p.sent],
            ['Failed', p.failed + p.dead ? `${p.dead} for good, ${p.failed} retrying` : 0],
            ['Cancelled', p.cancelled || null],
            ['Opted out', p.optedOut],
            ['Bounced', p.bounced],
            ['No address', p.noAddress],
            ['Send at', when(x.sendAt)],
            ['Rate', x.rate === null ? null : (await sendService()).formatRate(x.rate)],
            ['Sent at', when(x.sentAt)],
          ] as [string, string | number | null][])
        : []),
      ['Subject', x.subject],
      ['Created', `${x.createdAt.slice(0, 16).replace('T', ' ')}${x.createdBy ? ` by ${x.createdBy}` : ''}`],
    ]);
    ctx.io.out('');
    ctx.io.out(x.body.replace(/\n$/, ''));
  });

  outputFlags(campaign.command('preview').description('the message rendered for one recipient').argument('<id>').option('--contact <lead-id>', 'render for this lead (default: the first recipient)')).action(
    async (raw: string, opts: { contact?: string; json?: boolean }, c: Command) => {
      const ctx = context(c);
      const contact = opts.contact === undefined ? undefined : Number(opts.contact);
      if (contact !== undefined && (!Number.isInteger(contact) || contact < 1)) throw new UsageError(`invalid --contact '${opts.contact}'`, 'a lead id (crm lead list)');
      const p = await previewCampaign(await ctx.services(), id(raw), contact);
      if (opts.json) return printJson(ctx.io, { campaign: p.campaign.id, contact: p.contact, subject: p.subject, body: p.body, ...(p.sms ? { sms: p.sms } : {}) });
      ctx.io.out(`To: ${p.contact.name} <${p.contact.address ?? 'no address'}> (lead ${p.contact.id})`);
      if (p.subject !== null) ctx.io.out(`Subject: ${p.subject}`);
      ctx.io.out('');
      ctx.io.out(p.body.replace(/\n$/, ''));
      if (p.sms) ctx.io.hint(`SMS: ${p.sms.segments} segment(s), ${p.sms.units} ${p.sms.encoding} characters.`);
    },
  );

  outputFlags(
    campaign
      .command('edit')
      .description('change a draft (a scheduled, sending or sent campaign cannot change)')
      .argument('<id>')
      .option('--name <name>', 'new name')
      .option('--type <type>', 'email | sms | whatsapp')
      .option('--to <audience>', 'leads | customers | all | segment:NAME')
      .option('--tag <tag>', 'only contacts with this tag (empty: any)')
      .option('--subject <text>', 'email subject (tags allowed)')
      .option('--body-file <file>', 'the new message'),
  ).action(async (raw: string, opts: { name?: string; type?: string; to?: string; tag?: string; subject?: string; bodyFile?: string; json?: boolean }, c: Command) => {
    const ctx = context(c);
    const { bodyFile, json, ...fields } = opts;
    const x = await editCampaign(await ctx.services(), id(raw), { ...fields, body: readBody(bodyFile) });
    if (json) printJson(ctx.io, campaignJson(x));
    else ctx.io.out(`Updated campaign ${x.id} (${x.name}): still a draft`);
  });

  outputFlags(campaign.command('test').description('send the campaign to yourself only (your email, or the phone from crm notify phone), marked as a test').argument('<id>')).action(
    async (raw: string, opts: { json?: boolean }, c: Command) => {
      const ctx = context(c);
      const r = await (await sendService()).testCampaign(await ctx.services(), id(raw), { env: ctx.env, linkBase: await linkBase(ctx) });
      if (opts.json) return printJson(ctx.io, { campaign: r.campaign.id, test: true, to: r.address, key: r.key, renderedFor: r.contact });
      ctx.io.out(`Queued a test of campaign ${r.campaign.id} to ${r.address}${r.contact ? ` (rendered for ${r.contact.name}, lead ${r.contact.id})` : ''}; the campaign is still ${r.campaign.status}`);
      ctx.io.hint('The daemon delivers it (crm daemon start).');
    },
  );

  outputFlags(
    tzOption(
      campaign
        .command('send')
        .description('send to every recipient (asks first; --yes without a terminal); again after an interruption: resumes')
        .argument('<id>')
        .option('--at <time>', 'schedule the first message: "friday 09:00", "tomorrow 10am", ISO (team time zone)')
        .option('--rate <rate>', 'throttle: 5/s, 300/min, 1000/h (default: as fast as the daemon delivers)'),
    ),
  ).action(async (raw: string, opts: { at?: string; rate?: string; tz?: string; json?: boolean }, c: Command) => {
    const ctx = context(c);
    const svc = await sendService();
    const services = await ctx.services();
    const o = { at: opts.at, rate: opts.rate, tz: opts.tz, timeZone: ctx.timeZone, env: ctx.env, linkBase: await linkBase(ctx) };
    const plan = await svc.planSend(services, id(raw), o);
    const what = plan.resume
      ? `Resume sending campaign ${plan.campaign.id} (${plan.campaign.name}) to the rest of its ${plan.recipients} recipients?`
      : `Send campaign ${plan.campaign.id} (${plan.campaign.name}, ${plan.campaign.type}) to ${plan.recipients} recipient${plan.recipients === 1 ? '' : 's'}${plan.sendAt > services.now.toISOString() ? ` at ${when(plan.sendAt)}` : ' now'}${plan.rate === null ? '' : ` at ${svc.formatRate(plan.rate)}`}?`;
    if (!(await ctx.prompter.confirm('--yes', what))) {
      ctx.io.err('Nothing sent.');
      return;
    }
    if (plan.resume && (opts.at || opts.rate)) ctx.io.hint('Resuming keeps the first run\'s --at and --rate.');
    const progress = ctx.io.isInteractive ? (done: number, total: number) => ctx.io.hint(`queued ${done}/${total}`) : undefined;
    const r = await svc.sendCampaign(services, id(raw), { ...o, onBatch: progress });
    const skipped = r.skipped['opted-out'] + r.skipped.bounced + r.skipped['no-address'];
    if (opts.json) return printJson(ctx.io, { campaign: campaignJson(r.campaign), resumed: r.resumed, queued: r.queued, skipped: { optedOut: r.skipped['opted-out'], bounced: r.skipped.bounced, noAddress: r.skipped['no-address'] }, sendAt: r.sendAt, rate: r.rate, lastDueAt: r.lastDueAt });
    ctx.io.out(
      `${r.resumed ? 'Resumed: queued' : 'Queued'} ${r.queued} message${r.queued === 1 ? '' : 's'} for campaign ${r.campaign.id} (${r.campaign.status})` +
        (skipped ? `; skipped ${skipped}: ${r.skipped['opted-out']} opted out, ${r.skipped.bounced} bounced, ${r.skipped['no-address']} without an address` : ''),
    );
    if (r.rate !== null && r.lastDueAt) ctx.io.out(`Throttled at ${svc.formatRate(r.rate)}: the last is due ${when(r.lastDueAt)}.`);
    else if (r.sendAt > services.now.toISOString()) ctx.io.out(`Scheduled for ${when(r.sendAt)}.`);
    ctx.io.hint(`The daemon delivers them (crm daemon start); follow with crm campaign show ${r.campaign.id}.`);
  });

  outputFlags(
    campaign
      .command('recipients')
      .description('who a sent campaign went to, and the state of each message')
      .argument('<id>')
      .option('--status <status>', 'only: pending, sending, sent, failed, dead, cancelled, opted-out, bounced, no-address'),
    { quiet: true },
  ).action(async (raw: string, opts: { status?: string; json?: boolean; quiet?: boolean }, c: Command) => {
    const ctx = context(c);
    const r = await (await sendService()).campaignRecipients(await ctx.services(), id(raw), { status: opts.status });
    const rows = r.recipients.map((x) => ({ ...x, id: x.leadId }));
    type Row = CampaignRecipient & { id: number };
    await printList(
      ctx.io, opts, rows,
      [
        { header: 'LEAD', cell: (x: Row) => x.leadId },
        { header: 'NAME', cell: (x: Row) => x.name },
        { header: 'ADDRESS', cell: (x: Row) => x.address ?? '' },
        { header: 'STATUS', cell: (x: Row) => x.status },
        { header: 'SENT', cell: (x: Row) => (x.sentAt ? x.sentAt.slice(0, 16).replace('T', ' ') : '') },
        { header: 'ERROR', cell: (x: Row) => x.error ?? '' },
      ],
      (x: Row) => ({ leadId: x.leadId, name: x.name, address: x.address, status: x.status, attempts: x.attempts, error: x.error, sentAt: x.sentAt }),
      r.campaign.status === 'draft' ? `Campaign ${r.campaign.id} is a draft: no recipients yet (crm campaign show ${r.campaign.id} counts its audience).` : 'No recipients match.',
    );
  });

  outputFlags(campaign.command('cancel').description('cancel a scheduled or sending campaign: messages not yet sent are not sent').argument('<id>')).action(async (raw: string, opts: { json?: boolean }, c: Command) => {
    const ctx = context(c);
    const r = await (await sendService()).cancelCampaign(await ctx.services(), id(raw));
    if (opts.json) return printJson(ctx.io, { campaign: campaignJson(r.campaign), cancelled: r.cancelled });
    ctx.io.out(`Cancelled campaign ${r.campaign.id}: ${r.cancelled} message${r.cancelled === 1 ? '' : 's'} not sent`);
  });
};
