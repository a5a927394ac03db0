import { printJson } from '../../../io/output.js';
import { addForm } from '../../../services/intake/forms.js';
import { collect, examples, outputFlags, type Register } from '../../shared.js';
import { where } from '../options.js';
import { printToken } from '../render.js';

export const registerIntakeFormAdd: Register = (form, context) => {
  const cmd = form
    .command('add')
    .description('add a form; prints its endpoint URL and token (shown once)').addHelpText('after', examples('crm intake form add contact --fields your-name=name,your-email=email,tel=phone,msg=message --source Website --redirect https://acme.example/thanks', 'crm intake form add quote --fields name=name,email=email --honeypot website --origin https://acme.example'))
    .argument('<name>', 'the form name, part of the URL: /intake/form/<name>')
    .option('--fields <map>', 'submitted=target pairs, e.g. your-name=name,your-email=email,tel=phone,msg=message (targets: name, first-name, last-name, email, phone, company, message, subject, address, custom:<key>, ignore)')
    .option('--source <name>', 'source of the new leads (created if missing)')
    .option('--tag <tag>', 'tag for the new leads (repeatable or comma-separated; created if missing)', collect)
    .option('--honeypot <field>', 'a hidden field people leave empty: a submission that fills it is answered as accepted but stored as spam only')
    .option('--rate <n/unit>', 'submissions per client IP, e.g. 10/min (default), 2/s, 100/hour; the whole form takes 10 times that')
    .option('--redirect <url>', 'where a browser goes after posting the form (303); without it the answer is JSON')
    .option('--origin <origin>', 'the website origin allowed to post JSON from a browser (CORS), e.g. https://acme.example');
  outputFlags(cmd).action(async (name: string, opts: { fields?: string; source?: string; tag?: string[]; honeypot?: string; rate?: string; redirect?: string; origin?: string; json?: boolean }, c) => {
    const ctx = context(c);
    const v = await addForm(await ctx.services(), where(ctx), name, opts);
    if (opts.json) return printJson(ctx.io, v);
    ctx.io.out(`Added intake form ${v.name}`);
    printToken(ctx, v);
  });
};
