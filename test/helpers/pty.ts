import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { BIN, type Home } from './cli.js';

export const PTY = fileURLToPath(new URL('./run_in_pty.py', import.meta.url));

/** Text that must appear on the screen, and the keys then typed (`['now?', 'y\r']`). */
export type Answer = [waitFor: string, keys: string];

/**
 * Runs crm on a real pseudo-terminal, typing each answer once its prompt is on the screen;
 * returns the screen text (escapes stripped) and the exit code.
 */
export async function onTerminal(h: Home, args: string[], answers: Answer[] = [], env: Record<string, string> = {}) {
  const r = await execa('python3', [PTY, JSON.stringify(answers), BIN, ...args], { env: { ...h.env, ...env, TERM: 'xterm-256color' }, extendEnv: false, timeout: 30_000 });
  const text = String(r.stdout).replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
  const code = Number(/EXIT (-?\d+)\s*$/.exec(text)![1]);
  return { text, code, raw: String(r.stdout) };
}
