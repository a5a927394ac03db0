import { printJson } from '../../io/output.js';
import { setMailbox, type MailboxSetInput } from '../../services/intake/mailbox.js';
import { examples, outputFlags, type Register } from '../shared.js';
import { mailboxSetLine } from './render.js';

/** The flags are the service's input, as commander names them (--port stays a string). */
interface Options extends MailboxSetInput {
  port?: string;
  json?: boolean;
}

export const registerMailboxSet: Register = (parent, context) => {
  const cmd = parent
    .command('set')
    .description('configure the mailbox (managers and admins); the daemon polls it every --every').addHelpText('after', examples('crm mailbox set --imap-host imap.example.com --user leads@acme.example --move-to Handled', 'crm mailbox set --imap-host mail.acme.example --port 143 --no-tls --user leads --every 15m'))
    .option('--imap-host <host>', 'IMAP server, e.g. imap.example.com')
    .option('--port <n>', 'IMAP port (default 993 with TLS, 143 without)')
    .option('--tls', 'TLS from the start (the default)')
    .option('--no-tls', 'plain connection, upgraded with STARTTLS when the server offers it')
    .option('--user <user>', 'login, e.g. leads@acme.example (the password: CRM_IMAP_PASS or crm config set mailbox.pass)')
    .option('--folder <name>', 'folder to poll (default INBOX)')
    .option('--every <interval>', 'how often the daemon polls: 5m, 1h… (default 5m)')
    .option('--move-to <folder>', 'move handled messages to this folder (created if missing)')
    .option('--mark-seen', 'mark handled messages seen, leaving them in place (the default)')
    .option('--source <name>', 'source of the new leads (created if missing; default Email)');
  outputFlags(cmd).action(async (opts: Options, c) => {
    const ctx = context(c);
    // commander sets tls to true by default because of --no-tls: only an explicit flag counts.
    const tls = c.getOptionValueSource('tls') === 'cli' ? opts.tls : undefined;
    const v = await setMailbox(await ctx.services(), { ...opts, tls }, ctx.env);
    if (opts.json) return printJson(ctx.io, v);
    ctx.io.out(mailboxSetLine(v));
    if (!v.pass) ctx.io.hint('No password yet: set CRM_IMAP_PASS for the daemon, or crm config set mailbox.pass');
  });
};
