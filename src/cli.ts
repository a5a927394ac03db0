import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { Context, Runtime } from './context.js';
import { CrmError, ExitCode } from './errors.js';
import { contextFactory, type Register } from './commands/shared.js';
import { errorText, hintText } from './commands/hints.js';
import { maskUrlCredentials } from './io/mask.js';
import { visible } from './io/visible.js';

// For scripts/gen-reference.mjs, which loads the built bundle: docs/reference.md from this program.
export { referenceMarkdown } from './commands/help/reference.js';

import { VERSION } from './version.js';

export { VERSION };

/**
 * The command table: each top-level noun (with its aliases) and how to load the function that
 * registers its verbs. Adding a noun is one entry here. The import() is what keeps start-up
 * small: the bundler wraps each noun's modules in a function run on first import, so a command
 * line naming one noun loads (and initialises) only that noun's code; `crm help …` and completion
 * load them all, so they see every command, in this order. `--help`, `--version`, a bare `crm`
 * and an unknown noun (a typo to suggest for) need only each noun's line of the root help: the
 * build writes those lines to dist/nouns.json (nounSummaries below) and the root is made from
 * them (rootFromSummaries), with all nouns loaded as before where that file is absent.
 */
const NOUNS: [string[], () => Promise<Register>][] = [
  [['init'], () => import('./commands/init.js').then((m) => m.registerInit)],
  [['demo'], () => import('./commands/demo.js').then((m) => m.registerDemo)],
  [['whoami'], () => import('./commands/whoami.js').then((m) => m.registerWhoami)],
  [['lead'], () => import('./commands/lead/index.js').then((m) => m.registerLead)],
  [['customer'], () => import('./commands/customer/index.js').then((m) => m.registerCustomer)],
  [['user'], () => import('./commands/user/index.js').then((m) => m.registerUser)],
  [['stage'], () => import('./commands/stage/index.js').then((m) => m.registerStage)],
  [['source'], () => import('./commands/source/index.js').then((m) => m.registerSource)],
  [['tag'], () => import('./commands/tag/index.js').then((m) => m.registerTag)],
  [['config'], () => import('./commands/config/index.js').then((m) => m.registerConfig)],
  [['followup', 'fu'], () => import('./commands/followup/index.js').then((m) => m.registerFollowUp)],
  [['appointment', 'appt'], () => import('./commands/appointment/index.js').then((m) => m.registerAppointment)],
  [['call'], () => import('./commands/call/index.js').then((m) => m.registerCall)],
  [['report'], () => import('./commands/report/index.js').then((m) => m.registerReports)],
  [['dashboard'], () => import('./commands/dashboard/index.js').then((m) => m.registerDashboard)],
  [['import'], () => import('./commands/import/index.js').then((m) => m.registerImport)],
  // crm restore lives beside crm backup (src/commands/backup/): it reads what backup writes.
  [['backup', 'restore'], () => import('./commands/backup/index.js').then((m) => m.registerBackup)],
  [['daemon'], () => import('./commands/daemon/index.js').then((m) => m.registerDaemon)],
  [['outbox'], () => import('./commands/outbox/index.js').then((m) => m.registerOutbox)],
  [['inbox'], () => import('./commands/inbox/index.js').then((m) => m.registerInbox)],
  [['notify'], () => import('./commands/notify/index.js').then((m) => m.registerNotify)],
  [['doctor'], () => import('./commands/doctor.js').then((m) => m.registerDoctor)],
  [['board'], () => import('./commands/board/index.js').then((m) => m.registerBoard)],
  [['segment'], () => import('./commands/segment/index.js').then((m) => m.registerSegment)],
  [['campaign'], () => import('./commands/campaign/index.js').then((m) => m.registerCampaign)],
  [['marketplace'], () => import('./commands/marketplace/index.js').then((m) => m.registerMarketplace)],
  [['intake'], () => import('./commands/intake/index.js').then((m) => m.registerIntake)],
  [['proposal'], () => import('./commands/proposal/index.js').then((m) => m.registerProposal)],
  [['ticket'], () => import('./commands/ticket/index.js').then((m) => m.registerTicket)],
  [['order'], () => import('./commands/order/index.js').then((m) => m.registerOrder)],
  [['invoice'], () => import('./commands/invoice/index.js').then((m) => m.registerInvoice)],
  [['portal'], () => import('./commands/portal/index.js').then((m) => m.registerPortal)],
  [['product'], () => import('./commands/product/index.js').then((m) => m.registerProduct)],
  [['mailbox'], () => import('./commands/mailbox/index.js').then((m) => m.registerMailbox)],
  [['routing'], () => import('./commands/routing/index.js').then((m) => m.registerRouting)],
  [['scoring'], () => import('./commands/scoring/index.js').then((m) => m.registerScoring)],
  [['welcome'], () => import('./commands/welcome/index.js').then((m) => m.registerWelcome)],
  [['store'], () => import('./commands/store/index.js').then((m) => m.registerStore)],
  [['audit'], () => import('./commands/audit/index.js').then((m) => m.registerAudit)],
  [['mcp'], () => import('./commands/mcp/index.js').then((m) => m.registerMcp)],
  [['contact'], () => import('./commands/contact/index.js').then((m) => m.registerContact)],
  [['help'], () => import('./commands/help/index.js').then((m) => m.registerHelp)],
  [['completion'], () => import('./commands/completion.js').then((m) => m.registerCompletion)],
];

