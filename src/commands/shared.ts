import { InvalidArgumentError, type Command } from 'commander';
import { createContext, type Context, type Runtime } from '../context.js';
import { keyed } from '../domain/keyed.js';

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
export function outputFlags(cmd: Command, opts: { quiet?: boolean } = {}): Command {
  cmd.option('--json', 'print JSON (shapes in docs/json.md)');
  if (opts.quiet) cmd.option('-q, --quiet', 'print ids only, one a line');
  return cmd;
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
