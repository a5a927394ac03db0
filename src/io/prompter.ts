import { InterruptedError, UsageError } from '../errors.js';
import type { IO } from './streams.js';

/**
 * Asks a person for a missing value. Without a TTY (or with --yes) it never waits:
 * a missing required value is a UsageError naming the flag that supplies it.
 */
export interface Prompter {
  /** Text for a required value; `flag` names the option a script would pass instead. */
  text(flag: string, message: string, validate?: (v: string) => true | string): Promise<string>;
  confirm(flag: string, message: string): Promise<boolean>;
  /** An optional value: asked on a terminal (Enter for none); without one, none (undefined), never waiting. */
  optional(message: string): Promise<string | undefined>;
  /** One of `choices` (value and label); only on a terminal. */
  select(flag: string, message: string, choices: { value: string; name: string }[]): Promise<string>;
  /** Whether a person can be asked (a terminal, no --yes). */
  readonly interactive: boolean;
}

export function createPrompter(io: IO, assumeYes: boolean): Prompter {
  const interactive = io.isInteractive && !assumeYes;
  const wrap = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof Error && err.name === 'ExitPromptError') throw new InterruptedError('cancelled');
      throw err;
    }
  };
  return {
    interactive,
    async select(flag, message, choices) {
      if (!interactive) throw new UsageError(`${flag} is required`, `pass ${flag} <value> (no prompt is shown without a terminal)`);
      const { select } = await import('@inquirer/prompts');
      return wrap(() => select({ message, choices, pageSize: 12 }, { input: io.stdin, output: io.stderr }));
    },
    async text(flag, message, validate) {
      if (!interactive) throw new UsageError(`${flag} is required`, `pass ${flag} <value> (no prompt is shown without a terminal)`);
      const { input } = await import('@inquirer/prompts');
      return wrap(() => input({ message, required: true, validate: validate ?? (() => true) }, { input: io.stdin, output: io.stderr }));
    },
    async optional(message) {
      if (!interactive) return undefined;
      const { input } = await import('@inquirer/prompts');
      const v = await wrap(() => input({ message }, { input: io.stdin, output: io.stderr }));
      return v.trim() || undefined;
    },
    async confirm(flag, message) {
      if (assumeYes) return true;
      if (!interactive) throw new UsageError(`confirmation needed: ${message}`, `pass ${flag} to go ahead without a prompt`);
      const { confirm } = await import('@inquirer/prompts');
      return wrap(() => confirm({ message, default: false }, { input: io.stdin, output: io.stderr }));
    },
  };
}
