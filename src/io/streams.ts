import type { Readable, Writable } from 'node:stream';

/** The process's streams and what they are, injected so tests can fake a TTY or a pipe. */
export interface IO {
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable & { isTTY?: boolean };
  /** stdout is a terminal: tables, colour. */
  isStdoutTTY: boolean;
  /** Both ends are terminals: prompts allowed. */
  isInteractive: boolean;
  color: boolean;
  out(text: string): void;
  err(text: string): void;
  /** Hints and progress: stderr, and only for a person at a terminal. */
  hint(text: string): void;
}

export function createIO(
  streams: { stdin: IO['stdin']; stdout: IO['stdout']; stderr: IO['stderr'] },
  env: Record<string, string | undefined>,
  noColorFlag: boolean,
): IO {
  const isStdoutTTY = Boolean(streams.stdout.isTTY);
  const isInteractive = isStdoutTTY && Boolean(streams.stdin.isTTY);
  const color = isStdoutTTY && !noColorFlag && env.NO_COLOR === undefined && env.TERM !== 'dumb';
  return {
    // stdin on first use: most commands never read it, and Node builds the stream on first access.
    get stdin() {
      return streams.stdin;
    },
    stdout: streams.stdout,
    stderr: streams.stderr,
    isStdoutTTY,
    isInteractive,
    color,
    out: (text) => void streams.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => void streams.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    hint: (text) => {
      if (streams.stderr.isTTY) streams.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
    },
  };
}
