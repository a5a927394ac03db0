import { Command, CommanderError, InvalidArgumentError } from 'commander';
import type { Context, Runtime } from './context.js';
import { CrmError, ExitCode } from './errors.js';
import { contextFactory, type Register } from './commands/shared.js';
import { errorText, hintText } from './commands/hints.js';
import { maskUrlCredentials } from './io/mask.js';
import { visible } from './io/visible.js';
import { registerInit } from './commands/init.js';
import { registerDemo } from './commands/demo.js';
import { registerWhoami } from './commands/whoami.js';
import { registerUser } from './commands/user/index.js';
import { registerLead } from './commands/lead/index.js';
import { registerCustomer } from './commands/customer/index.js';
import { registerStage } from './commands/stage/index.js';
import { registerSource } from './commands/source/index.js';
import { registerTag } from './commands/tag/index.js';
import { registerConfig } from './commands/config/index.js';
import { registerReports } from './commands/report/index.js';
import { registerDashboard } from './commands/dashboard/index.js';
import { registerFollowUp } from './commands/followup/index.js';
import { registerAppointment } from './commands/appointment/index.js';
import { registerCall } from './commands/call/index.js';
import { registerImport } from './commands/import/index.js';
import { registerBackup } from './commands/backup/index.js';
import { registerDaemon } from './commands/daemon/index.js';
import { registerOutbox } from './commands/outbox/index.js';
import { registerInbox } from './commands/inbox/index.js';
import { registerNotify } from './commands/notify/index.js';
import { registerDoctor } from './commands/doctor.js';
import { registerBoard } from './commands/board/index.js';
import { registerSegment } from './commands/segment/index.js';
import { registerCampaign } from './commands/campaign/index.js';
import { registerMarketplace } from './commands/marketplace/index.js';
import { registerIntake } from './commands/intake/index.js';
import { registerProposal } from './commands/proposal/index.js';
import { registerMailbox } from './commands/mailbox/index.js';
import { registerRouting } from './commands/routing/index.js';
import { registerScoring } from './commands/scoring/index.js';
import { registerWelcome } from './commands/welcome/index.js';
import { registerStore } from './commands/store/index.js';
import { registerAudit } from './commands/audit/index.js';
import { registerMcp } from './commands/mcp/index.js';
import { registerContact } from './commands/contact/index.js';
import { registerHelp } from './commands/help/index.js';
import { complete, registerCompletion } from './commands/completion.js';

// For scripts/gen-reference.mjs, which loads the built bundle: docs/reference.md from this program.
export { referenceMarkdown } from './commands/help/reference.js';

import { VERSION } from './version.js';

export { VERSION };

/** Each top-level noun and the function that registers its verbs. */
const NOUNS: [string[], Register][] = [
  [['init'], registerInit],
  [['demo'], registerDemo],
  [['whoami'], registerWhoami],
  [['lead'], registerLead],
  [['customer'], registerCustomer],
  [['user'], registerUser],
  [['stage'], registerStage],
  [['source'], registerSource],
  [['tag'], registerTag],
  [['config'], registerConfig],
  [['followup', 'fu'], registerFollowUp],
  [['appointment', 'appt'], registerAppointment],
  [['call'], registerCall],
  [['report'], registerReports],
  [['dashboard'], registerDashboard],
  [['import'], registerImport],
  // crm restore lives beside crm backup (src/commands/backup/): it reads what backup writes.
  [['backup', 'restore'], registerBackup],
  [['daemon'], registerDaemon],
  [['outbox'], registerOutbox],
  [['inbox'], registerInbox],
  [['notify'], registerNotify],
  [['doctor'], registerDoctor],
  [['board'], registerBoard],
  [['segment'], registerSegment],
  [['campaign'], registerCampaign],
  [['marketplace'], registerMarketplace],
  [['intake'], registerIntake],
  [['proposal'], registerProposal],
  [['mailbox'], registerMailbox],
  [['routing'], registerRouting],
  [['scoring'], registerScoring],
  [['welcome'], registerWelcome],
  [['store'], registerStore],
  [['audit'], registerAudit],
  [['mcp'], registerMcp],
  [['contact'], registerContact],
  [['help'], registerHelp],
  [['completion'], registerCompletion],
];

/**
 * The noun a command line names, skipping global options and their values. Only that noun's
 * verbs are registered (a few ms on every run); help, a bare `crm` or an unknown noun
 * register them all so commander can list and suggest.
 */
export function invokedNoun(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--as' || a === '--db') i++;
    else if (a === '-h' || a === '--help' || a === 'help') return undefined;
    else if (!a.startsWith('-')) return a;
  }
  return undefined;
}

export function buildProgram(rt: Runtime, opened: Context[], argv: string[] = []): Command {
  const program = new Command('crm')
    .description('A terminal-first CRM for sales teams')
    .version(VERSION, '-V, --version')
    .option('--as <email>', 'act as this user (default: CRM_USER, then the config file)')
    .option('--db <path>', 'store file (default: CRM_DB, then CRM_HOME/crm.db, then the XDG data dir)')
    .option('--no-color', 'no colour (NO_COLOR is honoured too)')
    .option('-y, --yes', 'assume yes; never prompt')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (s) => void rt.stdout.write(s),
      writeErr: (s) => void rt.stderr.write(s),
    })
    .exitOverride();
  const ctx = contextFactory(rt, opened);
  const noun = invokedNoun(argv);
  const only = NOUNS.find(([names]) => noun !== undefined && names.includes(noun));
  for (const [, register] of only ? [only] : NOUNS) register(program, ctx);
  return program;
}

/** Runs one invocation; returns the exit code. Only bin/crm calls process.exit. */
export async function run(argv: string[], rt: Runtime): Promise<number> {
  const opened: Context[] = [];
  const program = buildProgram(rt, opened, argv);
  try {
    if (argv[0] === '__complete') {
      await complete(program, argv.slice(1), contextFactory(rt, opened));
      return ExitCode.ok;
    }
    await program.parseAsync(argv, { from: 'user' });
    return ExitCode.ok;
  } catch (err) {
    return report(err, rt);
  } finally {
    await Promise.all(opened.map((c) => c.close()));
  }
}

function report(err: unknown, rt: Runtime): number {
  if (err instanceof CommanderError) {
    // commander has already printed its message (and usage hint) to stderr.
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return ExitCode.ok;
    return ExitCode.usage;
  }
  if (err instanceof CrmError) {
    // Errors quote what was typed or received: shown with its controls escaped, like all human output.
    rt.stderr.write(`error: ${visible(maskUrlCredentials(errorText(err)))}\n`);
    const hint = hintText(err);
    if (hint) rt.stderr.write(`hint: ${visible(maskUrlCredentials(hint))}\n`);
    if (rt.env.CRM_DEBUG) rt.stderr.write(`${err.stack}\n`);
    return err.exitCode;
  }
  if (err instanceof InvalidArgumentError) {
    rt.stderr.write(`error: ${visible(err.message)}\n`);
    return ExitCode.usage;
  }
  const e = err as Error;
  rt.stderr.write(`internal error: ${maskUrlCredentials(e?.message ?? String(err))}\n`);
  rt.stderr.write(rt.env.CRM_DEBUG ? `${e?.stack}\n` : 'hint: this is a bug in crm; rerun with CRM_DEBUG=1 for a stack trace and report it\n');
  return ExitCode.internal;
}