/**
 * The first word of a command line that is not a global option or its value, and whether a help
 * flag (`-h`, `--help`) comes before it.
 */
function firstWord(argv: string[]): { word?: string; helpFirst: boolean } {
  let helpFirst = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--as' || a === '--db') i++;
    else if (a === '-h' || a === '--help') helpFirst = true;
    else if (!a.startsWith('-')) return { word: a, helpFirst };
  }
  return { helpFirst };
}

/**
 * The noun a command line names, skipping global options and their values. Only that noun's
 * verbs are registered (a few ms on every run); help, a bare `crm` or an unknown noun
 * register them all so commander can list and suggest.
 */
export function invokedNoun(argv: string[]): string | undefined {
  return nounOf(firstWord(argv));
}

function nounOf({ word, helpFirst }: { word?: string; helpFirst: boolean }): string | undefined {
  return helpFirst || word === 'help' ? undefined : word;
}

/** A root command as the root help lists it and a typo is matched against; `entry` is its index in NOUNS. */
export interface NounSummary {
  entry: number;
  name: string;
  aliases: string[];
  /** Its arguments as help writes them (`<file>`, `[words...]`). */
  args: string[];
  /** Whether it has options of its own (help then writes `[options]`). */
  options: boolean;
  description: string;
  summary: string;
  hidden: boolean;
}

/** Every root command with the NOUNS entry that registers it, from the real registrations (scripts/build.mjs writes them to dist/nouns.json). */
export async function nounSummaries(): Promise<NounSummary[]> {
  const silent = { write: () => true } as unknown as Runtime['stdout'];
  const rt: Runtime = { env: {}, stdin: process.stdin, stdout: silent, stderr: silent };
  const program = rootProgram(rt);
  const ctx = contextFactory(rt, []);
  const out: NounSummary[] = [];
  for (const [entry, [, load]] of NOUNS.entries()) {
    const before = program.commands.length;
    (await load())(program, ctx);
    for (const c of program.commands.slice(before)) {
      out.push({
        entry, name: c.name(), aliases: c.aliases(), args: c.registeredArguments.map((a) => (a.required ? `<${a.name()}${a.variadic ? '...' : ''}>` : `[${a.name()}${a.variadic ? '...' : ''}]`)),
        options: c.options.length > 0, description: c.description(), summary: c.summary(), hidden: (c as unknown as { _hidden: boolean })._hidden,
      });
    }
  }
  return out;
}

/** dist/nouns.json beside the bundle, or undefined (running from the sources, or a build without it). */
function readSummaries(): NounSummary[] | undefined {
  if (typeof __dirname !== 'string') return undefined;
  try {
    return JSON.parse(readFileSync(join(__dirname, 'nouns.json'), 'utf8')) as NounSummary[];
  } catch {
    return undefined;
  }
}

/**
 * The root with each noun as a line of help and nothing behind it, but for `help`, whose
 * registration also shapes the root help (its topics and examples): what `crm --help`, a bare
 * `crm`, `--version` and a typo need. None of these commands can run: a command line naming a
 * noun registers that noun for real.
 */
async function rootFromSummaries(program: Command, summaries: NounSummary[], ctx: ReturnType<typeof contextFactory>): Promise<void> {
  for (const [entry, [names, load]] of NOUNS.entries()) {
    if (names.includes('help')) {
      (await load())(program, ctx);
      continue;
    }
    for (const s of summaries.filter((x) => x.entry === entry)) {
      const c = new Command(s.name).aliases(s.aliases).description(s.description);
      if (s.summary) c.summary(s.summary);
      for (const a of s.args) c.argument(a);
      if (s.options) c.addOption(new Option('--options').hideHelp());
      program.addCommand(c, { hidden: s.hidden });
    }
  }
}

function rootProgram(rt: Runtime): Command {
  return new Command('crm')
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
}

export async function buildProgram(rt: Runtime, opened: Context[], argv: string[] = []): Promise<Command> {
  const program = rootProgram(rt);
  const ctx = contextFactory(rt, opened);
  const first = firstWord(argv);
  const noun = nounOf(first);
  const only = NOUNS.find(([names]) => noun !== undefined && names.includes(noun));
  const { word } = first;
  const summaries = !only && word !== 'help' && word !== '__complete' ? readSummaries() : undefined;
  if (summaries) {
    await rootFromSummaries(program, summaries, ctx);
    return program;
  }
  const registers = await Promise.all((only ? [only] : NOUNS).map(([, load]) => load()));
  for (const register of registers) register(program, ctx);
  return program;
}

/** Runs one invocation; returns the exit code. Only bin/crm calls process.exit. */
export async function run(argv: string[], rt: Runtime): Promise<number> {
  const opened: Context[] = [];
  const program = await buildProgram(rt, opened, argv);
  try {
    if (argv[0] === '__complete') {
      const { complete } = await import('./commands/completion.js');
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
