import { printJson, printRecord } from '../../io/output.js';
import { mailboxStatus, pollMailbox, setMailbox, type MailboxPollResult } from '../../services/intake/mailbox.js';
import { outputFlags, type Register } from '../shared.js';

function summary(r: MailboxPollResult): string {
  const parts = [`${r.created} new lead(s)`, `${r.existing} to known contacts`, `${r.reengaged} re-engaged`, `${r.skipped} skipped`, `${r.seen} already handled`];
  if (r.junk) parts.push(`${r.junk} junk`);
  if (r.rejected) parts.push(`${r.rejected} rejected`);
  return `${r.dryRun ? 'Dry run (nothing stored, nothing marked): ' : ''}${r.fetched} message(s) in ${r.user}/${r.folder}: ${parts.join(', ')}`;
}

export const registerMailbox: Register = (program, context) => {
  const mb = program.command('mailbox').description('mailbox parsing: inquiries emailed to an IMAP mailbox become leads (C5)');

  outputFlags(
    mb.command('set').description('configure the mailbox (managers and admins); the daemon polls it every --every')
      .option('--imap-host <host>', 'IMAP server, e.g. imap.example.com')
      .option('--port <n>', 'IMAP port (default 993 with TLS, 143 without)')
      .option('--tls', 'TLS from the start (the default)')
      .option('--no-tls', 'plain connection, upgraded with STARTTLS when the server offers it')
      .option('--user <user>', 'login, e.g. leads@acme.example (the password: CRM_IMAP_PASS or crm config set mailbox.pass)')
      .option('--folder <name>', 'folder to poll (default INBOX)')
      .option('--every <interval>', 'how often the daemon polls: 5m, 1h… (default 5m)')
      .option('--move-to <folder>', 'move handled messages to this folder (created if missing)')
      .option('--mark-seen', 'mark handled messages seen, leaving them in place (the default)')
      .option('--source <name>', 'source of the new leads (created if missing; default Email)'),
  ).action(async (opts: { imapHost?: string; port?: string; tls?: boolean; user?: string; folder?: string; every?: string; moveTo?: string; markSeen?: boolean; source?: string; json?: boolean }, c) => {
    const ctx = context(c);
    // commander sets tls to true by default because of --no-tls: only an explicit flag counts.
    const tls = c.getOptionValueSource('tls') === 'cli' ? opts.tls : undefined;
    const v = await setMailbox(await ctx.services(), { ...opts, tls }, ctx.env);
    if (opts.json) return printJson(ctx.io, v);
    ctx.io.out(`Mailbox ${v.user} set: ${v.host}:${v.port}${v.tls ? ' (TLS)' : ''}, folder ${v.folder}, every ${v.every}, then ${v.after}${v.source ? `, source ${v.source}` : ''}`);
    if (!v.pass) ctx.io.hint('No password yet: set CRM_IMAP_PASS for the daemon, or crm config set mailbox.pass');
  });

  outputFlags(
    mb.command('poll').description('poll the mailbox now (the daemon does it on schedule)')
      .option('--dry-run', 'fetch and show what would happen; store nothing, mark nothing'),
  ).action(async (opts: { dryRun?: boolean; json?: boolean }, c) => {
    const ctx = context(c);
    const svc = await ctx.services();
    const r = await pollMailbox(svc.store, svc.now, { dryRun: opts.dryRun, actor: svc.actor, env: ctx.env });
    if (opts.json) return printJson(ctx.io, r);
    for (const m of r.messages) {
      if (m.outcome === 'seen') continue;
      ctx.io.out([m.uid, m.outcome, m.leadId ?? '', m.from ?? '', m.subject ?? '', m.reason ?? ''].join('\t'));
    }
    ctx.io.out(summary(r));
  });

  outputFlags(mb.command('status').description('configuration, last poll, counts, last error, UIDVALIDITY and last UID')).action(async (opts: { json?: boolean }, c) => {
    const ctx = context(c);
    const svc = await ctx.services();
    const s = await mailboxStatus(svc, ctx.env);
    if (opts.json) return printJson(ctx.io, s);
    if (!s.config) return ctx.io.out('The mailbox is not configured (crm mailbox set).');
    const p = s.lastPoll;
    await printRecord(ctx.io, `Mailbox ${s.config.user}`, [
      ['server', `${s.config.host}:${s.config.port}${s.config.tls ? ' (TLS)' : ''}`], ['folder', s.config.folder], ['password', s.config.pass || '(none)'],
      ['every', s.config.every], ['then', s.config.after], ['source', s.config.source], ['acts as', s.config.actsAs],
      ['last poll', p ? `${p.startedAt} ${p.ok ? 'ok' : 'FAILED'}` : 'never'],
      ['last counts', p?.ok ? `${p.fetched} fetched, ${p.created} new, ${p.existing} to known contacts, ${p.reengaged} re-engaged, ${p.junk} junk, ${p.skipped} skipped, ${p.rejected} rejected, ${p.seen} already handled` : null],
      ['last error', p && !p.ok ? p.error : null],
      ['last success', s.lastSuccess?.startedAt ?? 'never'],
      ['uidvalidity', s.config.uidValidity === null ? null : String(s.config.uidValidity)], ['last uid', String(s.config.lastUid)],
      ['pending', s.pending ? `${s.pending} handled message(s) still to mark` : null], ['next due', s.nextDue],
    ]);
  });
};
