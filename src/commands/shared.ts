import { InvalidArgumentError, type Command } from 'commander';
import { createContext, type Context, type Runtime } from '../context.js';
import { keyed } from '../domain/keyed.js';
import { UsageError } from '../errors.js';
import { MAX_LIST_ROWS } from '../services/leads/normalize.js';

/** Builds a command's context from the parsed globals (--as, --db, --no-color, --yes). */
export type ContextFactory = (cmd: Command) => Context;
export type Register = (program: Command, ctx: ContextFactory) => void;

export function contextFactory(rt: Runtime, opened: Context[]): ContextFactory {
  return (cmd) => {
    const ctx = createContext(rt, cmd);
    opened.push(ctx);
    return ctx;
  };
}

/** The one place --json (and -q) are added: every command that prints data calls it. */
export function outputFlags(cmd: Command, opts: { quiet?: boolean; list?: boolean } = {}): Command {
  cmd.option('--json', 'print JSON (shapes in docs/json.md)');
  if (opts.quiet) cmd.option('-q, --quiet', 'print ids only, one a line');
  if (opts.list) cmd.option('--format <format>', 'table | tsv | csv | json (default: a table on a terminal, TSV without a header when piped; tsv and csv print a header line)');
  return cmd;
}

/**
 * The Examples block of a command's --help (add it with `.addHelpText('after', examples(…))`):
 * one to three command lines that work as written, shown by `--help`, `crm help <command>` and
 * docs/reference.md.
 */
export function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  ${l}`).join('\n')}`;
}

/** Collects a repeatable option; commas split too (--tag a --tag b, or --tag a,b). */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...value.split(',').map((v) => v.trim()).filter(Boolean)];
}

/** Repeatable without comma splitting (free text such as addresses may contain commas). */
export function repeat(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** key=value pairs for custom fields. */
export function keyValue(value: string, previous: Record<string, string> | undefined): Record<string, string> {
  const i = value.indexOf('=');
  if (i < 1) throw new InvalidArgumentError(`expected key=value, got '${value}'`);
  const map = keyed(previous ?? {});
  map[value.slice(0, i).trim()] = value.slice(i + 1).trim();
  return map;
}

/** What a list command's paging flags parse into (see pageFlags). */
export interface PageOptions {
  limit?: string;
  all?: boolean;
  offset?: string;
  json?: boolean;
  quiet?: boolean;
}

/**
 * The one paging rule of every list (a script is never cut off without a flag saying so):
 * `--limit N` shows N; `--all` or `--limit all` every row; otherwise a terminal shows a page
 * of `page` rows with a footer saying how many more there are, and piped output, `--json` and
 * `-q` get every row.
 */
export function pageFlags(cmd: Command, page: number, what = 'rows'): Command {
  return cmd
    .option('--limit <n>', `at most n ${what}, or all (default: ${page} on a terminal; all when piped, with --json or -q)`)
    .option('--all', `every one of the ${what} (the default when piped, with --json or -q)`);
}

export interface Page {
  /** Rows to show; undefined: all of them. */
  limit: number | undefined;
  /** Cut to a terminal page: fetch one row more than `limit` to know whether the footer is due. */
  paged: boolean;
}

export function pageOf(opts: PageOptions, isStdoutTTY: boolean, page: number): Page {
  const all = opts.all || (opts.limit !== undefined && opts.limit.trim().toLowerCase() === 'all');
  if (all) {
    if (opts.limit !== undefined && opts.limit.trim().toLowerCase() !== 'all') throw new UsageError(`--all and --limit ${opts.limit} disagree`, 'pass one of them');
    return { limit: undefined, paged: false };
  }
  if (opts.limit !== undefined) {
    const n = Number(opts.limit.trim() === '' ? NaN : opts.limit);
    if (!Number.isInteger(n) || n < 1 || n > MAX_LIST_ROWS) throw new UsageError(`invalid limit '${opts.limit}'`, `give a whole number from 1 to ${MAX_LIST_ROWS}, or all`);
    return { limit: n, paged: false };
  }
  if (isStdoutTTY && !opts.json && !opts.quiet) return { limit: page, paged: true };
  return { limit: undefined, paged: false };
}

/**
 * The rows a page shows, and its footer when the page cut some off: `rows` was fetched with
 * `page.limit + 1`; `total` (when the command can count cheaply) makes it "100 of 188".
 */
export function pageRows<T>(rows: T[], page: Page, total?: number, offset = 0): { rows: T[]; footer?: string } {
  if (!page.paged || page.limit === undefined || rows.length <= page.limit) return { rows };
  const shown = rows.slice(0, page.limit);
  const of = total !== undefined ? ` of ${total.toLocaleString('en-US')}` : '';
  const range = offset > 0 ? `${offset + 1}–${offset + shown.length}` : `${shown.length}`;
  return { rows: shown, footer: `Showing ${range}${of} — --all for every one, --limit N for more, or --offset ${offset + shown.length} for the next page` };
}

/**
 * The one rule of every destructive command (delete, merge, remove, restore…): asked on a
 * terminal; without one, `--yes` is needed (a UsageError naming it, exit 2). False when the person
 * said no ("Nothing changed." on stderr, exit 0).
 */
export async function confirmed(ctx: Pick<Context, 'prompter' | 'io'>, question: string): Promise<boolean> {
  const ok = await ctx.prompter.confirm('--yes', question);
  if (!ok) ctx.io.err('Nothing changed.');
  return ok;
}
