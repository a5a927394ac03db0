import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildProgram, invokedNoun, nounSummaries, run } from '../src/cli.js';
import { freshHome } from './helpers/cli.js';

describe('invokedNoun: which noun to register', () => {
  it.each([
    [['lead', 'list'], 'lead'],
    [['--as', 'ravi@acme.example', 'lead', 'show', '1'], 'lead'],
    [['--db', '/tmp/x.db', '--no-color', 'stage', 'list'], 'stage'],
    [['-y', 'init'], 'init'],
    [['--help'], undefined],
    [['help', 'lead'], undefined],
    [['--as', 'ravi@acme.example', '-h', 'lead'], undefined],
    [['lead', '--help'], 'lead'],
    [[], undefined],
  ])('%j → %s', (argv, noun) => {
    expect(invokedNoun(argv)).toBe(noun);
  });
});

describe('help and unknown commands', () => {
  it('crm --help lists every noun and exits 0; an unknown noun exits 2', async () => {
    const h = freshHome();
    try {
      const help = await h.ok(['--help']);
      // Every noun the program registers (a bare `crm` registers them all), as help names it: `followup|fu`.
      const silent = { write: () => true } as never;
      const nouns = (await buildProgram({ env: {}, stdin: process.stdin, stdout: silent, stderr: silent }, [])).commands.map((c) => [c.name(), ...c.aliases()].join('|'));
      expect(nouns).toEqual(expect.arrayContaining(['lead', 'followup|fu', 'restore', 'welcome']));
      const commands = help.slice(help.indexOf('Commands:'), help.indexOf('\n\n', help.indexOf('Commands:')));
      const listed = [...commands.matchAll(/^ {2}(\S+)/gm)].map((m) => m[1]).filter((w) => !w!.startsWith('-'));
      expect(nouns.length).toBeGreaterThanOrEqual(35);
      expect(listed).toEqual(nouns);
      expect(nouns).toEqual(expect.arrayContaining(['help', 'completion']));
      expect(nouns).not.toContain('__complete');
      await h.fail(['leed', 'list'], 2, /unknown command 'leed'/);
      expect((await h.ok(['--version'])).trim()).toMatch(/^\d+\.\d+\.\d+$/);
    } finally {
      h.cleanup();
    }
  });
});

describe('the root from dist/nouns.json (no noun loaded for --help, --version, a bare crm or a typo)', () => {
  const NOUNS_JSON = fileURLToPath(new URL('../dist/nouns.json', import.meta.url));

  /** One command line in this process from the sources: every noun registered for real. */
  async function inProcess(argv: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const out = { write: (s: string) => ((stdout += s), true) } as never;
    const err = { write: (s: string) => ((stderr += s), true) } as never;
    const exitCode = await run(argv, { env: {}, stdin: process.stdin, stdout: out, stderr: err });
    return { exitCode, stdout, stderr };
  }

  it('the build wrote each noun\'s line, from the registrations', async () => {
    expect(existsSync(NOUNS_JSON)).toBe(true);
    const { readFileSync } = await import('node:fs');
    expect(JSON.parse(readFileSync(NOUNS_JSON, 'utf8'))).toEqual(await nounSummaries());
  });

  it.each([[['--help']], [['-h']], [[]], [['leed', 'list']], [['lead-x']], [['--version']], [['--as', 'ravi@acme.example', '--help']], [['--no-color', 'folowup']]])(
    'crm %j prints and exits as with every noun loaded',
    async (argv) => {
      const h = freshHome();
      try {
        const bin = await h.run(argv);
        const full = await inProcess(argv);
        expect({ exitCode: bin.exitCode, stdout: String(bin.stdout), stderr: String(bin.stderr) }).toEqual({ ...full, stdout: full.stdout.trimEnd(), stderr: full.stderr.trimEnd() });
      } finally {
        h.cleanup();
      }
    },
  );
});
