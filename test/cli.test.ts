import { describe, expect, it } from 'vitest';
import { buildProgram, invokedNoun } from '../src/cli.js';
import { freshHome } from './helpers/cli.js';

describe('invokedNoun: which noun to register', () => {
  it.each([
    [['lead', 'list'], 'lead'],
    [['--as', 'ravi@acme.example', 'lead', 'show', '1'], 'lead'],
    [['--db', '/tmp/x.db', '--no-color', 'stage', 'list'], 'stage'],
    [['-y', 'init'], 'init'],
    [['--help'], undefined],
    [['help', 'lead'], undefined],
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
