import { printJson } from '../../io/output.js';
import { removeWelcome } from '../../services/welcome/service.js';
import { confirmed, examples, outputFlags, type Register } from '../shared.js';

export const registerWelcomeRemove: Register = (parent, context) => {
  const cmd = parent
    .command('remove')
    .alias('rm')
    .description('remove the welcome of a source / intake channel (one --channel, or all)').addHelpText('after', examples('crm welcome remove --source Website --channel email', 'crm welcome remove --via whatsapp'))
    .option('--source <name>', 'the source it was set for')
    .option('--via <channel>', 'the intake channel it was set for')
    .option('--channel <channel>', 'only this message channel');
  outputFlags(cmd).action(async (opts: { source?: string; via?: string; channel?: string; json?: boolean }, c) => {
    const ctx = context(c);
    if (!(await confirmed(ctx, `Remove the matching welcome messages?`))) return;
    const gone = await removeWelcome(await ctx.services(), opts);
    if (opts.json) printJson(ctx.io, gone);
    else for (const w of gone) ctx.io.out(`Removed the ${w.channel} welcome for source ${w.source}, via ${w.via}`);
  });
};
