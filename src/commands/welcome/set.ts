import { printJson } from '../../io/output.js';
import { setWelcome, WELCOME_VIA } from '../../services/welcome/service.js';
import { examples, outputFlags, type Register } from '../shared.js';

export const registerWelcomeSet: Register = (parent, context) => {
  const cmd = parent
    .command('set')
    .description('send new leads of a source (and/or intake channel) a welcome by email, SMS or WhatsApp').addHelpText('after', examples('crm welcome set --source Website --channel email --template welcome', 'crm welcome set --via whatsapp --channel whatsapp --template welcome'))
    .option('--source <name>', 'the leads’ source (default: any)')
    .option('--via <channel>', `the intake channel: ${WELCOME_VIA.join(', ')} (default: any)`)
    .option('--channel <channel>', 'email | sms | whatsapp')
    .option('--template <name>', 'a template in templates/welcome/ (<name>.email.txt, <name>.txt), e.g. welcome')
    .option('--attach <file>', 'a file mailed with it (email only; copied into the store now, at most 10 MiB)');
  outputFlags(cmd).action(async (opts: { source?: string; via?: string; channel?: string; template?: string; attach?: string; json?: boolean }, c) => {
    const ctx = context(c);
    const w = await setWelcome(await ctx.services(), { ...opts, env: ctx.env });
    if (opts.json) return printJson(ctx.io, w);
    ctx.io.out(`Welcome for source ${w.source}, via ${w.via}: ${w.channel} with template ${w.template}${w.attachment ? `, attaching ${w.attachment}` : ''}`);
    if (!w.channelReady) ctx.io.hint(`${w.channel} is not configured yet: nothing is queued until it is (crm notify setup / crm config set)`);
  });
};
