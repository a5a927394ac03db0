import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { printJson, printList, printRecord } from '../../io/output.js';
import type { Context } from '../../context.js';
import { addForm, intakeLog, listForms, removeForm, rotateFormToken, showForm, type EndpointEnv, type FormView } from '../../services/intake/forms.js';
import type { IntakeLogEntry } from '../../domain/intake.js';
import { collect, outputFlags, type Register } from '../shared.js';

const OFF = "none: the daemon's HTTP endpoint is off (crm config set http.listen 127.0.0.1:8765)";

const fieldsText = (f: Record<string, string>) => Object.entries(f).map(([k, v]) => `${k}=${v}`).join(',');

async function printForm(ctx: Context, v: FormView): Promise<void> {
  await printRecord(ctx.io, `Intake form ${v.name}`, [
    ['endpoint', v.endpoint ?? OFF], ['fields', fieldsText(v.fields) || 'default names (name, email, phone, company, message…)'], ['source', v.source],
    ['tags', v.tags.join(', ')], ['honeypot', v.honeypot], ['rate', `${v.rate} per client IP`], ['redirect', v.redirect], ['origin', v.origin],
    ['acts as', v.actsAs], ['created', v.createdAt], ['token rotated', v.tokenRotatedAt],
  ]);
}

function printToken(ctx: Context, v: FormView & { token: string }): void {
  ctx.io.out(`Endpoint: ${v.endpoint ?? OFF}`);
  ctx.io.out(`Token:    ${v.token}`);
  ctx.io.out('The token is shown once; only its hash is kept. Send it as Authorization: Bearer <token>, or as a token field (hidden input) or ?token= query parameter.');
}

/** The environment, and the running daemon's address (written by it when it listens). */
function where(ctx: Context): EndpointEnv {
  let daemonUrl: string | null = null;
  try {
    daemonUrl = (JSON.parse(readFileSync(ctx.files().daemon().http, 'utf8')) as { url?: string }).url ?? null;
  } catch {
    // not running, or not listening
  }
  return { env: ctx.env, daemonUrl };
}

export const registerIntake: Register = (program, context) => {
  const intake = program.command('intake').description('HTTP intake: web forms, and SMS/WhatsApp through Twilio, served by the daemon (C4)');
  const form = intake.command('form').description('web forms the daemon accepts submissions for (managers and admins)');

  outputFlags(
    form.command('add').description('add a form; prints its endpoint URL and token (shown once)').argument('<name>', 'the form name, part of the URL: /intake/form/<name>')
      .option('--fields <map>', 'submitted=target pairs, e.g. your-name=name,your-email=email,tel=phone,msg=message (targets: name, first-name, last-name, email, phone, company, message, subject, address, custom:<key>, ignore)')
      .option('--source <name>', 'source of the new leads (created if missing)')
      .option('--tag <tag>', 'tag for the new leads (repeatable or comma-separated; created if missing)', collect)
      .option('--honeypot <field>', 'a hidden field people leave empty: a submission that fills it is answered as accepted but stored as spam only')
      .option('--rate <n/unit>', `submissions per client IP, e.g. 10/min (default), 2/s, 100/hour; the whole form takes 10 times that`)
      .option('--redirect <url>', 'where a browser goes after posting the form (303); without it the answer is JSON')
      .option('--origin <origin>', 'the website origin allowed to post JSON from a browser (CORS), e.g. https://acme.example'),
  ).action(async (name: string, opts: { fields?: string; source?: string; tag?: string[]; honeypot?: string; rate?: string; redirect?: string; origin?: string; json?: boolean }, c: Command) => {
    const ctx = context(c);
    const v = await addForm(await ctx.services(), where(ctx), name, opts);
    if (opts.json) return printJson(ctx.io, v);
    ctx.io.out(`Added intake form ${v.name}`);
    printToken(ctx, v);
  });

  outputFlags(form.command('list').alias('ls').description('the forms, their endpoints and settings'), { quiet: true }).action(async (opts: { json?: boolean; quiet?: boolean }, c: Command) => {
    const ctx = context(c);
    const rows = (await listForms(await ctx.services(), where(ctx))).map((f) => ({ ...f, id: f.name }));
    await printList(ctx.io, opts, rows, [
      { header: 'NAME', cell: (f) => f.name },
      { header: 'ENDPOINT', cell: (f) => f.endpoint ?? 'off' },
      { header: 'SOURCE', cell: (f) => f.source },
      { header: 'RATE', cell: (f) => f.rate },
      { header: 'REDIRECT', cell: (f) => f.redirect },
    ], ({ id: _id, ...f }) => f, 'No intake forms yet (crm intake form add website).');
  });

  outputFlags(form.command('show').description("a form's endpoint and settings (never its token)").argument('<name>')).action(async (name: string, opts: { json?: boolean }, c: Command) => {
    const ctx = context(c);
    const v = await showForm(await ctx.services(), where(ctx), name);
    if (opts.json) return printJson(ctx.io, v);
    await printForm(ctx, v);
  });

  outputFlags(form.command('remove').alias('rm').description('remove a form: its endpoint answers 404 from now on').argument('<name>')).action(async (name: string, opts: { json?: boolean }, c: Command) => {
    const ctx = context(c);
    const r = await removeForm(await ctx.services(), name);
    if (opts.json) return printJson(ctx.io, { ...r, removed: true });
    ctx.io.out(`Removed intake form ${r.name}`);
  });

  outputFlags(form.command('rotate-token').description('a new token for the form (shown once); the old one stops working').argument('<name>')).action(async (name: string, opts: { json?: boolean }, c: Command) => {
    const ctx = context(c);
    const v = await rotateFormToken(await ctx.services(), where(ctx), name);
    if (opts.json) return printJson(ctx.io, v);
    ctx.io.out(`New token for intake form ${v.name}`);
    printToken(ctx, v);
  });

  outputFlags(
    intake.command('log').description('recent submissions and webhooks, newest first: accepted, spam or refused (and why), lead id')
      .option('--form <name>', 'only this form')
      .option('--channel <channel>', 'only form, sms or whatsapp')
      .option('--limit <n>', 'how many (default 50)'),
  ).action(async (opts: { form?: string; channel?: string; limit?: string; json?: boolean }, c: Command) => {
    const ctx = context(c);
    const rows = await intakeLog(await ctx.services(), opts);
    await printList(ctx.io, opts, rows, [
      { header: 'ID', cell: (e: IntakeLogEntry) => e.id },
      { header: 'AT', cell: (e) => e.at },
      { header: 'CHANNEL', cell: (e) => e.channel },
      { header: 'REF', cell: (e) => e.ref },
      { header: 'FROM', cell: (e) => e.remote },
      { header: 'STATUS', cell: (e) => e.status },
      { header: 'RESULT', cell: (e) => e.result },
      { header: 'LEAD', cell: (e) => (e.leadId ? `${e.leadId}${e.outcome ? ` (${e.outcome})` : ''}` : '') },
      { header: 'REASON', cell: (e) => e.reason },
    ], (e) => e, 'Nothing received yet.');
  });
};
