import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, teamHome, type Home } from '../helpers/cli.js';

const PTY = fileURLToPath(new URL('../helpers/run_in_pty.py', import.meta.url));

/** Runs crm on a real pseudo-terminal, typing `answers`; returns the screen text (escapes stripped) and the exit code. */
async function onTerminal(h: Home, args: string[], answers: string[] = [], env: Record<string, string> = {}) {
  const r = await execa('python3', [PTY, JSON.stringify(answers), BIN, ...args], { env: { ...h.env, ...env, TERM: 'xterm-256color' }, extendEnv: false, timeout: 30_000 });
  const text = String(r.stdout).replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
  const code = Number(/EXIT (-?\d+)\s*$/.exec(text)![1]);
  return { text, code };
}

describe('on a terminal', () => {
  let h: Home;
  beforeAll(async () => {
    h = await teamHome();
  });
  afterAll(() => h.cleanup());

  it('prompts for a missing required value instead of failing', async () => {
    const { text, code } = await onTerminal(h, ['lead', 'add', '--email', 'prompted@example.com'], ['Prompted Person\r']);
    expect(text).toContain('Lead name');
    expect(code).toBe(0);
    const leads = await h.json(['lead', 'list', '--search', 'prompted@example.com']);
    expect(leads.map((l: { name: string }) => l.name)).toEqual(['Prompted Person']);
  });

  it('--yes never prompts, even on a terminal', async () => {
    const { text, code } = await onTerminal(h, ['--yes', 'lead', 'add', '--email', 'noprompt@example.com']);
    expect(code).toBe(2);
    expect(text).toContain('--name is required');
  });

  it('lists are tables with headers on a terminal, coloured unless NO_COLOR', async () => {
    await h.ok(['lead', 'add', '--name', 'Table Row', '--value', '1500']);
    const { text, code } = await onTerminal(h, ['lead', 'list'], [], { NO_COLOR: '' });
    expect(code).toBe(0);
    expect(text).toMatch(/ID\s+NAME\s+BUSINESS\s+STAGE/);
    expect(text).toMatch(/Table Row\s+New\s+EUR 1,500.00/);
    const { NO_COLOR: _, ...colourEnv } = h.env;
    const coloured = await execa('python3', [PTY, '[]', BIN, 'lead', 'list'], { env: { ...colourEnv, TERM: 'xterm-256color' }, extendEnv: false });
    expect(String(coloured.stdout)).toContain('\x1b[1m');
    const plain = await execa('python3', [PTY, '[]', BIN, 'lead', 'list'], { env: { ...h.env, TERM: 'xterm-256color' }, extendEnv: false });
    expect(String(plain.stdout)).not.toContain('\x1b[1m');
  });
});
