import { printJson, printList } from '../../io/output.js';
import { listWelcome, removeWelcome, setWelcome, WELCOME_VIA, type WelcomeView } from '../../services/welcome/service.js';
import { outputFlags, type Register } from '../shared.js';

const columns = [
  { header: 'SOURCE', cell: (w: WelcomeView) => w.source },
  { header: 'VIA', cell: (w: WelcomeView) => w.via },
  { header: 'CHANNEL', cell: (w: WelcomeView) => w.channel + (w.channelReady ? '' : ' (not configured)') },
  { header: 'TEMPLATE', cell: (w: WelcomeView) => w.template },
  { header: 'ATTACHMENT', cell: (w: WelcomeView) => (w.attachment ? `${w.attachment} (${Math.ceil(w.attachmentBytes! / 1024)} KiB)` : '') },
];

export const registerWelcome: Register = (program, context) => {
  const welcome = program.command('welcome').description('welcome messages to new leads from inquiries (C6), per source and/or intake channel');

  outputFlags(
    welcome.command('set').description('send new leads of a source (and/or intake channel) a welcome by email, SMS or WhatsApp')
      .option('--source <name>', 'the leads’ source (default: any)')
      .option('--via <channel>', `the intake channel: ${WELCOME_VIA.join(', ')} (default: any)`)
      .option('--channel <channel>', 'email | sms | whatsapp')
      .option('--template <name>', 'a template in templates/welcome/ (<name>.email.txt, <name>.txt), e.g. welcome')
      .option('--attach <file>', 'a file mailed with it (email only; copied into the store now, at most 10 MiB)'),
  ).action(async (opts: { source?: string; via?: string; channel?: string; template?: string; attach?: string; json?: boolean }, c) => {
    const ctx = context(c);
    const w = await setWelcome(await ctx.services(), { ...opts, env: ctx.env });
    if (opts.json) return printJson(ctx.io, w);
    ctx.io.out(`Welcome for source ${w.source}, via ${w.via}: ${w.channel} with template ${w.template}${w.attachment ? `, attaching ${w.attachment}` : ''}`);
    if (!w.channelReady) ctx.io.hint(`${w.channel} is not configured yet: nothing is queued until it is (crm notify setup / crm config set)`);
  });

  outputFlags(welcome.command('list').alias('ls').description('the welcome rules')).action(async (opts: { json?: boolean }, c) => {
    const ctx = context(c);
    await printList(ctx.io, opts, await listWelcome(await ctx.services()), columns, (w) => w, 'No welcome messages yet (crm welcome set --source Website --channel email --template welcome).');
  });

  outputFlags(
    welcome.command('remove').alias('rm').description('remove the welcome of a source / intake channel (one --channel, or all)')
      .option('--source <name>', 'the source it was set for')
      .option('--via <channel>', 'the intake channel it was set for')
      .option('--channel <channel>', 'only this message channel'),
  ).action(async (opts: { source?: string; via?: string; channel?: string; json?: boolean }, c) => {
    const ctx = context(c);
    const gone = await removeWelcome(await ctx.services(), opts);
    if (opts.json) printJson(ctx.io, gone);
    else for (const w of gone) ctx.io.out(`Removed the ${w.channel} welcome for source ${w.source}, via ${w.via}`);
  });
};
